#Requires -Version 7.4
<#
.SYNOPSIS
    Makes a root filesystem from the host's busybox-static (see make-busybox-rootfs.sh)
    and returns its path. Import it with Import-ContainerImage.
.EXAMPLE
    Import-ContainerImage -Path (./tools/New-BusyboxRootfs.ps1) -Name busybox:local -Command sh
#>
[CmdletBinding()]
[OutputType([string])]
param(
    # Where to make it; a new temporary directory by default.
    [string] $Path = (Join-Path ([IO.Path]::GetTempPath()) "busybox-rootfs-$([guid]::NewGuid().ToString('n').Substring(0, 8))")
)
& (Join-Path $PSScriptRoot 'make-busybox-rootfs.sh') $Path
if ($LASTEXITCODE) { throw "make-busybox-rootfs.sh failed ($LASTEXITCODE)" }
$Path
