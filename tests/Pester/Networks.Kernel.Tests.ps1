#Requires -Version 7.4
#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
<#
    Networks as a pwsh user meets them on a real kernel: every -Network mode, user-defined and
    internal networks, each form of -Publish reached from a remote host, from the host itself
    and from another container, PortInUse, Test-ContainerPort's answers, and the host's firewall
    reloaded or dropping (Repair-ContainerNetwork). The engine works in a network namespace of
    this file's that plays the host (CONTAINER_HOST_NETNS), wired to another that plays a remote
    host; no traffic goes anywhere else, and the root namespace's links and ruleset are checked
    unchanged at the end. The engine-level proofs are the xunit Kernel tests' (Networks/Kernel*).
    Build first (dotnet build Container.sln).
#>

BeforeDiscovery {
    $script:isRoot = (id -u) -eq '0'
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    Enter-TestStore -Name netkernel -Image busybox:netkernel

    $script:hostAddress = '198.51.100.1'
    $script:remoteAddress = '198.51.100.2'
    # discovery's variables are not the run's
    $script:isRoot = (id -u) -eq '0'
    if ($script:isRoot) {
        $script:rootLinks = ip -o link show | ForEach-Object { ($_ -split ':')[1].Trim() }
        $script:rootRuleset = nft list ruleset | Out-String
        $suffix = [guid]::NewGuid().ToString('n').Substring(0, 8)
        $script:hostNs = "ctest-$suffix"
        $script:remoteNs = "ctest-$suffix-r"
        ip netns add $script:hostNs
        ip netns add $script:remoteNs
        ip link add "h$suffix" netns $script:hostNs type veth peer name "r$suffix" netns $script:remoteNs
        ip -n $script:hostNs addr add "$script:hostAddress/24" dev "h$suffix"
        ip -n $script:remoteNs addr add "$script:remoteAddress/24" dev "r$suffix"
        foreach ($ns in $script:hostNs, $script:remoteNs) {
            ip -n $ns link set lo up
        }
        ip -n $script:hostNs link set "h$suffix" up
        ip -n $script:remoteNs link set "r$suffix" up
        $env:CONTAINER_HOST_NETNS = "/run/netns/$script:hostNs"
        # nsenter's argument that runs a command of the host's in each namespace
        $script:inHost = "--net=/run/netns/$script:hostNs"
        $script:inRemote = "--net=/run/netns/$script:remoteNs"
        # a store that says bridge, as a user's without config.json does; its host is the netns
        Set-Content -Path (Join-Path $env:CONTAINER_ROOT 'config.json') -Value '{"defaultNetwork":"bridge"}'
        $env:CONTAINER_NETWORK = $null

        # the remote host serves a page on 9000, for the containers' way out
        $script:remotePage = Join-Path $script:work 'remote'
        $null = New-Item -ItemType Directory -Path $script:remotePage
        Set-Content -Path (Join-Path $script:remotePage 'index.html') -Value 'remote'
        $script:remoteServer = Start-Process nsenter -ArgumentList $script:inRemote, 'busybox', 'httpd', '-f', '-p', '9000', '-h', $script:remotePage -PassThru -RedirectStandardOutput (Join-Path $script:work 'remote.out') -RedirectStandardError (Join-Path $script:work 'remote.err')
    }

    function script:Get-Page {
        # the page at address:port as a client in the namespace gets it; nothing when none comes
        param([Parameter(Mandatory)] [string] $Namespace, [Parameter(Mandatory)] [string] $Address, [Parameter(Mandatory)] [int] $Port, [int] $Seconds = 5)
        $page = nsenter "--net=/run/netns/$Namespace" curl -s --max-time $Seconds "http://${Address}:$Port/"
        if ($LASTEXITCODE -eq 0) { $page }
    }

    function script:Start-WebContainer {
        # busybox httpd serving the container's name on each port, published as Options say; returned once the host reaches it
        param([Parameter(Mandatory)] [string] $Name, [hashtable] $Options = @{}, [int[]] $Port = 80, [string] $Listen = '')
        $servers = ($Port | ForEach-Object { "httpd -p $Listen$_ -h /www" }) -join "`n"
        Start-TestContainer -Name $Name -Script "mkdir -p /www; echo $Name > /www/index.html`n$servers" -Options $Options
    }

    function script:Invoke-NetContainer {
        # runs the script in a new container to its end; its output lines
        param([Parameter(Mandatory)] [string] $Name, [Parameter(Mandatory)] [string] $Script, [hashtable] $Options = @{})
        $null = New-Container $script:testImage -Name $Name -Command 'sh', '-c', $Script @Options | Start-Container -PassThru | Wait-Container -Timeout 120
        (Get-ContainerLog -Name $Name).Text
    }

    function script:Get-PageScript {
        # a container's shell line that prints the page at address:port (busybox-static's wget cannot resolve, even an address)
        param([Parameter(Mandatory)] [string] $Address, [Parameter(Mandatory)] [int] $Port)
        "printf 'GET / HTTP/1.0\r\n\r\n' | nc -w 10 $Address $Port | tail -n 1"
    }

    function script:Wait-Page {
        # waits until the page at address:port from the namespace is the one expected
        param([string] $Namespace, [string] $Address, [int] $Port, [string] $Expected)
        Wait-Until { (Get-Page $Namespace $Address $Port -Seconds 2) -eq $Expected } "$Expected at ${Address}:$Port from $Namespace"
    }
}

