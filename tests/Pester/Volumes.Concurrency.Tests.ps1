#Requires -Version 7.4
#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
<#
    Eight pwsh sessions at once making, running and removing containers with named volumes
    they share, anonymous ones and local-driver tmpfs volumes, and trying to remove and prune
    volumes others use: no removal of a volume in use succeeds, no volume a container refers
    to is lost (nor its files), a removed container's anonymous volumes go with -Volumes, a
    tmpfs volume is mounted once however many start at once, and nothing is left mounted or
    staged. Build first (dotnet build Container.sln).
#>

BeforeDiscovery {
    $script:isRoot = (id -u) -eq '0'
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    Enter-TestStore -Name volume-concurrency -Image busybox:volume-concurrency

    $script:sessions = 8
    $script:rounds = 3
    $script:shared = 4

    function script:Get-StoreMounts {
        # the host's mounts under the store, by mount point
        Get-Content /proc/self/mountinfo | ForEach-Object { $_.Split(' ')[4] } | Where-Object { $_.StartsWith("$env:CONTAINER_ROOT/") }
    }
}

AfterAll {
    Exit-TestStore
}

Describe 'Eight sessions on shared volumes at once' -Tag Root, Concurrency -Skip:(-not $isRoot) {
    It 'refuses every removal of a volume in use, loses no volume a container refers to, and leaves nothing mounted or staged' {
        # what the sessions share (named volumes, a tmpfs one) and a tmpfs volume of each's own,
        # all held by containers the test keeps: a prune of named volumes may take none of them
        $null = New-ContainerVolume shared-tmpfs -Option @{ type = 'tmpfs'; device = 'tmpfs'; o = 'size=8m' }
        foreach ($n in 1..$script:sessions) {
            $null = New-ContainerVolume "own-tmpfs-$n" -Option @{ type = 'tmpfs'; device = 'tmpfs'; o = 'size=4m' }
        }
        foreach ($n in 1..$script:shared) {
            $null = New-Container $script:testImage -Name "holder-$n" -Volume "shared-$($n):/data", 'shared-tmpfs:/t' -Command true
        }
        $null = New-Container $script:testImage -Name holder-own -Volume (1..$script:sessions | ForEach-Object { "own-tmpfs-$($_):/own$_" }) -Command true
        $image = $script:testImage
        $clock = [Diagnostics.Stopwatch]::StartNew()
        $sessions = Start-TestSessions -Count $script:sessions @"
`$a = "shared-`$(`$session % $script:shared + 1)"
`$b = "shared-`$((`$session + 1) % $script:shared + 1)"
foreach (`$round in 1..$script:rounds) {
    # kept: a shared volume, an anonymous one and both tmpfs volumes, each written from inside
    `$kept = New-Container '$image' -Name "s`$session-kept-`$round" -Volume "`$(`$a):/data", '/anon', 'shared-tmpfs:/t', "own-tmpfs-`$(`$session):/own" -Command sh, -c, "echo `$session > /data/s`$session-`$round && echo x > /anon/x && echo x > /t/s`$session-`$round && echo x > /own/x"
    # gone with its anonymous volume; dropped without it (that one is left for a prune)
    `$gone = New-Container '$image' -Name "s`$session-gone-`$round" -Volume "`$(`$b):/data", '/anon', 'shared-tmpfs:/t' -Command sh, -c, 'ls /data > /anon/list'
    `$dropped = New-Container '$image' -Name "s`$session-dropped-`$round" -Volume '/anon' -Command true
    foreach (`$c in `$kept, `$gone, `$dropped) {
        `$exitCode = Start-Container `$c.Id -PassThru | Wait-Container -Timeout 300
        if (`$exitCode -ne 0) { throw "`$(`$c.Name) exited `$exitCode" }
    }
    Add-Content "$script:work/gone-`$session" (`$gone.Mounts | Where-Object { `$_.Target -eq '/anon' }).Source
    Remove-Container `$gone.Id -Volumes
    Remove-Container `$dropped.Id

    # what others use is refused, never removed
    foreach (`$used in `$a, `$b, 'shared-tmpfs', (`$kept.Mounts | Where-Object { `$_.Target -eq '/anon' }).Source) {
        try {
            Remove-ContainerVolume `$used
            throw "removed `$used, which a container uses"
        }
        catch {
            if (`$_.FullyQualifiedErrorId -notlike 'VolumeInUse*') { throw }
        }
    }
    # a prune while the others make and remove theirs: what it removes was unused, and it fails on nothing
    `$null = Remove-ContainerVolume -Unused -IncludeNamed
    `$null = Get-ContainerVolume
}
"@
        try {
            Wait-Until { $sessions.Process.HasExited -notcontains $false } 'every session to end' -Seconds 900
        }
        finally {
            $sessions.Process | Where-Object { -not $_.HasExited } | ForEach-Object { $_.Kill() }
        }
        Get-SessionFailures $sessions | Should -BeNullOrEmpty
        Write-Host "    $($script:sessions * $script:rounds * 3) containers made, run and removed by $($script:sessions) sessions in $([int]$clock.Elapsed.TotalSeconds) s"

        # every volume a remaining container refers to is there, with what was written into it
        $containers = Get-Container
        $containers.Count | Should -Be ($script:shared + 1 + $script:sessions * $script:rounds)
        $referred = $containers.Mounts | Where-Object Type -eq 'Volume' | ForEach-Object Source | Sort-Object -Unique
        $volumes = (Get-ContainerVolume).Name
        $referred | Where-Object { $_ -notin $volumes } | Should -BeNullOrEmpty
        foreach ($session in 1..$script:sessions) {
            $a = "shared-$($session % $script:shared + 1)"
            foreach ($round in 1..$script:rounds) {
                Join-Path (Get-ContainerVolume $a).Mountpoint "s$session-$round" | Should -Exist
                Join-Path (Get-ContainerVolume shared-tmpfs).Mountpoint "s$session-$round" | Should -Exist
                Join-Path (Get-ContainerVolume "own-tmpfs-$session").Mountpoint 'x' | Should -Exist
                $anonymous = (Get-Container "s$session-kept-$round").Mounts | Where-Object Target -eq '/anon'
                Join-Path (Get-ContainerVolume $anonymous.Source).Mountpoint 'x' | Should -Exist
            }
        }
        # the anonymous volumes of the containers removed with -Volumes are gone
        $gone = foreach ($session in 1..$script:sessions) { Get-Content "$script:work/gone-$session" }
        $gone.Count | Should -Be ($script:sessions * $script:rounds)
        $gone | Where-Object { $_ -in $volumes } | Should -BeNullOrEmpty
        # each tmpfs volume mounted once, however many containers started on it at once
        $tmpfs = @('shared-tmpfs') + (1..$script:sessions | ForEach-Object { "own-tmpfs-$_" }) | ForEach-Object { (Get-ContainerVolume $_).Mountpoint }
        Get-StoreMounts | Where-Object { $_ -in $tmpfs } | Group-Object | Where-Object Count -ne 1 | ForEach-Object { "$($_.Name) mounted $($_.Count) times" } |
            Should -BeNullOrEmpty
        (Get-StoreMounts | Where-Object { $_ -in $tmpfs }).Count | Should -Be $tmpfs.Count

        # and once all is removed, nothing of the store is mounted or staged
        Get-Container | Remove-Container -Volumes
        Get-ContainerVolume | Remove-ContainerVolume
        Get-ContainerVolume | Should -BeNullOrEmpty
        Get-StoreMounts | Should -BeNullOrEmpty
        Get-ChildItem (Join-Path $env:CONTAINER_ROOT 'staging') | Should -BeNullOrEmpty
    }
}
