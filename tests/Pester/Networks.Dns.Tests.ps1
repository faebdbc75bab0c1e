#Requires -Version 7.4
#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
<#
    Name resolution between the members of a network, as a pwsh user meets it: containers on a
    network of New-ContainerNetwork resolve each other by name and -Alias, a container on
    another network does not, Get-ContainerNetwork says which networks have DNS, and nothing of
    the resolver is left once the members are gone. The engine works in a network namespace
    of the test's that plays the host (CONTAINER_HOST_NETNS), never on the host's network.
    Build first (dotnet build Container.sln).
#>

BeforeDiscovery {
    $script:isRoot = (id -u) -eq '0'
    $script:resolverMissing = -not ((Test-Path /usr/lib/podman/aardvark-dns) -or (Test-Path /usr/libexec/podman/aardvark-dns))
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    Enter-TestStore -Name dns -Image busybox:dns
    $script:savedHostNetns = $env:CONTAINER_HOST_NETNS
    $script:netns = $null
    if ((id -u) -eq '0') {
        $script:netns = 'ctest-' + [guid]::NewGuid().ToString('n').Substring(0, 10)
        ip netns add $script:netns
        ip -n $script:netns link set lo up
        $env:CONTAINER_HOST_NETNS = "/run/netns/$script:netns"
    }

    function script:Resolve-InContainer {
        # nslookup's answer, once the resolver has reloaded its entries (it does so after a start returns)
        param([string] $Container, [string] $Query)
        Wait-Until { (Invoke-ContainerCommand $Container -- nslookup $Query 2>$null) -match 'Address: ' } "$Container to resolve $Query"
        Invoke-ContainerCommand $Container -- nslookup $Query
    }

    function script:Get-ResolverProcess {
        # the resolver processes serving this store's config directory, by their command line
        $dir = Join-Path $env:CONTAINER_ROOT 'run/aardvark-dns'
        Get-ChildItem /proc -Directory | Where-Object Name -Match '^\d+$' | Where-Object {
            $cmdline = Get-Content -Raw -LiteralPath "/proc/$($_.Name)/cmdline" -ErrorAction SilentlyContinue
            $cmdline -and ($cmdline -split "`0") -contains $dir
        }
    }
}

AfterAll {
    Exit-TestStore
    if ($script:netns) { ip netns del $script:netns }
    $env:CONTAINER_HOST_NETNS = $script:savedHostNetns
}

Describe 'Name resolution on a network' -Tag Root -Skip:(-not $script:isRoot -or $script:resolverMissing) {
    AfterAll {
        Get-Container | Remove-Container -Force
        Get-ContainerNetwork | Where-Object Name -ne 'bridge' | Remove-ContainerNetwork -Force
    }

    It 'has DNS on a network of New-ContainerNetwork unless -DisableDns, and none on the default network' {
        $null = New-ContainerNetwork app
        $null = New-ContainerNetwork elsewhere
        $null = New-ContainerNetwork quiet -DisableDns
        (Get-ContainerNetwork app, elsewhere, quiet, bridge).DnsEnabled | Should -Be $true, $true, $false, $false
    }

    It 'lets members resolve each other by name and alias, and a member of another network neither' {
        # -Dns: where other names would be forwarded to; a TEST-NET address nothing routes to
        $web = Start-TestContainer -Name web -Options @{ Network = 'app'; Alias = 'www'; Dns = '192.0.2.1' }
        $null = Start-TestContainer -Name client -Options @{ Network = 'app'; Dns = '192.0.2.1' }
        $null = Start-TestContainer -Name stranger -Options @{ Network = 'elsewhere'; Dns = '192.0.2.1' }
        $address = $web.Networks[0].Address

        (Invoke-ContainerCommand client -- cat /etc/resolv.conf) | Should -Contain "nameserver $((Get-ContainerNetwork app).Gateway)"
        (Resolve-InContainer client web) -join "`n" | Should -Match "Address: $([regex]::Escape($address))"
        (Resolve-InContainer client www) -join "`n" | Should -Match "Address: $([regex]::Escape($address))"
        # the stranger's resolver answers it (its own name), but not with app's members
        $null = Resolve-InContainer stranger stranger
        (Invoke-ContainerCommand stranger -- nslookup web 2>$null) -join "`n" | Should -Not -Match ([regex]::Escape($address))
    }

    It 'leaves no resolver once the members are gone' {
        Get-ResolverProcess | Should -Not -BeNullOrEmpty
        Get-Container | Remove-Container -Force
        Get-ResolverProcess | Should -BeNullOrEmpty
        Join-Path $env:CONTAINER_ROOT 'run/aardvark-dns' | Should -Not -Exist
    }
}