AfterAll {
    if ($script:isRoot) {
        if ($script:remoteServer) { $script:remoteServer.Kill() }
        Get-Container -ErrorAction SilentlyContinue | Remove-Container -Force -ErrorAction SilentlyContinue
        Get-ContainerNetwork -ErrorAction SilentlyContinue | Where-Object Name -ne 'bridge' | Remove-ContainerNetwork -Force -ErrorAction SilentlyContinue
        ip netns del $script:remoteNs
        ip netns del $script:hostNs
        $env:CONTAINER_HOST_NETNS = $null
    }
    Exit-TestStore
}

Describe 'Network modes' -Tag 'Root' -Skip:(-not $script:isRoot) {
    AfterEach {
        Get-Container | Remove-Container -Force
    }

    It 'gives a container of a store that says bridge eth0 with an address on it and a default route' {
        $lines = Invoke-NetContainer -Name bridged -Script 'ip -o -4 addr show eth0; ip route'
        (Get-Container bridged).NetworkMode | Should -Be 'bridge'
        $address = (Get-Container bridged).IPAddress
        $address | Should -Match '^10\.88\.0\.\d+$'
        $lines -join "`n" | Should -Match "eth0 +inet $([regex]::Escape($address))/16"
        $lines -join "`n" | Should -Match '(?m)^default via 10\.88\.0\.1 dev eth0'
    }

    It 'reaches a remote host from the bridge (outbound NAT)' {
        Invoke-NetContainer -Name outbound -Script (Get-PageScript $script:remoteAddress 9000) | Should -Be 'remote'
    }

    It 'gives -Network none loopback only' {
        $lines = @(Invoke-NetContainer -Name alone -Options @{ Network = 'none' } -Script 'ip -o link show')
        $lines.Count | Should -Be 1
        $lines[0] | Should -Match '^1: lo:'
    }

    It 'puts -Network host in the caller''s network namespace' {
        $own = readlink /proc/self/ns/net
        Invoke-NetContainer -Name hosted -Options @{ Network = 'host' } -Script 'readlink /proc/self/ns/net' | Should -Be $own
    }

    It 'lets container:<name> see the other''s eth0 and its /etc/hosts' {
        $web = Start-WebContainer -Name joined-web
        $lines = Invoke-NetContainer -Name joiner -Options @{ Network = 'container:joined-web' } -Script "ip -o -4 addr show eth0; cat /etc/hosts; $(Get-PageScript 127.0.0.1 80)"
        $lines -join "`n" | Should -Match "eth0 +inet $([regex]::Escape($web.IPAddress))/16"
        $lines -join "`n" | Should -Match "(?m)^$([regex]::Escape($web.IPAddress))\s+$($web.Hostname)"
        $lines | Should -Contain 'joined-web'
    }

    It 'puts a container on a network made with -Subnet and -Gateway' {
        $null = New-ContainerNetwork app -Subnet 10.95.0.0/24 -Gateway 10.95.0.254
        $lines = Invoke-NetContainer -Name on-app -Options @{ Network = 'app' } -Script 'ip -o -4 addr show eth0; ip route'
        (Get-Container on-app).IPAddress | Should -Match '^10\.95\.0\.\d+$'
        $lines -join "`n" | Should -Match 'eth0 +inet 10\.95\.0\.\d+/24'
        $lines -join "`n" | Should -Match '(?m)^default via 10\.95\.0\.254 dev eth0'
        Get-Container | Remove-Container -Force
        Remove-ContainerNetwork app
    }

    It 'gives a container on an -Internal network no route out' {
        $null = New-ContainerNetwork sealed -Subnet 10.96.0.0/24 -Internal
        $lines = Invoke-NetContainer -Name inside -Options @{ Network = 'sealed' } -Script "ip route; nc -w 5 $script:remoteAddress 9000 </dev/null 2>&1; echo exit=`$?"
        $lines | Where-Object { $_ -like 'default*' } | Should -BeNullOrEmpty
        $lines -join "`n" | Should -Match 'unreachable'
        $lines[-1] | Should -Be 'exit=1'
        Get-Container | Remove-Container -Force
        Remove-ContainerNetwork sealed
    }
}

