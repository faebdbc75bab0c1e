#Requires -Version 7.4
#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
<#
    Containers as a user drives them: run, stop and signal, restart, pause, rename, exec,
    an interactive shell, logs, processes, stats, live limits, copies.
    Build first (dotnet build Container.sln), then: Invoke-Pester ./tests/Pester -Tag Root (as root).
    Every test uses a private store (CONTAINER_ROOT), removed at the end.
#>

BeforeDiscovery {
    $script:isRoot = (id -u) -eq '0'
    $script:hasScript = [bool](Get-Command script -ErrorAction SilentlyContinue)
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    Enter-TestStore -Name lifecycle -Image busybox:life
}

AfterAll {
    Exit-TestStore
}

Describe 'The container cmdlets' {
    It 'are exported, with -WhatIf where they change things' {
        foreach ($name in 'Invoke-ContainerImage', 'Restart-Container', 'Suspend-Container', 'Resume-Container', 'Rename-Container',
            'Invoke-ContainerCommand', 'Set-CgroupLimit', 'Copy-ContainerFile') {
            (Get-Command $name).Parameters.Keys | Should -Contain 'WhatIf'
        }
        foreach ($name in 'Enter-Container', 'Get-ContainerProcess', 'Get-ContainerStats', 'Get-CgroupLimit') {
            Get-Command $name | Should -Not -BeNullOrEmpty
        }
    }

    It 'complete signal names and restart policies' {
        $line = 'Stop-Container x -Signal SIGKI'
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Contain 'SIGKILL'
        $line = 'New-Container busybox -RestartPolicy unl'
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be 'unless-stopped'
    }

    It 'refuse a limit that is not one before touching anything' {
        { New-Container busybox:life -Memory 'lots' -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidLimit,Container.Module.Cmdlets.NewContainerCommand'
    }
}

Describe 'Invoke-ContainerImage' -Tag 'Root' -Skip:(-not $script:isRoot) {
    It 'writes the output to the pipeline and sets $LASTEXITCODE' {
        $output = Invoke-ContainerImage busybox:life -Name run1 -Command 'sh', '-c', 'echo one; echo two; exit 7'
        $output | Should -Be @('one', 'two')
        $LASTEXITCODE | Should -Be 7
        (Get-Container run1).ExitCode | Should -Be 7
    }

    It 'takes the words after the image as its command' {
        Invoke-ContainerImage busybox:life echo hello -Name run2 | Should -Be 'hello'
    }

    It 'writes errors to the error stream' {
        $output = Invoke-ContainerImage busybox:life -Name run3 -Command 'sh', '-c', 'echo fine; echo broken >&2' -ErrorVariable failures -ErrorAction SilentlyContinue
        $output | Should -Be 'fine'
        $failures | Should -HaveCount 1
        $failures[0].ToString() | Should -Be 'broken'
        $failures[0].FullyQualifiedErrorId | Should -Match '^ContainerStandardError'
    }

    It 'removes the container afterwards with -Remove, its exit code kept' {
        Invoke-ContainerImage busybox:life -Name gone -Remove -Command 'sh', '-c', 'exit 2'
        $LASTEXITCODE | Should -Be 2
        Get-Container -Name gone -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'returns the running container with -Detach' {
        $container = Invoke-ContainerImage busybox:life -Name detached -Detach -Command 'sleep', '300'
        $container | Should -BeOfType Container.Runtime.Containers.ContainerInfo
        $container.Status | Should -Be 'Running'
        (Get-Container detached).StatusText | Should -Match '^Up '
        Remove-Container detached -Force
    }

    It 'applies limits given the PowerShell way and the docker way' {
        $output = Invoke-ContainerImage busybox:life -Name limited -Memory 64MB -PidsLimit 20 -Command 'sh', '-c',
            'cat /sys/fs/cgroup/memory.max 2>/dev/null || cat /sys/fs/cgroup/memory/memory.limit_in_bytes'
        $output | Should -Be '67108864'
        Invoke-ContainerImage busybox:life -Name limited2 -Memory 64m -Command 'sh', '-c',
            'cat /sys/fs/cgroup/memory.max 2>/dev/null || cat /sys/fs/cgroup/memory/memory.limit_in_bytes' | Should -Be '67108864'
    }
}

Describe 'Lifecycle' -Tag 'Root' -Skip:(-not $script:isRoot) {
    It 'stops with the stop signal, and kills at once with -Force' {
        $null = Start-TestContainer -Name graceful -Script "trap 'exit 3' TERM"
        (Stop-Container graceful -Timeout 10 -PassThru).ExitCode | Should -Be 3
        $null = Start-TestContainer -Name forced -Script "trap 'exit 3' TERM"
        (Stop-Container forced -Force -PassThru).ExitCode | Should -Be 137
    }

    It 'waits the container''s -StopTimeout when Stop-Container names no -Timeout, as docker --stop-timeout' {
        $null = Start-TestContainer -Name patient -Script "trap 'echo got-term' TERM" -Options @{ StopTimeout = 1 }
        $clock = [Diagnostics.Stopwatch]::StartNew()
        (Stop-Container patient -PassThru).ExitCode | Should -Be 137
        # given its second after the signal, then killed: well before the 10 s of a container without one
        $clock.Elapsed.TotalSeconds | Should -BeGreaterOrEqual 1
        $clock.Elapsed.TotalSeconds | Should -BeLessThan 9
        (Get-ContainerLog patient).Text | Should -Contain 'got-term'
        Remove-Container patient
    }

    It 'sends any signal with -Signal, and no more' {
        $null = Start-TestContainer -Name signalled -Script "trap 'echo got-usr1' USR1"
        (Stop-Container signalled -Signal USR1 -PassThru).Status | Should -Be 'Running'
        # the trap's line is the proof that the signal arrived; it comes when the shell wakes
        $deadline = (Get-Date).AddSeconds(30)
        while ((Get-ContainerLog signalled).Text -notcontains 'got-usr1') {
            if ((Get-Date) -gt $deadline) { throw 'the trap never ran' }
            Start-Sleep -Milliseconds 20
        }
        (Get-Container signalled).Status | Should -Be 'Running'
        { Stop-Container signalled -Signal NOPE -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidSignal,Container.Module.Cmdlets.StopContainerCommand'
        Remove-Container signalled -Force
    }

    It 'restarts' {
        $before = Start-TestContainer -Name again
        $after = Restart-Container again -Timeout 1 -PassThru
        $after.Status | Should -Be 'Running'
        $after.StartedAt | Should -BeGreaterThan $before.StartedAt
        Remove-Container again -Force
    }

    It 'suspends and resumes, each only from the right state' {
        $null = Start-TestContainer -Name frozen
        (Suspend-Container frozen -PassThru).Status | Should -Be 'Paused'
        (Get-Container frozen).StatusText | Should -Match '\(Paused\)$'
        { Suspend-Container frozen -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidContainerState,Container.Module.Cmdlets.SuspendContainerCommand'
        (Resume-Container frozen -PassThru).Status | Should -Be 'Running'
        Remove-Container frozen -Force
    }

    It 'renames, keeping names unique' {
        $null = New-Container busybox:life -Name before -Command true
        $null = New-Container busybox:life -Name taken -Command true
        (Rename-Container before -NewName after -PassThru).Name | Should -Be 'after'
        { Rename-Container after -NewName taken -ErrorAction Stop } | Should -Throw -ErrorId 'NameInUse,Container.Module.Cmdlets.RenameContainerCommand'
        Get-Container -Name before -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        Remove-Container 'after', 'taken'
    }

    It 'waits with a timeout' {
        $null = Start-TestContainer -Name slow
        { Wait-Container slow -Timeout 1 -ErrorAction Stop } | Should -Throw -ErrorId 'OperationTimeout,Container.Module.Cmdlets.WaitContainerCommand'
        Stop-Container slow -Force
        Wait-Container slow | Should -Be 137
        Remove-Container slow
    }

    It 'restarts by policy and reports health' {
        $null = New-Container busybox:life -Name policy -RestartPolicy 'on-failure:2' -Command 'sh', '-c', 'exit 1' | Start-Container -PassThru
        $deadline = (Get-Date).AddSeconds(60)
        while ((Get-Container policy).RestartCount -lt 2 -or (Get-Container policy).Status -ne 'Exited') {
            if ((Get-Date) -gt $deadline) { throw 'the policy never finished' }
            Start-Sleep -Milliseconds 100
        }
        (Get-Container policy).RestartCount | Should -Be 2
        $null = Start-TestContainer -Name healthy -Options @{ HealthCommand = 'test -e /ready'; HealthInterval = '200ms' }
        $deadline = (Get-Date).AddSeconds(30)
        while ((Get-Container healthy).Health -ne 'Healthy') {
            if ((Get-Date) -gt $deadline) { throw 'never healthy' }
            Start-Sleep -Milliseconds 100
        }
        Remove-Container 'policy', 'healthy' -Force
    }
}

Describe 'Commands in a running container' -Tag 'Root' -Skip:(-not $script:isRoot) {
    BeforeAll {
        $null = Start-TestContainer -Name box -Script 'echo worker:x:1234:1234::/tmp:/bin/sh >> /etc/passwd'
    }
    AfterAll {
        Remove-Container box -Force -ErrorAction SilentlyContinue
    }

    It 'writes the output lines and sets $LASTEXITCODE' {
        Invoke-ContainerCommand box -Command 'sh', '-c', 'echo a; echo b; exit 4' | Should -Be @('a', 'b')
        $LASTEXITCODE | Should -Be 4
    }

    It 'takes the words after the container as the command' {
        Invoke-ContainerCommand box hostname | Should -Be 'box'
    }

    It 'runs as the user, with the environment and directory given' {
        Invoke-ContainerCommand box -User worker -Environment @{ GREETING = 'hi' } -WorkingDirectory /tmp -Command 'sh', '-c', 'id -u; echo $GREETING; pwd' |
            Should -Be @('1234', 'hi', '/tmp')
    }

    It 'writes stderr to the error stream' {
        $null = Invoke-ContainerCommand box -Command 'sh', '-c', 'echo oops >&2' -ErrorVariable failures -ErrorAction SilentlyContinue
        $failures[0].ToString() | Should -Be 'oops'
    }

    It 'refuses a container that is not running' {
        $null = New-Container busybox:life -Name idle -Command true
        { Invoke-ContainerCommand idle -Command true -ErrorAction Stop } |
            Should -Throw -ErrorId 'ContainerNotRunning,Container.Module.Cmdlets.InvokeContainerCommandCommand'
        Remove-Container idle
    }

    It 'enters an interactive shell on a terminal, its exit code kept' -Skip:(-not $script:hasScript) {
        # script(1) gives the child pwsh a terminal; what is piped in is typed into it
        $enter = Join-Path $script:work 'enter.ps1'
        Set-Content -Path $enter -Value "Import-Module '$script:modulePath'; Enter-Container box; exit `$LASTEXITCODE"
        $screen = "stty size; echo inside-`$(hostname); exit 5`n" | script -qec "pwsh -NoProfile -File '$enter'" /dev/null
        $LASTEXITCODE | Should -Be 5
        ($screen -join "`n") | Should -Match 'inside-box'
    }
}

Describe 'Logs' -Tag 'Root' -Skip:(-not $script:isRoot) {
    BeforeAll {
        # apart in time, so the two streams cannot interleave differently
        $null = Invoke-ContainerImage busybox:life -Name logged -ErrorAction SilentlyContinue -Command 'sh', '-c',
            'for i in 1 2 3 4 5; do echo $i; done; sleep 0.3; echo err >&2; sleep 1.5; echo late'
    }

    It 'are objects with time, stream and text' {
        $entries = Get-ContainerLog logged
        $entries.Text | Should -Be @('1', '2', '3', '4', '5', 'err', 'late')
        ($entries | Where-Object Stream -eq 'Stderr').Text | Should -Be 'err'
        $entries[0].Time | Should -BeOfType [DateTimeOffset]
    }

    It 'take the last N with -Tail and the recent ones with -Since' {
        (Get-ContainerLog logged -Tail 2).Text | Should -Be @('err', 'late')
        $late = (Get-ContainerLog logged -Tail 1).Time
        (Get-ContainerLog logged -Since ($late.AddMilliseconds(-500).UtcDateTime)).Text | Should -Be 'late'
        (Get-ContainerLog logged -Since '1h').Text | Should -HaveCount 7
    }

    It 'show timestamps with -Timestamps' {
        $shown = Get-ContainerLog logged -Tail 1 -Timestamps | Out-String
        $shown | Should -Match '\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z\s+late'
    }

    It 'follow a running container until it ends' {
        $null = New-Container busybox:life -Name talker -Command 'sh', '-c', 'echo first; sleep 1; echo second' | Start-Container -PassThru
        (Get-ContainerLog talker -Follow).Text | Should -Be @('first', 'second')
    }
}

Describe 'Processes, stats and limits' -Tag 'Root' -Skip:(-not $script:isRoot) {
    BeforeAll {
        $script:busy = Start-TestContainer -Name busy -Script 'sleep 1000 &' -Options @{ Memory = '128m'; PidsLimit = 50 }
        # /ready is touched once the shell has forked the sleep, maybe before the sleep's exec
        Wait-Until { (Get-ContainerProcess busy).Command -contains 'sleep 1000' } 'the background sleep to run'
    }
    AfterAll {
        Remove-Container busy -Force -ErrorAction SilentlyContinue
    }

    It 'lists the processes with host and container pids' {
        $processes = Get-ContainerProcess busy
        ($processes | Where-Object ContainerPid -eq 1).Pid | Should -Be $script:busy.Pid
        $processes.Command | Should -Contain 'sleep 1000'
    }

    It 'samples resource use' {
        $stats = Get-ContainerStats busy
        $stats.MemoryLimit | Should -Be 128MB
        $stats.MemoryUsage | Should -BeGreaterThan 0
        $stats.Pids | Should -BeGreaterOrEqual 2
        (Get-ContainerStats).Name | Should -Contain 'busy'
        (Get-ContainerStats busy | Format-Table | Out-String) | Should -Match 'MEM USAGE / LIMIT'
    }

    It 'streams samples until the pipeline has enough' {
        $samples = Get-ContainerStats busy -Stream -Interval 0.2 | Select-Object -First 3
        $samples | Should -HaveCount 3
    }

    It 'changes limits live, and -WhatIf changes nothing' {
        Set-CgroupLimit busy -Memory 256MB -WhatIf
        (Get-CgroupLimit busy).Limits.Memory | Should -Be 128MB
        $now = Set-CgroupLimit busy -Memory 256MB -Cpus 0.5
        $now.Limits.Memory | Should -Be 256MB
        $now.Limits.Cpus | Should -Be 0.5
        (Get-ContainerStats busy).MemoryLimit | Should -Be 256MB
    }

    It 'warns of a memory limit under the usage' {
        $null = Start-TestContainer -Name hungry -Script 'x=$(head -c 16777216 /dev/zero | tr "\0" a)'
        $null = Set-CgroupLimit hungry -Memory 8MB -WarningVariable warnings -WhatIf
        $warnings | Should -Not -BeNullOrEmpty
        Remove-Container hungry -Force
    }

    It 'refuses bad limits with InvalidLimit' {
        { Set-CgroupLimit busy -Cpus 1000 -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidLimit,Container.Module.Cmdlets.SetCgroupLimitCommand'
        { Set-CgroupLimit busy -ErrorAction Stop } | Should -Throw -ErrorId 'NoLimitGiven,Container.Module.Cmdlets.SetCgroupLimitCommand'
    }
}

Describe 'Copy-ContainerFile' -Tag 'Root' -Skip:(-not $script:isRoot) {
    BeforeAll {
        $null = Start-TestContainer -Name files -Script 'mkdir -p /data; echo inside > /data/file; ln -s / /escape'
    }
    AfterAll {
        Remove-Container files -Force -ErrorAction SilentlyContinue
    }

    It 'copies into a container, keeping the mode' {
        $source = Join-Path $script:work 'notes.txt'
        Set-Content -Path $source -Value 'hello'
        chmod 640 $source
        Copy-ContainerFile $source files:/tmp/
        Invoke-ContainerCommand files -Command 'sh', '-c', 'cat /tmp/notes.txt; stat -c %a /tmp/notes.txt' | Should -Be @('hello', '640')
    }

    It 'copies out of a container, relative to the current location' {
        Push-Location $script:work
        try {
            Copy-ContainerFile files:/data ./out
            Get-Content (Join-Path $script:work 'out/file') | Should -Be 'inside'
        }
        finally {
            Pop-Location
        }
    }

    It 'never follows a link out of the container' {
        $source = Join-Path $script:work 'planted.txt'
        Set-Content -Path $source -Value 'planted'
        $hostPath = Join-Path ([IO.Path]::GetTempPath()) 'planted.txt'
        Remove-Item $hostPath -ErrorAction SilentlyContinue
        Copy-ContainerFile $source "files:/escape$([IO.Path]::GetTempPath())"
        Test-Path $hostPath | Should -BeFalse
    }

    It 'needs exactly one side in a container' {
        { Copy-ContainerFile /etc/hostname /tmp/x -ErrorAction Stop } |
            Should -Throw -ErrorId 'CopyNeedsOneContainer,Container.Module.Cmdlets.CopyContainerFileCommand'
    }
}
