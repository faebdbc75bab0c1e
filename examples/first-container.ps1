#Requires -Version 7.4
# A first container: an image made from the host's busybox, a container that says
# where it runs, its log, and its removal. Run as root after `dotnet build Container.sln`.
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot '../out/Container/Container.psd1') -Force

if (-not (Get-ContainerImage -Name 'busybox:demo' -ErrorAction SilentlyContinue)) {
    $rootfs = & (Join-Path $PSScriptRoot '../tools/New-BusyboxRootfs.ps1')
    Import-ContainerImage -Path $rootfs -Name 'busybox:demo' -Command sh | Format-Table
    Remove-Item -Recurse -Force $rootfs
}

$exitCode = New-Container busybox:demo -Name hello -Command sh, -c, 'echo "hello from $(hostname), where I am pid $$"' |
    Start-Container -PassThru |
    Wait-Container
Get-ContainerLog hello
Get-Container hello | Format-Table
Remove-Container hello
"exit code: $exitCode"