Describe 'Published ports' -Tag 'Root' -Skip:(-not $script:isRoot) {
    BeforeAll {
        $script:web = Start-WebContainer -Name web -Port 80, 81 -Options @{ Publish = '8080:80', '127.0.0.1:8081:80', '8000-8001:80-81', '80', '5353:53/udp' }
        $script:chosen = (Get-ContainerPort web 80 | Where-Object { $_.HostPort -notin 8080, 8081, 8000 }).HostPort
        Wait-Page $script:remoteNs $script:hostAddress 8080 'web'
    }

    AfterAll {
        Get-Container | Remove-Container -Force
    }

    It 'chooses a free host port for -Publish 80, which Get-ContainerPort and the PORTS column tell' {
        $script:chosen | Should -BeGreaterThan 0
        (Get-Container web).PortsText | Should -BeLike "*0.0.0.0:${script:chosen}->80/tcp*"
        (Get-Container web).PortsText | Should -BeLike '*0.0.0.0:8000-8001->80-81/tcp*'
        (Get-ContainerPort web 53/udp).HostPort | Should -Be 5353
    }

    It 'is reached from a remote host on <Port>' -ForEach @(
        @{ Port = 8080 }, @{ Port = 8000 }, @{ Port = 8001 }, @{ Port = 'chosen' }
    ) {
        $number = if ($Port -eq 'chosen') { $script:chosen } else { $Port }
        Get-Page $script:remoteNs $script:hostAddress $number | Should -Be 'web'
    }

    It 'is not reached from a remote host on a port published on 127.0.0.1' {
        Get-Page $script:remoteNs $script:hostAddress 8081 -Seconds 2 | Should -BeNullOrEmpty
    }

    It 'is reached from the host on 127.0.0.1 and on its own address' {
        Get-Page $script:hostNs 127.0.0.1 8080 | Should -Be 'web'
        Get-Page $script:hostNs 127.0.0.1 8081 | Should -Be 'web'
        Get-Page $script:hostNs $script:hostAddress 8080 | Should -Be 'web'
        Get-Page $script:hostNs $script:hostAddress 8081 -Seconds 2 | Should -BeNullOrEmpty
    }

    It 'is reached from another container through the host''s address (hairpin)' {
        Invoke-NetContainer -Name hairpin -Script (Get-PageScript $script:hostAddress 8080) | Should -Be 'web'
    }

    It 'holds a udp port on the host while the container runs' {
        nsenter $script:inHost ss -Huln 'sport = :5353' | Should -Not -BeNullOrEmpty
    }

    It 'refuses a port a host process holds with PortInUse, and one another container holds' {
        $holder = Start-Process nsenter -ArgumentList $script:inHost, 'busybox', 'nc', '-l', '-p', '8090' -PassThru -RedirectStandardInput /dev/null -RedirectStandardOutput (Join-Path $script:work 'holder.out')
        try {
            Wait-Until { nsenter $script:inHost ss -Hltn 'sport = :8090' } 'the host process listening on 8090'
            { New-Container $script:testImage -Name taken -Publish 8090:80 -Command true | Start-Container -ErrorAction Stop } |
                Should -Throw -ErrorId 'PortInUse,Container.Module.Cmdlets.StartContainerCommand'
            $Error[0].CategoryInfo.Category | Should -Be 'ResourceUnavailable'
            $Error[0].Exception.Message | Should -BeLike '*0.0.0.0:8090/tcp*'
        }
        finally {
            $holder.Kill()
        }
        { New-Container $script:testImage -Name second -Publish 8080:80 -Command true | Start-Container -ErrorAction Stop } |
            Should -Throw -ErrorId 'PortInUse,Container.Module.Cmdlets.StartContainerCommand'
        Remove-Container taken, second
    }

    It 'frees the port once the container stops' {
        $null = Start-WebContainer -Name brief -Options @{ Publish = '8085:80' }
        Wait-Page $script:remoteNs $script:hostAddress 8085 'brief'
        $null = Stop-Container brief -Timeout 0
        $next = Start-WebContainer -Name next -Options @{ Publish = '8085:80' }
        $next.Status | Should -Be 'Running'
        Wait-Page $script:remoteNs $script:hostAddress 8085 'next'
    }
}

