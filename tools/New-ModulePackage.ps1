#Requires -Version 7.4
<#
.SYNOPSIS
    Packs the built module (out/Container) into out/packages/Container.<version>.nupkg, the package
    Publish-PSResource makes and Install-PSResource / Save-PSResource install.
.DESCRIPTION
    PSResourceGet itself writes it: a temporary local repository over the output folder, a
    Publish-PSResource of a staged copy of the module, the repository unregistered again. That
    runs in a child pwsh whose PSResourceGet settings (PSResourceRepository.xml, under
    XDG_DATA_HOME) are in a temporary folder, so the user's own repositories are never touched.
    The staged copy is what the package holds: the module folder only, nothing from a build tree.
#>
[CmdletBinding()]
param(
    # the assembled module (build.ps1 writes it)
    [string] $ModulePath = (Join-Path $PSScriptRoot '../out/Container'),
    # where the .nupkg goes (a folder Register-PSResourceRepository -Uri takes as a repository)
    [string] $OutputPath = (Join-Path $PSScriptRoot '../out/packages')
)
$ErrorActionPreference = 'Stop'
$ModulePath = (Resolve-Path $ModulePath).Path
$manifest = Import-PowerShellDataFile (Join-Path $ModulePath 'Container.psd1')
$version = $manifest.ModuleVersion
$null = New-Item -ItemType Directory -Force -Path $OutputPath
$OutputPath = (Resolve-Path $OutputPath).Path
$package = Join-Path $OutputPath "Container.$version.nupkg"

$scratch = Join-Path ([IO.Path]::GetTempPath()) "container-package-$([guid]::NewGuid().ToString('n').Substring(0, 8))"
try {
    # the staged module: a folder named as the module, as Publish-PSResource wants it
    $stage = Join-Path $scratch 'Container'
    $null = New-Item -ItemType Directory -Path $stage
    Copy-Item -Recurse -Path (Join-Path $ModulePath '*') -Destination $stage
    $strays = Get-ChildItem -Recurse -Path $stage | Where-Object { $_.FullName.Substring($stage.Length) -match '(^|/)(bin|obj|tests?)(/|$)' }
    if ($strays) { throw "the module folder holds build or test files: $($strays.FullName -join ', ')" }

    # a version is published once into a repository: this build's package replaces an older one of it
    Remove-Item -Force -ErrorAction SilentlyContinue $package
    $settings = Join-Path $scratch 'settings'
    $null = New-Item -ItemType Directory -Path $settings
    $pwsh = (Get-Command pwsh -CommandType Application | Select-Object -First 1).Source
    $savedDataHome = $env:XDG_DATA_HOME
    $env:XDG_DATA_HOME = $settings
    try {
        & $pwsh -NoProfile -NonInteractive -Command {
            param($stage, $repositoryUri)
            $ErrorActionPreference = 'Stop'
            $name = "ContainerBuild$([guid]::NewGuid().ToString('n').Substring(0, 8))"
            Register-PSResourceRepository -Name $name -Uri $repositoryUri -Trusted
            try {
                Publish-PSResource -Path $stage -Repository $name
            } finally {
                Unregister-PSResourceRepository -Name $name
            }
        } -args $stage, $OutputPath
        if ($LASTEXITCODE) { throw "Publish-PSResource failed ($LASTEXITCODE)" }
    } finally {
        $env:XDG_DATA_HOME = $savedDataHome
    }
    if (-not (Test-Path $package)) { throw "Publish-PSResource wrote no $package" }
    Write-Host "Module package written: $package"
    Get-Item $package
} finally {
    Remove-Item -Recurse -Force -ErrorAction SilentlyContinue $scratch
}
