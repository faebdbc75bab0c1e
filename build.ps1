#Requires -Version 7.4
<#
.SYNOPSIS
    Builds the module into out/Container (native core included); -Test also runs the
    xunit suite and the Pester suite.
#>
[CmdletBinding()]
param(
    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',
    [switch] $Test
)
$ErrorActionPreference = 'Stop'
Set-Location $PSScriptRoot

dotnet build Container.sln -c $Configuration
if ($LASTEXITCODE) { throw "dotnet build failed ($LASTEXITCODE)" }
Write-Host "Module assembled in $(Join-Path $PSScriptRoot 'out/Container')"

if ($Test) {
    dotnet test Container.sln -c $Configuration --no-build
    if ($LASTEXITCODE) { throw "dotnet test failed ($LASTEXITCODE)" }
    Import-Module Pester -MinimumVersion 5.0
    $pester = New-PesterConfiguration
    $pester.Run.Path = Join-Path $PSScriptRoot 'tests/Pester'
    $pester.Run.Exit = $true
    $pester.Output.Verbosity = 'Detailed'
    if ((id -u) -ne 0) { $pester.Filter.ExcludeTag = 'Root' }
    Invoke-Pester -Configuration $pester
}
