#Requires -Version 7.4
#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
<#
    Eight pwsh sessions at once, each creating and starting twenty containers on one
    user-defined network, then each removing its own: every container has an address of its
    own (in its record, its lease and its namespace), no lease is lost, and nothing is left
    once they are removed. The kernel's side is made in a network namespace of the test's own
    that plays the host (CONTAINER_HOST_NETNS): nothing touches the host's network.
    Build first (dotnet build Container.sln).
#>

BeforeDiscovery {
    $script:isRoot = (id -u) -eq '0'
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    Enter-TestStore -Name concurrency -Image busybox:concurrency

    $script:sessions = 8
    $script:perSession = 20
    $script:hostNamespace = $null
    if ((id -u) -eq '0') {
        $name = 'ctest-' + [guid]::NewGuid().ToString('n').Substring(0, 10)
        ip netns add $name
        ip -n $name link set lo up
        $script:hostNamespace = $name
        $script:savedHostNetns = $env:CONTAINER_HOST_NETNS
        $env:CONTAINER_HOST_NETNS = "/run/netns/$name"
    }

    function script:Get-Leases {
        # the network's leases as stored, the dead's too: id -> address
        $file = Join-Path $env:CONTAINER_ROOT 'networks/crowd/leases.json'
        if (-not (Test-Path $file)) { return @{} }
        (Get-Content $file -Raw | ConvertFrom-Json -AsHashtable).leases
    }
}

AfterAll {
    Exit-TestStore
    if ($script:hostNamespace) {
        ip netns del $script:hostNamespace
        $env:CONTAINER_HOST_NETNS = $script:savedHostNetns
    }
}

Describe 'Eight sessions on one network at once' -Tag Root, Concurrency -Skip:(-not $isRoot) {
    It 'gives 160 containers started at once addresses of their own, loses no lease, and leaves nothing once they are removed' {
        $network = New-ContainerNetwork crowd -Subnet 10.77.0.0/24
        $clock = [Diagnostics.Stopwatch]::StartNew()

        # each session makes its twenty, says so, and removes them when told: one pwsh start each
        $go = Join-Path $script:work 'remove'
        $sessions = Start-TestSessions -Count $script:sessions @"
foreach (`$i in 1..$script:perSession) {
    `$null = New-Container '$script:testImage' -Name "s`$session-c`$i" -Network crowd -Command sleep, 600 | Start-Container
}
`$null = New-Item "$script:work/started-`$session"
while (-not (Test-Path '$go')) { Start-Sleep -Milliseconds 50 }
Get-Container -Name "s`$session-*" | Remove-Container -Force
"@
        try {
            Wait-Until { (Get-SessionFailures $sessions) -or (Get-ChildItem $script:work -Filter 'started-*').Count -eq $script:sessions } 'every session to start its containers' -Seconds 600
            Get-SessionFailures $sessions | Should -BeNullOrEmpty
            $started = $clock.Elapsed

            $containers = Get-Container
            $containers.Count | Should -Be ($script:sessions * $script:perSession)
            $containers | Where-Object Status -ne 'Running' | Should -BeNullOrEmpty
            $addresses = $containers | ForEach-Object { $_.Networks[0].Address }
            ($addresses | Sort-Object -Unique).Count | Should -Be $containers.Count
            # every lease kept, each the address its container's record and namespace have
            $leases = Get-Leases
            $leases.Count | Should -Be $containers.Count
            # what each namespace has on eth0, by one shell (a native command from pwsh per container costs seconds on a loaded host)
            $inside = @{}
            bash -c 'for id; do echo "$id $(nsenter --net="$0/$id" ip -4 -o addr show eth0)"; done' "$env:CONTAINER_ROOT/run/netns" $containers.Id |
                ForEach-Object { $inside[$_.Split(' ')[0]] = $_ }
            $containers | Where-Object { $leases[$_.Id].address -ne $_.Networks[0].Address -or $inside[$_.Id] -notmatch " inet $([regex]::Escape($_.Networks[0].Address))/24 " } |
                ForEach-Object { "$($_.Name): record $($_.Networks[0].Address), lease $($leases[$_.Id].address), inside '$($inside[$_.Id])'" } |
                Should -BeNullOrEmpty
            (ip -n $script:hostNamespace -o link show master $network.Bridge).Count | Should -Be $containers.Count
            $clock.Restart()
        }
        finally {
            # told to remove theirs, whatever the checks found: none waits on after the test
            $null = New-Item $go -Force
            $sessions.Process.WaitForExit()
        }
        Get-SessionFailures $sessions | Should -BeNullOrEmpty
        $removed = $clock.Elapsed
        Write-Host "    160 created and started by 8 sessions in $([int]$started.TotalSeconds) s, removed in $([int]$removed.TotalSeconds) s"

        Get-Container | Should -BeNullOrEmpty
        (Get-Leases).Count | Should -Be 0
        # the helper's background work (the host's veth ends, the bridge) holds background.lock until it is done
        flock "$env:CONTAINER_ROOT/run/netns/background.lock" true
        ip -n $script:hostNamespace -o link show | Where-Object { $_ -notmatch '^\d+: lo:' } | Should -BeNullOrEmpty
        nsenter "--net=/run/netns/$script:hostNamespace" nft list table inet container 2>$null | Should -BeNullOrEmpty
        Get-Content /proc/self/mountinfo | Where-Object { $_ -match [regex]::Escape("$env:CONTAINER_ROOT/run") } | Should -BeNullOrEmpty
        Get-ChildItem "$env:CONTAINER_ROOT/run/netns" -Exclude network.lock, background.lock | Should -BeNullOrEmpty
    }
}
