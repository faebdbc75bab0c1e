<#
    Hosts for the remoting tests: each an sshd of the test's own on 127.0.0.1 (a port of its own,
    its own host key, the test's client key as the only one let in), with pwsh's SSH subsystem
    and a store of its own with busybox in it, and a session to it. Dot-source after TestSupport.ps1.
#>

function Start-TestHost {
    # Name is how the client reaches it (localhost, 127.0.0.1): it is the PSComputerName of what comes back
    param([Parameter(Mandatory)] [string] $Name, [Parameter(Mandatory)] [string] $Work,
        [Parameter(Mandatory)] [string] $ModuleDirectory, [Parameter(Mandatory)] [string] $Rootfs)
    $directory = New-Item -ItemType Directory -Path (Join-Path $Work "host-$Name")
    $store = Join-Path $directory 'store'
    $key = Join-Path $Work 'client_key'
    $knownHosts = Join-Path $Work 'known_hosts'
    if (-not (Test-Path $key)) { ssh-keygen -q -t ed25519 -N '' -f $key }
    ssh-keygen -q -t ed25519 -N '' -f (Join-Path $directory 'host_key')
    # sshd's privilege separation directory, made (and removed after) only where the host has none
    if (-not (Test-Path /run/sshd)) {
        $null = New-Item -ItemType Directory -Path /run/sshd
        $script:madeRunSshd = $true
    }
    $probe = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Loopback, 0)
    $probe.Start()
    $port = $probe.LocalEndpoint.Port
    $probe.Stop()
    $pwsh = (Get-Command pwsh).Source
    $config = Join-Path $directory 'sshd_config'
    Set-Content $config @"
Port $port
ListenAddress 127.0.0.1
HostKey $directory/host_key
PidFile $directory/sshd.pid
AuthorizedKeysFile $key.pub
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
Subsystem powershell $pwsh -sshs -NoLogo -NoProfile
SetEnv CONTAINER_ROOT=$store CONTAINER_NETWORK=none CONTAINER_PULL_POLICY=never PSModulePath=$ModuleDirectory
"@
    Add-Content $knownHosts "[$Name]:$port $(Get-Content (Join-Path $directory 'host_key.pub'))"
    $sshd = Start-Process /usr/sbin/sshd -ArgumentList '-D', '-e', '-f', $config -RedirectStandardError (Join-Path $directory 'sshd.log') -PassThru
    Wait-Until { (Get-Content (Join-Path $directory 'sshd.log') -Raw) -match 'Server listening' -or $sshd.HasExited } "sshd on port $port listening"
    if ($sshd.HasExited) { throw "sshd did not start: $(Get-Content (Join-Path $directory 'sshd.log') -Raw)" }

    # the host's store and its image, made from here: the same machine
    $saved = $env:CONTAINER_ROOT
    try {
        $env:CONTAINER_ROOT = $store
        $null = Import-ContainerImage -Path $Rootfs -Name busybox -Command sh
    }
    finally {
        $env:CONTAINER_ROOT = $saved
    }
    $options = @{ UserKnownHostsFile = $knownHosts; StrictHostKeyChecking = 'yes' }
    [pscustomobject]@{
        Name = $Name; Port = $port; Target = "root@${Name}:$port"; Key = $key; Options = $options; Directory = $directory; Process = $sshd
        Session = New-PSSession -HostName $Name -Port $port -UserName root -KeyFilePath $key -Options $options
    }
}

function Stop-TestHost {
    # its containers and volumes removed at the host, its session closed, its sshd stopped, its files gone
    param([Parameter(Mandatory, ValueFromPipeline)] [object] $TestHost)
    process {
        Invoke-Command $TestHost.Session {
            Get-Container | Remove-Container -Force
            Get-ContainerVolume | Remove-ContainerVolume
        } -ErrorAction SilentlyContinue
        Remove-PSSession $TestHost.Session
        Stop-Process -Id $TestHost.Process.Id -ErrorAction SilentlyContinue
        $TestHost.Process.WaitForExit()
        Remove-Item -Recurse -Force $TestHost.Directory
    }
    end {
        if ($script:madeRunSshd) {
            Remove-Item /run/sshd -Recurse -Force
            $script:madeRunSshd = $false
        }
    }
}
