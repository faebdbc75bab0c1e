#Requires -Version 7.4
#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
<#
    Our objects across PowerShell remoting, as a user with several hosts meets them: two sshd of
    the test's own on 127.0.0.1, each with pwsh's SSH subsystem and a store of its own, play two
    hosts (reached as localhost and as 127.0.0.1, so PSComputerName tells them apart). What
    Invoke-Command brings back formats with our views as at the host itself, keeps what the
    objects hold, and pipes back into the host's cmdlets; examples/fan-out.ps1 starts an
    application on both and gathers their stats.
#>

BeforeDiscovery {
    $script:isRoot = (id -u) -eq '0'
    $script:sshdMissing = -not (Test-Path /usr/sbin/sshd)
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    . (Join-Path $PSScriptRoot 'RemoteHosts.ps1')
    Enter-TestStore -Name remoting
    $script:hosts = @(
        Start-TestHost -Name localhost -Work $script:work -ModuleDirectory (Split-Path $script:modulePath | Split-Path) -Rootfs $script:rootfs
        Start-TestHost -Name 127.0.0.1 -Work $script:work -ModuleDirectory (Split-Path $script:modulePath | Split-Path) -Rootfs $script:rootfs
    )
    $script:one, $script:two = $script:hosts.Session

    function Get-Steady([string] $Text) {
        # a view's text less what moves between two looks (how long ago, how long up) and the padding that follows it
        $Text -replace '(Less than a second|About a minute|\d+ (seconds?|minutes?|hours?)) ago', '<when> ago' -replace 'Up (Less than a second|\d+ \w+)', 'Up <while>' -replace ' +', ' '
    }
}

AfterAll {
    if ($script:hosts) { $script:hosts | Stop-TestHost }
    Exit-TestStore
}

Describe 'Invoke-Command -HostName over SSH' -Tag 'Root', 'Remoting' -Skip:(-not $script:isRoot -or $script:sshdMissing) {
    It 'brings back each host''s containers, formatted by our views as at the host itself' {
        $null = Invoke-Command $script:one { New-Container busybox -Name one -Command echo, 'said once' | Start-Container -PassThru | Wait-Container }
        $null = Invoke-Command $script:one { New-Container busybox -Name created -Command true }
        $null = Invoke-Command $script:two { New-Container busybox -Name two -Command true }
        $all = Invoke-Command -Session $script:one, $script:two { Get-Container }
        $all | Sort-Object PSComputerName, Name | ForEach-Object { "$($_.PSComputerName) $($_.Name) $($_.Status)" } | Should -Be '127.0.0.1 two Created', 'localhost created Created', 'localhost one Exited'
        $all[0].PSObject.TypeNames[0] | Should -Be 'Deserialized.Container.Runtime.Containers.ContainerInfo'
        # an enum of ours comes by name, so a script's comparisons hold as at the host
        @($all | Where-Object Status -EQ 'Exited').Name | Should -Be 'one'
        # remoting adds a column, where each came from; without it, the views show what the host's show
        $all | Out-String -Width 160 | Should -Match 'PSComputerName'
        foreach ($look in { Get-Container }, { Get-Container one, created | Format-List }, { Get-ContainerImage }, { Get-ContainerImage | Format-List },
            { Get-ContainerLog one -Timestamps }) {
            $brought = Invoke-Command $script:one $look
            $brought | ForEach-Object { $_.PSShowComputerName = $false }
            $atHost = Invoke-Command $script:one ([scriptblock]::Create("$look | Out-String -Width 160"))
            Get-Steady ($brought | Out-String -Width 160) | Should -Be (Get-Steady $atHost) -Because "$look"
        }
    }

    It 'keeps what the objects hold: a container''s mounts, an image''s config' {
        $mounted = Invoke-Command $script:one { New-Container busybox -Name mounted -Volume /tmp:/host:ro -Command true }
        $mounted.Mounts[0].Target | Should -Be '/host'
        $mounted.Mounts[0].ReadOnly | Should -BeTrue
        (Invoke-Command $script:one { Get-ContainerImage busybox }).Config.Config.Cmd | Should -Be 'sh'
    }

    It 'pipes the objects back into the host''s cmdlets, by name and by id' {
        $sleeper = Invoke-Command $script:two { New-Container busybox -Name sleeper -Command sleep, 1000 }
        (Invoke-Command $script:two { $using:sleeper | Start-Container -PassThru }).Status | Should -Be 'Running'
        $null = Invoke-Command $script:two { [pscustomobject]@{ Id = $using:sleeper.Id } | Stop-Container -Timeout 0 }
        (Invoke-Command $script:two { $using:sleeper | Get-Container }).Status | Should -Be 'Exited'
        # the other host has no such container: the error comes back as the host's ErrorRecord
        { Invoke-Command $script:one { $using:sleeper | Get-Container -ErrorAction Stop } -ErrorAction Stop } |
            Should -Throw -ErrorId 'ContainerNotFound,*'
    }

    It 'fans an application out to both hosts and gathers their stats (examples/fan-out.ps1)' {
        $example = Join-Path $script:repository 'examples/fan-out.ps1'
        $reach = @{ HostName = $script:hosts.Target; KeyFilePath = $script:hosts[0].Key; Options = $script:hosts[0].Options }
        $stats = & $example @reach -Image busybox -Replicas 2 | Where-Object { $_ -is [psobject] -and $_.PSObject.TypeNames -contains 'Deserialized.Container.Runtime.Containers.ContainerStats' }
        $stats | ForEach-Object { "$($_.PSComputerName) $($_.Name)" } |
            Should -Be '127.0.0.1 fan-out-1', '127.0.0.1 fan-out-2', 'localhost fan-out-1', 'localhost fan-out-2'
        $stats | Out-String | Should -Match 'MEM USAGE / LIMIT'
        & $example @reach -Remove
        Invoke-Command -Session $script:one, $script:two { Get-Container -Name 'fan-out-*' } | Should -BeNullOrEmpty
    }
}
