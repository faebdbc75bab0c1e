#Requires -Version 7.4
#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
<#
    Every view of the format file as a user reads it: each table at 80 columns (what pwsh
    formats at without a terminal) and at 120. At both no header wraps and no line is wider;
    at 80 the columns that answer the question are there, whole; at 120 every column is,
    and no value is cut ('…'). Build first (dotnet build Container.sln).
#>

BeforeDiscovery {
    $script:isRoot = (id -u) -eq '0'
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    Enter-TestStore -Name views -Image busybox:views

    function script:Format-View {
        # the objects as the default table shows them, at a width: its non-empty lines
        param([object[]] $InputObject, [int] $Width)
        ($InputObject | Format-Table | Out-String -Width $Width) -split "`r?`n" | Where-Object { $_.Trim() }
    }

    function script:Assert-Table {
        # a table's header is one line (the dashes follow it), it holds the labels, nothing is wider or cut
        param([string[]] $Lines, [int] $Width, [string[]] $Labels, [string[]] $Absent = @())
        $header = [array]::FindIndex($Lines, [Predicate[string]] { param($l) $l -match '^[-\s]+$' }) - 1
        $header | Should -BeGreaterOrEqual 0 -Because 'a table has a line of dashes under its header'
        if ($header -gt 0) {
            # only a group's title may stand above the header
            $Lines[0] | Should -Match '^\s*\w+: ' -Because "the header is one line at $Width columns, not wrapped:`n$($Lines -join "`n")"
        }
        foreach ($label in $Labels) {
            $Lines[$header] | Should -Match ([regex]::Escape($label)) -Because "$label is shown at $Width columns:`n$($Lines -join "`n")"
        }
        foreach ($label in $Absent) {
            $Lines[$header] | Should -Not -Match ([regex]::Escape($label)) -Because "$label makes room for the others at $Width columns"
        }
        foreach ($line in $Lines) {
            $line.TrimEnd().Length | Should -BeLessOrEqual $Width
            $line | Should -Not -Match '…' -Because "no value is cut at $Width columns:`n$($Lines -join "`n")"
        }
    }

    function script:Wait-Until {
        param([scriptblock] $Condition, [string] $What)
        $deadline = (Get-Date).AddSeconds(60)
        while (-not (& $Condition)) {
            if ((Get-Date) -gt $deadline) { throw "never $What" }
            Start-Sleep -Milliseconds 50
        }
    }
}

AfterAll {
    Exit-TestStore
}

Describe 'The views' -Tag 'Root' -Skip:(-not $script:isRoot) {
    BeforeAll {
        # a name as long as a generated one, a container running, one that exited with a code
        $script:running = New-Container busybox:views -Name 'views_running_123' -Command 'sleep', '300' -Memory 128MB -Cpus 0.5 -PidsLimit 50 -CpuShares 512 -MemoryReservation 64MB |
            Start-Container -PassThru
        $script:exited = New-Container busybox:views -Name 'views_exited_45' -Command 'sh', '-c', 'exit 3' | Start-Container -PassThru
        $null = Wait-Container views_exited_45 -Timeout 60
    }

    Context 'Get-Container (docker ps)' {
        It 'shows id, name, image and the whole status with its exit code at 80' {
            $lines = Format-View (Get-Container) 80
            Assert-Table $lines 80 -Labels 'CONTAINER ID', 'NAME', 'IMAGE', 'STATUS' -Absent 'COMMAND'
            ($lines -join "`n") | Should -Match "(?m)^$($script:exited.ShortId) +views_exited_45 +busybox:views +Exited \(3\) "
            ($lines -join "`n") | Should -Match "(?m)^$($script:running.ShortId) +views_running_123 +busybox:views +Up "
        }

        It 'adds when it was made and its command at 120' {
            $lines = Format-View (Get-Container) 120
            Assert-Table $lines 120 -Labels 'CONTAINER ID', 'NAME', 'IMAGE', 'STATUS', 'CREATED', 'COMMAND'
            # COMMAND is padded to its width: PORTS follows it on a wider terminal
            ($lines -join "`n") | Should -Match '(?m) ago +sh -c "exit 3" *$'
            ($lines -join "`n") | Should -Match '(?m) ago +sleep 300 *$'
        }
    }

    Context 'Get-Container | Format-List (docker inspect)' {
        It 'shows OomKilled, RestartCount, Health and the last healthcheck results' {
            $null = New-Container busybox:views -Name checked -Command 'sleep', '300' -HealthCommand 'echo fine' -HealthInterval 100ms |
                Start-Container -PassThru
            Wait-Until { (Get-Container checked).HealthLog.Count -ge 2 } 'probed twice'
            $shown = Get-Container checked | Format-List | Out-String -Width 120
            $shown | Should -Match '(?m)^OomKilled\s+: False$'
            $shown | Should -Match '(?m)^RestartCount\s+: 0$'
            $shown | Should -Match '(?m)^Health\s+: Healthy$'
            $shown | Should -Match '(?m)^HealthLog\s+: \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ exit 0 \(\d+ms\): fine$'
            (Get-Container checked).HealthLog[-1].Output | Should -Be "fine`n"
            Remove-Container checked -Force
        }
    }

    Context 'Get-ContainerImage (docker images)' {
        It 'shows every column whole at <Width>' -ForEach @(@{ Width = 80 }, @{ Width = 120 }) {
            $image = Get-ContainerImage busybox:views
            $lines = Format-View $image $Width
            Assert-Table $lines $Width -Labels 'REPOSITORY', 'TAG', 'IMAGE ID', 'CREATED', 'SIZE'
            ($lines -join "`n") | Should -Match "(?m)^busybox +views +$($image.ShortId) +.+ ago +\d"
        }
    }

    Context 'Get-ContainerProcess (docker top)' {
        It 'shows every column whole at <Width>' -ForEach @(@{ Width = 80 }, @{ Width = 120 }) {
            $lines = Format-View (Get-ContainerProcess views_running_123) $Width
            Assert-Table $lines $Width -Labels 'PID', 'CONTAINER PID', 'PPID', 'UID', 'STATE', 'TIME', 'RSS', 'COMMAND'
            ($lines -join "`n") | Should -Match "(?m)^ *$($script:running.Pid) +1 +\d+ +0 +\w +\d\d:\d\d:\d\d +[\d.]+\w+ sleep 300$"
        }
    }

    Context 'Get-ContainerStats (docker stats)' {
        It 'shows CPU, memory and pids whole at 80' {
            $lines = Format-View (Get-ContainerStats views_running_123) 80
            Assert-Table $lines 80 -Labels 'CONTAINER ID', 'NAME', 'CPU %', 'MEM USAGE / LIMIT', 'MEM %', 'PIDS' -Absent 'NET I/O'
            ($lines -join "`n") | Should -Match "(?m)^$($script:running.ShortId) views_running_123 +[\d.]+% +[\d.]+\w+ / 128MiB +[\d.]+% +1$"
        }

        It 'adds network and block IO at 120' {
            $lines = Format-View (Get-ContainerStats views_running_123) 120
            Assert-Table $lines 120 -Labels 'CONTAINER ID', 'NAME', 'CPU %', 'MEM USAGE / LIMIT', 'MEM %', 'PIDS', 'NET I/O', 'BLOCK I/O'
            ($lines -join "`n") | Should -Match '(?m) 1 +[\d.]+\w+ / [\d.]+\w+ +[\d.]+\w+ / [\d.]+\w+$'
        }
    }

    Context 'Get-CgroupLimit' {
        It 'shows each limit that is set on a line of its own at <Width>' -ForEach @(@{ Width = 80 }, @{ Width = 120 }) {
            $lines = Format-View (Get-CgroupLimit views_running_123) $Width
            Assert-Table $lines $Width -Labels 'CONTAINER ID', 'NAME', 'LIMITS'
            $lines[2] | Should -Match "^$($script:running.ShortId) views_running_123 +Memory=128MiB$"
            $lines[3..($lines.Count - 1)].Trim() | Should -Be 'MemoryReservation=64MiB', 'Cpus=0.5', 'CpuShares=512', 'PidsLimit=50'
        }
    }

    Context 'Get-ContainerLog (docker logs)' {
        BeforeAll {
            $script:long = (1..30 | ForEach-Object { "word$_" }) -join ' '
            $null = Invoke-ContainerImage busybox:views -Name talker -Command 'echo', $script:long
        }

        It 'shows a long line whole at <Width>, wrapped<Timestamps>' -ForEach @(
            @{ Width = 80; Timestamps = '' }, @{ Width = 120; Timestamps = '' }
            @{ Width = 80; Timestamps = ' with its time' }, @{ Width = 120; Timestamps = ' with its time' }
        ) {
            $entries = Get-ContainerLog talker -Timestamps:([bool]$Timestamps)
            $lines = ($entries | Out-String -Width $Width) -split "`r?`n" | Where-Object { $_.Trim() }
            foreach ($line in $lines) {
                $line.TrimEnd().Length | Should -BeLessOrEqual $Width
                $line | Should -Not -Match '…'
            }
            $lines.Count | Should -BeGreaterThan 1 -Because 'a line wider than the table wraps'
            if ($Timestamps) {
                $lines[0] | Should -Match '^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z +word1 '
                $lines[0] = $lines[0] -replace '^\S+'
            }
            # wrapped where the column ends, in a word or not: every character is there
            ($lines -join '') -replace '\s' | Should -Be ($script:long -replace '\s')
        }
    }
}
