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
    [string] $OutputPath = (Join-Path $PSScriptRoot '../out/packages'),
    # the native core's linux-arm64 build (tools/build-native-arm64.sh); without it, this script
    # cross-builds one in its scratch folder
    [string] $Arm64NativePath
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

    # The native binaries, one folder per architecture (NativeBinaries picks the host's): the
    # build's own, of this x64 host, and the arm64 cross build.
    if ([Runtime.InteropServices.RuntimeInformation]::OSArchitecture -ne 'X64') {
        throw 'the package is built on an x64 host: its own binaries are the linux-x64 ones, and it cross-builds linux-arm64'
    }
    if (-not $Arm64NativePath) {
        $Arm64NativePath = Join-Path $scratch 'native-linux-arm64'
        & sh (Join-Path $PSScriptRoot 'build-native-arm64.sh') $Arm64NativePath | Out-Null
        if ($LASTEXITCODE) { throw "the linux-arm64 cross build failed ($LASTEXITCODE)" }
    }
    $binaries = 'container-runtime', 'container-monitor', 'container-init', 'container-network'
    foreach ($architecture in 'linux-x64', 'linux-arm64') {
        $null = New-Item -ItemType Directory -Path (Join-Path $stage "runtimes/$architecture")
    }
    foreach ($binary in $binaries) {
        Move-Item -Path (Join-Path $stage $binary) -Destination (Join-Path $stage 'runtimes/linux-x64')
        Copy-Item -Path (Join-Path $Arm64NativePath $binary) -Destination (Join-Path $stage 'runtimes/linux-arm64')
    }
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
