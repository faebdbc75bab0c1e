#Requires -Version 7.4
#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
<#
    Containers after what a user did not mean to happen: the run root (the runtimes' state)
    deleted under running containers, an init and its monitor killed from outside.
    Build first (dotnet build Container.sln), then: Invoke-Pester ./tests/Pester -Tag Root (as root).
    Every test uses a private store (CONTAINER_ROOT, and its run root), removed at the end.
#>

BeforeDiscovery {
    $script:isRoot = (id -u) -eq '0'
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    Enter-TestStore -Name recovery -Image busybox:recovery
    # where the runtimes keep their state in this store: the tests delete it
    $script:runRoot = Join-Path $env:CONTAINER_ROOT 'run'

    function script:Get-LeftCgroup {
        # the container's cgroup directories in every hierarchy mounted here (each v1 controller, v2)
        param([string] $Id)
        Get-Content /proc/self/mountinfo | Where-Object { $_ -match ' - cgroup2? ' } |
            ForEach-Object { Join-Path ($_ -split ' ')[4] "container/$Id" } | Where-Object { Test-Path $_ }
    }
}

AfterAll {
    Exit-TestStore
}

Describe 'A container whose run root was deleted' -Tag 'Root' -Skip:(-not $script:isRoot) {
    It 'still runs commands, pauses, stops, and is removed without a trace' {
        $container = Start-TestContainer -Name lost -Script "trap 'exit 3' TERM"
        Remove-Item -Recurse -Force $script:runRoot

        (Get-Container lost).Status | Should -Be 'Running'
        Invoke-ContainerCommand lost echo still-here | Should -Be 'still-here'
        (Suspend-Container lost -PassThru).Status | Should -Be 'Paused'
        (Resume-Container lost -PassThru).Status | Should -Be 'Running'
        (Stop-Container lost -Timeout 10 -PassThru).ExitCode | Should -Be 3

        $null = Start-Container lost
        Remove-Item -Recurse -Force $script:runRoot
        Remove-Container lost -Force
        Get-LeftCgroup $container.Id | Should -BeNullOrEmpty
        (Get-Content /proc/self/mountinfo) -join "`n" | Should -Not -Match $container.Id
    }

    It 'is cleaned by the next command after its init and monitor were killed' {
        $container = Start-TestContainer -Name killed -Script "trap 'exit 3' TERM"
        $run = Get-Content (Join-Path $container.Path 'run.json') | ConvertFrom-Json
        Remove-Item -Recurse -Force $script:runRoot
        kill -9 $run.monitorPid $run.pid
        $deadline = (Get-Date).AddSeconds(30)
        while ((Get-Container killed).Status -ne 'Exited') {
            if ((Get-Date) -gt $deadline) { throw 'the killed container still runs' }
            Start-Sleep -Milliseconds 20
        }

        Stop-Container killed
        Get-LeftCgroup $container.Id | Should -BeNullOrEmpty
        (Get-Content /proc/self/mountinfo) -join "`n" | Should -Not -Match $container.Id
        Remove-Container killed
    }
}
