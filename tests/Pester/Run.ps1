#Requires -Version 7.4
<#
.SYNOPSIS
    Runs the Pester suite (the module as a pwsh user sees it) on the module built in
    out/Container; exits with the number of failed tests. Tests tagged Root need root and
    are left out without it.
#>
[CmdletBinding()]
param(
    # only the tests with these tags (the cgroup v2 VM runs the kernel-facing ones: Root)
    [string[]] $Tag,
    # none of the tests with these tags (the VM leaves out the slowest under emulation); as
    # pwsh -File passes it, one word with commas: Concurrency,Examples
    [string[]] $ExcludeTag = @(),
    # an NUnit XML report of the run
    [string] $ResultFile
)
$ErrorActionPreference = 'Stop'
Import-Module Pester -MinimumVersion 5.9 -MaximumVersion 5.99
$pester = New-PesterConfiguration
$pester.Run.Path = $PSScriptRoot
$pester.Run.Exit = $true
$pester.Output.Verbosity = 'Detailed'
$pester.Output.RenderMode = 'Plaintext'
if ($Tag) { $pester.Filter.Tag = $Tag }
$pester.Filter.ExcludeTag = @($ExcludeTag -split ',' | Where-Object { $_ }) + @(if ((id -u) -ne '0') { 'Root' })
if ($ResultFile) {
    $pester.TestResult.Enabled = $true
    $pester.TestResult.OutputFormat = 'NUnitXml'
    $pester.TestResult.OutputPath = $ResultFile
}
Invoke-Pester -Configuration $pester
