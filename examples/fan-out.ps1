#Requires -Version 7.4
<#
.SYNOPSIS
    Starts the same application on several hosts over PowerShell's SSH remoting and gathers
    their statistics into one table.
.DESCRIPTION
    Each host needs pwsh with the Container module on its module path, and sshd with pwsh's
    subsystem (Subsystem powershell /usr/bin/pwsh -sshs -NoLogo). The containers come back as
    objects (PSComputerName says from where), formatted by the module's own views, and can be
    piped back to their host's cmdlets by name or id.
.EXAMPLE
    ./examples/fan-out.ps1 -HostName root@h1, root@h2 -Image busybox
.EXAMPLE
    ./examples/fan-out.ps1 -HostName root@h1 -Image busybox -Remove
    Removes what an earlier run started on h1.
#>
[CmdletBinding()]
param(
    # user@host[:port] of each host
    [Parameter(Mandatory)] [string[]] $HostName,
    # the image every host runs (it must be there, or be pullable there)
    [string] $Image = 'busybox',
    # how many replicas of the application each host runs
    [int] $Replicas = 2,
    [string] $KeyFilePath,
    # ssh options (UserKnownHostsFile, StrictHostKeyChecking...)
    [hashtable] $Options = @{},
    # removes the application's containers instead of starting them
    [switch] $Remove
)
$ErrorActionPreference = 'Stop'
$connection = @{ HostName = $HostName; Options = $Options }
if ($KeyFilePath) { $connection.KeyFilePath = $KeyFilePath }
$sessions = New-PSSession @connection
try {
    if ($Remove) {
        Invoke-Command -Session $sessions { Get-Container -Name 'fan-out-*' | Remove-Container -Force }
        return
    }
    # one command to every host at once: each starts its replicas, unless they run already
    $started = Invoke-Command -Session $sessions {
        param($Image, $Replicas)
        foreach ($replica in 1..$Replicas) {
            $name = "fan-out-$replica"
            $container = Get-Container -Name $name -ErrorAction SilentlyContinue
            if (-not $container) {
                $container = New-Container $Image -Name $name -Label @{ app = 'fan-out' } -Command sh, -c, 'while true; do echo tick; sleep 1; done'
            }
            if ($container.Status -ne 'Running') { Start-Container $name -PassThru } else { $container }
        }
    } -ArgumentList $Image, $Replicas
    Write-Verbose ($started | Format-Table PSComputerName, Name, Image, StatusText | Out-String)
    # their statistics, gathered from every host into one table
    Invoke-Command -Session $sessions { Get-ContainerStats -Name 'fan-out-*' } |
        Sort-Object PSComputerName, Name
}
finally {
    $sessions | Remove-PSSession
}