Describe 'Test-ContainerPort' -Tag 'Root' -Skip:(-not $script:isRoot) {
    BeforeAll {
        $script:web = Start-WebContainer -Name probed -Options @{ Publish = '8180:80', '127.0.0.1:8181:80', '8182:81', '5354:53/udp' }
        Wait-Page $script:remoteNs $script:hostAddress 8180 'probed'
    }

    AfterAll {
        Get-Container | Remove-Container -Force
    }

    It 'says a published port with a server is reached from loopback, the host''s address and another container' {
        $result = Test-ContainerPort probed 8180
        $result.Container, $result.HostPort, $result.ContainerPort, $result.Protocol | Should -Be 'probed', 8180, 80, 'tcp'
        $result.HostAddress | Should -Be $script:hostAddress
        $result.FromLoopback, $result.FromHostAddress, $result.FromContainer | Should -Be $true, $true, $true
        $result.Problems | Should -BeNullOrEmpty
        $result.Reachable | Should -BeTrue
    }

    It 'gives one object per published port, and PortNotPublished for a port it does not publish' {
        (Test-ContainerPort probed).HostPort | Should -Be 8180, 8181, 8182, 5354
        { Test-ContainerPort probed 9999 -ErrorAction Stop } | Should -Throw -ErrorId 'PortNotPublished,Container.Module.Cmdlets.TestContainerPortCommand'
    }

    It 'says a port published on 127.0.0.1 is reached from loopback only, for its bind address' {
        $result = Test-ContainerPort probed 8181
        $result.FromLoopback, $result.FromHostAddress, $result.FromContainer | Should -Be $true, $false, $false
        $result.Problems.Kind | Should -Be 'BindAddress'
    }

    It 'says nothing listens inside on a port with no server, tcp or udp' {
        $tcp = Test-ContainerPort probed 8182
        $tcp.FromLoopback, $tcp.FromHostAddress, $tcp.FromContainer | Should -Be $false, $false, $false
        $tcp.Problems.Kind | Should -Be 'NotListening'
        $tcp.Problems.Message | Should -BeLike '*81/tcp*'
        $udp = Test-ContainerPort probed -Protocol udp
        $udp.FromLoopback, $udp.FromHostAddress | Should -Be $null, $null
        $udp.Problems.Kind | Should -Be 'NotListening'
    }

    It 'says a server on the container''s loopback only is not reached' {
        $null = Start-WebContainer -Name shy -Listen '127.0.0.1:' -Options @{ Publish = '8183:80' }
        $result = Test-ContainerPort shy
        $result.FromLoopback | Should -BeFalse
        $result.Problems.Kind | Should -Be 'ListeningOnLoopback'
    }

    It 'refuses a container that is not running' {
        $null = New-Container $script:testImage -Name idle -Publish 8184:80 -Command true
        { Test-ContainerPort idle -ErrorAction Stop } | Should -Throw -ErrorId 'ContainerNotRunning,Container.Module.Cmdlets.TestContainerPortCommand'
    }
}

