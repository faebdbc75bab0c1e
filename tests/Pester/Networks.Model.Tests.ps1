#Requires -Version 7.4
#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
<#
    Networks as a pwsh user meets them before any kernel network is made: New-, Get- and
    Remove-ContainerNetwork, the network parameters of New-Container, their errors as
    ErrorRecords, -WhatIf, the PORTS column and Get-ContainerPort, the store's default network
    and CONTAINER_NETWORK, and a container's /etc files on -Network none. Nothing here starts
    a container on a bridge: the kernel's side is Networks.Kernel.Tests.ps1's.
    Build first (dotnet build Container.sln).
#>

BeforeDiscovery {
    $script:isRoot = (id -u) -eq '0'
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    Enter-TestStore -Name networks -Image busybox:networks

    function script:Format-Lines {
        # the objects as their default view shows them, at a width: the non-empty lines
        param([object[]] $InputObject, [int] $Width = 200)
        ($InputObject | Out-String -Width $Width) -split "`r?`n" | Where-Object { $_.Trim() }
    }
}

AfterAll {
    Exit-TestStore
}

Describe 'New-, Get- and Remove-ContainerNetwork' {
    AfterEach {
        Get-ContainerNetwork | Where-Object Name -ne 'bridge' | Remove-ContainerNetwork -Force
    }

    It 'makes a network with what it was given, and lists it after the default one' {
        $made = New-ContainerNetwork backend -Subnet 10.90.0.0/24 -Gateway 10.90.0.254 -IPRange 10.90.0.128/25 -Internal -Label @{ team = 'db' } -Mtu 1400 -IPv6Subnet fd00:90::/64
        $made.Bridge | Should -Be "ctr-$($made.Id.Substring(0, 8))"
        $read = Get-ContainerNetwork backend
        $read.Subnet, $read.Gateway, $read.IPRange, $read.Internal, $read.Mtu, $read.Subnet6 | Should -Be '10.90.0.0/24', '10.90.0.254', '10.90.0.128/25', $true, 1400, 'fd00:90::/64'
        $read.Labels['team'] | Should -Be 'db'
        (Get-ContainerNetwork).Name | Should -Be 'bridge', 'backend'
        (Get-ContainerNetwork bridge).Subnet | Should -Be '10.88.0.0/16'
    }

    It 'shows networks as a table that reads like docker network ls' {
        $null = New-ContainerNetwork shown -Subnet 10.91.0.0/24
        $lines = Format-Lines (Get-ContainerNetwork) 80
        $lines[0] | Should -Match '^NETWORK ID +NAME +DRIVER +SUBNET +GATEWAY'
        ($lines -join "`n") | Should -Match '(?m)^[0-9a-f]{12} +shown +bridge +10\.91\.0\.0/24 +10\.91\.0\.1\b'
    }

    It 'refuses <What> with <ErrorId>, and makes nothing' -ForEach @(
        @{ What = 'an overlapping subnet'; Arguments = @{ Name = 'bad'; Subnet = '10.88.1.0/24' }; ErrorId = 'SubnetOverlaps' }
        @{ What = 'a gateway outside its subnet'; Arguments = @{ Name = 'bad'; Subnet = '10.92.0.0/24'; Gateway = '10.93.0.1' }; ErrorId = 'AddressOutsideSubnet' }
        @{ What = 'a range outside its subnet'; Arguments = @{ Name = 'bad'; Subnet = '10.92.0.0/24'; IPRange = '10.93.0.0/25' }; ErrorId = 'AddressOutsideSubnet' }
        @{ What = 'a subnet with host bits'; Arguments = @{ Name = 'bad'; Subnet = '10.92.0.1/24' }; ErrorId = 'InvalidSubnet' }
        @{ What = 'a mode for a name'; Arguments = @{ Name = 'host' }; ErrorId = 'InvalidNetworkName' }
    ) {
        { New-ContainerNetwork @Arguments -ErrorAction Stop } | Should -Throw -ErrorId "$ErrorId,Container.Module.Cmdlets.NewContainerNetworkCommand"
        $Error[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        Get-ContainerNetwork bad -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'makes nothing with -WhatIf, and removes nothing with -WhatIf' {
        New-ContainerNetwork imagined -WhatIf
        { Get-ContainerNetwork imagined -ErrorAction Stop } | Should -Throw -ErrorId 'NetworkNotFound,Container.Module.Cmdlets.GetContainerNetworkCommand'
        $null = New-ContainerNetwork kept
        Remove-ContainerNetwork kept -WhatIf
        (Get-ContainerNetwork kept).Name | Should -Be 'kept'
    }

    It 'removes networks from the pipeline, by wildcard, and a pattern that matches nothing is no error' {
        'test-a', 'test-b', 'other' | ForEach-Object { $null = New-ContainerNetwork $_ }
        Get-ContainerNetwork test-* | Remove-ContainerNetwork
        'other' | Remove-ContainerNetwork
        Remove-ContainerNetwork nothing-* -ErrorAction Stop
        (Get-ContainerNetwork).Name | Should -Be 'bridge'
        { Remove-ContainerNetwork bridge -ErrorAction Stop } | Should -Throw -ErrorId 'PredefinedNetwork,Container.Module.Cmdlets.RemoveContainerNetworkCommand'
    }

    It 'completes network names' {
        $null = New-ContainerNetwork completed
        $line = 'Get-ContainerNetwork comp'
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be 'completed'
    }
}

Describe 'Containers on networks, before any of them runs' -Tag 'Root' -Skip:(-not $script:isRoot) {
    AfterEach {
        Get-Container | Remove-Container -Force
        Get-ContainerNetwork | Where-Object Name -ne 'bridge' | Remove-ContainerNetwork -Force
    }

    It 'refuses a network in use, unless forced' {
        $null = New-ContainerNetwork used
        $null = New-Container busybox:networks -Name member -Network used -Command true
        { Remove-ContainerNetwork used -ErrorAction Stop } | Should -Throw -ErrorId 'NetworkInUse,Container.Module.Cmdlets.RemoveContainerNetworkCommand'
        $Error[0].CategoryInfo.Category | Should -Be 'ResourceBusy'
        (Get-ContainerNetwork used).Containers | Should -Be 'member'
        Remove-ContainerNetwork used -Force
        Get-ContainerNetwork used -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'refuses <What> with <ErrorId>, and makes no container' -ForEach @(
        @{ What = 'a malformed -Publish'; Arguments = @{ Network = 'bridge'; Publish = '80:80:80:80' }; ErrorId = 'InvalidPublish' }
        @{ What = 'a port published twice'; Arguments = @{ Network = 'bridge'; Publish = '8080:80', '8080:81' }; ErrorId = 'PortPublishedTwice' }
        @{ What = 'an unknown network'; Arguments = @{ Network = 'nowhere' }; ErrorId = 'NetworkNotFound' }
        @{ What = 'an unknown container to join'; Arguments = @{ Network = 'container:nobody' }; ErrorId = 'ContainerNotFound' }
        @{ What = 'a port on loopback only'; Arguments = @{ Network = 'none'; Publish = '8080:80' }; ErrorId = 'NetworkModeConflict' }
        @{ What = 'an address outside the subnet'; Arguments = @{ Network = 'bridge'; IPAddress = '10.99.0.5' }; ErrorId = 'AddressOutsideSubnet' }
        @{ What = 'a malformed host entry'; Arguments = @{ AddHost = 'db' }; ErrorId = 'InvalidHostEntry' }
    ) {
        { New-Container busybox:networks -Name refused -Command true @Arguments -ErrorAction Stop } | Should -Throw -ErrorId "$ErrorId,Container.Module.Cmdlets.NewContainerCommand"
        Get-Container refused -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'refuses an address another container holds' {
        $null = New-Container busybox:networks -Name holder -Network bridge -IPAddress 10.88.0.50 -Command true
        (Get-Container holder).IPAddress | Should -Be '10.88.0.50'
        { New-Container busybox:networks -Name second -Network bridge -IPAddress 10.88.0.50 -Command true -ErrorAction Stop } |
            Should -Throw -ErrorId 'AddressInUse,Container.Module.Cmdlets.NewContainerCommand'
    }

    It 'shows its published ports as docker ps and docker port do' {
        $null = New-Container busybox:networks -Name site -Network bridge -Publish 8080:80, 127.0.0.1:9000:9000/udp, 8000-8002:80-82 -Command true
        (Get-Container site).PortsText | Should -Be '0.0.0.0:8080->80/tcp, 127.0.0.1:9000->9000/udp, 0.0.0.0:8000-8002->80-82/tcp'
        $table = Format-Lines (Get-Container site) 250
        $table[0] | Should -Match 'COMMAND +PORTS$'
        $table[2] | Should -Match ' true +0\.0\.0\.0:8080->80/tcp, 127\.0\.0\.1:9000->9000/udp, 0\.0\.0\.0:8000-8002->80-82/tcp$'
        Format-Lines (Get-ContainerPort site 80) | Should -Be '80/tcp -> 0.0.0.0:8080', '80/tcp -> 0.0.0.0:8000'
        (Get-ContainerPort site 9000/udp).HostIp | Should -Be '127.0.0.1'
        (Get-ContainerPort site).Count | Should -Be 5
        { Get-ContainerPort site 443 -ErrorAction Stop } | Should -Throw -ErrorId 'PortNotPublished,Container.Module.Cmdlets.GetContainerPortCommand'
        (Get-Container site | Format-List | Out-String) | Should -Match '(?m)^Ports\s+: 0\.0\.0\.0:8080->80/tcp, '
    }

    It 'gives a container the store default network, which CONTAINER_NETWORK overrides' {
        $saved = $env:CONTAINER_NETWORK
        try {
            $env:CONTAINER_NETWORK = $null
            (New-Container busybox:networks -Name defaulted -Command true).NetworkMode | Should -Be 'bridge'
            (Get-Container defaulted).IPAddress | Should -Match '^10\.88\.0\.\d+$'
            Set-Content -Path (Join-Path $env:CONTAINER_ROOT 'config.json') -Value '{"defaultNetwork":"host"}'
            (New-Container busybox:networks -Name from-config -Command true).NetworkMode | Should -Be 'host'
            $env:CONTAINER_NETWORK = 'none'
            (New-Container busybox:networks -Name from-variable -Command true).NetworkMode | Should -Be 'none'
        }
        finally {
            Remove-Item (Join-Path $env:CONTAINER_ROOT 'config.json') -ErrorAction SilentlyContinue
            $env:CONTAINER_NETWORK = $saved
        }
    }

    It 'completes the modes, the networks and the containers to join' {
        $null = New-ContainerNetwork joinable
        $null = New-Container busybox:networks -Name peer -Command true
        $line = 'New-Container busybox:networks -Network '
        $completions = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText
        $completions | Should -Contain 'none'
        $completions | Should -Contain 'host'
        $completions | Should -Contain 'bridge'
        $completions | Should -Contain 'joinable'
        $completions | Should -Contain 'container:peer'
    }
}

Describe 'A container on loopback only' -Tag 'Root' -Skip:(-not $script:isRoot) {
    AfterEach {
        Get-Container | Remove-Container -Force
    }

    It 'has its own /etc/hosts, /etc/hostname and /etc/resolv.conf' {
        $output = Invoke-ContainerImage busybox:networks -Name files -Network none -Hostname box -Domainname example.test -AddHost db:10.1.2.3 `
            -Dns 192.0.2.53 -DnsSearch example.test -DnsOption ndots:2 -Remove -- sh -c 'cat /etc/hosts /etc/hostname /etc/resolv.conf; hostname'
        $output | Should -Contain "127.0.0.1`tlocalhost"
        $output | Should -Contain "10.1.2.3`tdb"
        $output | Should -Contain 'box'
        $output | Should -Contain 'search example.test'
        $output | Should -Contain 'nameserver 192.0.2.53'
        $output | Should -Contain 'options ndots:2'
        $output[-1] | Should -Be 'box'
        $LASTEXITCODE | Should -Be 0
    }

    It 'has only loopback, as before networks' {
        $output = Invoke-ContainerImage busybox:networks -Name alone -Network none -Remove -- sh -c 'ls /sys/class/net'
        $output | Should -Be 'lo'
    }

    It 'reaches the network of another through container:' {
        $first = Start-TestContainer -Name first -Options @{ Network = 'none'; Hostname = 'shared-name' }
        $output = Invoke-ContainerImage busybox:networks -Name second -Network container:first -Remove -- sh -c 'hostname; readlink /proc/self/ns/net'
        $output[0] | Should -Be 'shared-name'
        $output[1] | Should -Be (readlink "/proc/$($first.Pid)/ns/net")
    }
}
