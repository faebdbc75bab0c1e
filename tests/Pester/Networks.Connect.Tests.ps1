#Requires -Version 7.4
#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
<#
    Connect-ContainerNetwork and Disconnect-ContainerNetwork as a pwsh user meets them, on
    containers that have not run (their record changes; the next start sets the network up):
    positions, the pipeline, -PassThru, -WhatIf, and every refusal as an ErrorRecord with its
    id and category. The live side, on the kernel, is KernelConnectTests' (xunit).
    Build first (dotnet build Container.sln).
#>

BeforeDiscovery {
    $script:isRoot = (id -u) -eq '0'
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    Enter-TestStore -Name networks-connect -Image busybox:connect
}

AfterAll {
    Exit-TestStore
}

Describe 'Connect- and Disconnect-ContainerNetwork' -Tag 'Root' -Skip:(-not $script:isRoot) {
    BeforeEach {
        $null = New-ContainerNetwork backend -Subnet 10.90.0.0/24
        $null = New-Container busybox:connect -Name web -Network bridge -Command true
    }

    AfterEach {
        Get-Container | Remove-Container -Force
        Get-ContainerNetwork | Where-Object Name -ne 'bridge' | Remove-ContainerNetwork -Force
    }

    It 'connects by position and writes the container with -PassThru' {
        $connected = Connect-ContainerNetwork backend web -Alias api -PassThru
        $connected.Name | Should -Be 'web'
        $connected.Networks.Network | Should -Be 'bridge', 'backend'
        $connected.Networks[1].Interface | Should -Be 'eth1'
        $connected.Networks[1].Address | Should -Be '10.90.0.2'
        $connected.Networks[1].Aliases | Should -Be 'api'
        (Get-ContainerNetwork backend).Containers | Should -Be 'web'
        Disconnect-ContainerNetwork backend -Container web | Should -BeNullOrEmpty
        (Get-ContainerNetwork backend).Containers | Should -BeNullOrEmpty
    }

    It 'takes containers from the pipeline: objects, names and ids' {
        Get-Container web | Connect-ContainerNetwork backend -IPAddress 10.90.0.9
        (Get-Container web).Networks[1].Address | Should -Be '10.90.0.9'
        'web' | Disconnect-ContainerNetwork backend
        (Get-Container web).Networks.Network | Should -Be 'bridge'
        [pscustomobject]@{ Id = (Get-Container web).Id } | Connect-ContainerNetwork backend
        (Get-ContainerNetwork backend).Containers | Should -Be 'web'
    }

    It 'changes nothing with -WhatIf' {
        Connect-ContainerNetwork backend web -WhatIf
        (Get-Container web).Networks.Network | Should -Be 'bridge'
        (Get-ContainerNetwork backend).Containers | Should -BeNullOrEmpty
        Disconnect-ContainerNetwork bridge web -WhatIf
        (Get-Container web).Networks.Network | Should -Be 'bridge'
        (Get-ContainerNetwork bridge).Containers | Should -Be 'web'
    }

    It 'refuses <What> with <ErrorId> (<Category>), and changes nothing' -ForEach @(
        @{ What = 'an unknown network'; Command = 'Connect'; Network = 'nowhere'; Container = 'web'; ErrorId = 'NetworkNotFound'; Category = 'ObjectNotFound' }
        @{ What = 'an unknown container'; Command = 'Connect'; Network = 'backend'; Container = 'nobody'; ErrorId = 'ContainerNotFound'; Category = 'ObjectNotFound' }
        @{ What = 'a network it is on'; Command = 'Connect'; Network = 'bridge'; Container = 'web'; ErrorId = 'ContainerAlreadyConnected'; Category = 'ResourceExists' }
        @{ What = 'a static address in use'; Command = 'Connect'; Network = 'backend'; Container = 'web'; IPAddress = '10.90.0.2'; ErrorId = 'AddressInUse'; Category = 'ResourceExists' }
        @{ What = 'a static address outside the subnet'; Command = 'Connect'; Network = 'backend'; Container = 'web'; IPAddress = '10.99.0.2'; ErrorId = 'AddressOutsideSubnet'; Category = 'InvalidArgument' }
        @{ What = 'a container on none'; Command = 'Connect'; Network = 'backend'; Container = 'alone'; ErrorId = 'NetworkModeNotConnectable'; Category = 'InvalidOperation' }
        @{ What = 'a network it is not on'; Command = 'Disconnect'; Network = 'backend'; Container = 'web'; ErrorId = 'ContainerNotConnected'; Category = 'InvalidOperation' }
        @{ What = 'a network that is gone, without -Force'; Command = 'Disconnect'; Network = 'nowhere'; Container = 'web'; ErrorId = 'NetworkNotFound'; Category = 'ObjectNotFound' }
    ) {
        $null = New-Container busybox:connect -Name holder -Network backend -Command true # 10.90.0.2
        $null = New-Container busybox:connect -Name alone -Network none -Command true
        $arguments = @{ Network = $Network; Container = $Container }
        if ($IPAddress) { $arguments.IPAddress = $IPAddress }
        { & "$Command-ContainerNetwork" @arguments -ErrorAction Stop } | Should -Throw -ErrorId "$ErrorId,Container.Module.Cmdlets.$($Command)ContainerNetworkCommand"
        $Error[0].CategoryInfo.Category | Should -Be $Category
        (Get-Container web).Networks.Network | Should -Be 'bridge'
        (Get-ContainerNetwork backend).Containers | Should -Be 'holder'
    }

    It 'goes on past a container that fails, as a non-terminating error' {
        $null = New-Container busybox:connect -Name other -Network bridge -Command true
        $errors = $null
        'nobody', 'web', 'other' | Connect-ContainerNetwork backend -ErrorVariable errors -ErrorAction SilentlyContinue
        $errors.Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -Be 'ContainerNotFound,Container.Module.Cmdlets.ConnectContainerNetworkCommand'
        (Get-ContainerNetwork backend).Containers | Should -Be 'other', 'web'
    }

    It 'disconnects with -Force from a network removed meanwhile' {
        Connect-ContainerNetwork backend web
        Remove-ContainerNetwork backend -Force
        Disconnect-ContainerNetwork backend web -Force
        (Get-Container web).Networks.Network | Should -Be 'bridge'
    }
}