Describe 'The host''s firewall reloaded, or dropping forwarded traffic' -Tag 'Root' -Skip:(-not $script:isRoot) {
    BeforeEach {
        $script:web = Start-WebContainer -Name guarded -Options @{ Publish = '8280:80' }
        Wait-Page $script:remoteNs $script:hostAddress 8280 'guarded'
    }

    AfterEach {
        Get-Container | Remove-Container -Force
        nsenter $script:inHost iptables -P FORWARD ACCEPT
        nsenter $script:inHost nft flush ruleset
    }

    It 'stops forwarding after nft flush ruleset, and Repair-ContainerNetwork brings it back' {
        nsenter $script:inHost nft flush ruleset
        Get-Page $script:remoteNs $script:hostAddress 8280 -Seconds 2 | Should -BeNullOrEmpty
        $before = Test-ContainerPort guarded
        $before.FromLoopback | Should -BeFalse
        $before.Problems.Kind | Should -Contain 'NotForwarded'

        Repair-ContainerNetwork -WhatIf
        Get-Page $script:remoteNs $script:hostAddress 8280 -Seconds 2 | Should -BeNullOrEmpty
        $repaired = Repair-ContainerNetwork
        $repaired.Container | Should -Be 'guarded'
        $repaired.Networks | Should -Be 'bridge'

        Get-Page $script:remoteNs $script:hostAddress 8280 | Should -Be 'guarded'
        Invoke-NetContainer -Name out-again -Script (Get-PageScript $script:remoteAddress 9000) | Should -Be 'remote'
        (Test-ContainerPort guarded).Reachable | Should -BeTrue
    }

    It 'brings the running containers'' rules back at the next container''s start after a flush' {
        nsenter $script:inHost nft flush ruleset
        Get-Page $script:remoteNs $script:hostAddress 8280 -Seconds 2 | Should -BeNullOrEmpty
        $null = Start-WebContainer -Name newcomer -Options @{ Publish = '8281:80' }
        Get-Page $script:remoteNs $script:hostAddress 8280 | Should -Be 'guarded'
        Wait-Page $script:remoteNs $script:hostAddress 8281 'newcomer'
    }

    It 'works through <What> made before the container, and Test-ContainerPort tells one made after it, which Repair-ContainerNetwork passes' -ForEach @(
        @{ What = 'a forward policy drop in another table'; Drop = { nsenter $script:inHost nft add table inet strict; nsenter $script:inHost nft add chain inet strict forward '{ type filter hook forward priority 0; policy drop; }' }; Chain = 'inet strict forward' }
        @{ What = 'iptables-nft''s filter FORWARD policy DROP'; Drop = { nsenter $script:inHost iptables -P FORWARD DROP }; Chain = 'ip filter FORWARD' }
    ) {
        & $Drop
        $null = Start-WebContainer -Name later -Options @{ Publish = '8282:80' }
        Wait-Page $script:remoteNs $script:hostAddress 8282 'later'
        Invoke-NetContainer -Name out-through -Script (Get-PageScript $script:remoteAddress 9000) | Should -Be 'remote'
        (Test-ContainerPort later).Reachable | Should -BeTrue

        # guarded was set up before the drop
        Get-Page $script:remoteNs $script:hostAddress 8280 -Seconds 2 | Should -BeNullOrEmpty
        $blocked = Test-ContainerPort guarded
        $blocked.FromLoopback, $blocked.FromContainer | Should -Be $true, $false
        $blocked.Problems.Kind | Should -Be 'FirewallPolicy'
        $blocked.Problems.Message | Should -BeLike "*$Chain*"
        $null = Repair-ContainerNetwork
        Get-Page $script:remoteNs $script:hostAddress 8280 | Should -Be 'guarded'
        (Test-ContainerPort guarded).Reachable | Should -BeTrue
    }
}

Describe 'The host' -Tag 'Root' -Skip:(-not $script:isRoot) {
    It 'keeps the root namespace''s links and ruleset as they were' {
        ip -o link show | ForEach-Object { ($_ -split ':')[1].Trim() } | Should -Be $script:rootLinks
        nft list ruleset | Out-String | Should -Be $script:rootRuleset
    }
}
