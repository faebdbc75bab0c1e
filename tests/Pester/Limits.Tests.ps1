#Requires -Version 7.4
#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
<#
    The limit parameters as a user gives them: every one reaches the container and reads back
    with Get-CgroupLimit; -MemorySwappiness on cgroup v1 (memory.swappiness), refused on v2;
    -WhatIf shows the change it would make. Build first (dotnet build Container.sln).
    Every test uses a private store.
#>

BeforeDiscovery {
    $script:isRoot = (id -u) -eq '0'
    $script:isCgroupV2 = Test-Path /sys/fs/cgroup/cgroup.controllers
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    Enter-TestStore -Name limits -Image busybox:limits
    $script:isCgroupV2 = Test-Path /sys/fs/cgroup/cgroup.controllers
}

AfterAll {
    Exit-TestStore
}

Describe 'The limit parameters' {
    It 'are on New-Container, Invoke-ContainerImage and Set-CgroupLimit, with help' {
        foreach ($name in 'New-Container', 'Invoke-ContainerImage', 'Set-CgroupLimit') {
            (Get-Command $name).Parameters['MemorySwappiness'].ParameterType | Should -Be ([Nullable[long]])
            (Get-Help $name -Parameter MemorySwappiness).Description.Text | Should -BeLike '*swaps the container*'
        }
    }

    It 'refuse a swappiness over 100 before touching anything' {
        { New-Container busybox:limits -MemorySwappiness 101 -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidLimit,Container.Module.Cmdlets.NewContainerCommand'
    }
}

Describe 'Limits given as parameters' -Tag 'Root' -Skip:(-not $script:isRoot) {
    AfterEach {
        Get-Container -ErrorAction SilentlyContinue | Remove-Container -Force -ErrorAction SilentlyContinue
    }

    It 'each reach the container and read back by name' {
        $limits = @{
            Memory = 64MB; MemorySwap = '-1'; MemoryReservation = '32m'; Cpus = 0.5; CpuShares = 512; CpusetCpus = '0'; CpusetMems = '0'
            PidsLimit = 20; DeviceReadBps = @{ '/dev/vda' = '1mb' }; DeviceWriteBps = @{ '/dev/vda' = 2MB }
            DeviceReadIops = @{ '/dev/vda' = 100 }; DeviceWriteIops = @{ '/dev/vda' = '200' }
        }
        if (-not $script:isCgroupV2) { $limits.MemorySwappiness = 10 }
        $null = Start-TestContainer -Name every -Options $limits
        $settings = (Get-CgroupLimit every).Settings
        $settings | Should -Contain 'Memory=64MiB'
        $settings | Should -Contain 'MemorySwap=unlimited'
        $settings | Should -Contain 'MemoryReservation=32MiB'
        $settings | Should -Contain 'Cpus=0.5'
        $settings | Should -Contain 'CpuShares=512'
        $settings | Should -Contain 'CpusetCpus=0'
        $settings | Should -Contain 'CpusetMems=0'
        $settings | Should -Contain 'PidsLimit=20'
        $settings | Should -Contain 'DeviceReadBps=/dev/vda=1MiB/s'
        $settings | Should -Contain 'DeviceWriteBps=/dev/vda=2MiB/s'
        $settings | Should -Contain 'DeviceReadIops=/dev/vda=100/s'
        $settings | Should -Contain 'DeviceWriteIops=/dev/vda=200/s'
        $settings | Should -HaveCount $limits.Count
        (Get-ContainerStats every).MemoryLimit | Should -Be 64MB
    }

    It 'set swappiness in memory.swappiness, live, and -WhatIf shows the change' -Skip:$script:isCgroupV2 {
        $null = Start-TestContainer -Name swapper -Options @{ MemorySwappiness = 10 }
        Invoke-ContainerCommand swapper cat /sys/fs/cgroup/memory/memory.swappiness | Should -Be '10'
        (Get-CgroupLimit swapper).Limits.MemorySwappiness | Should -Be 10

        # -WhatIf speaks to the host, not to a stream: a pwsh of its own shows what it says
        $whatIf = pwsh -NoProfile -Command "Import-Module '$script:modulePath'; Set-CgroupLimit swapper -MemorySwappiness 30 -WhatIf"
        "$whatIf" | Should -BeLike '*Set limits: MemorySwappiness: 10 -> 30*'
        Invoke-ContainerCommand swapper cat /sys/fs/cgroup/memory/memory.swappiness | Should -Be '10'

        (Set-CgroupLimit swapper -MemorySwappiness 30).Limits.MemorySwappiness | Should -Be 30
        Invoke-ContainerCommand swapper cat /sys/fs/cgroup/memory/memory.swappiness | Should -Be '30'
    }

    It 'refuse swappiness on cgroup v2, which has none' -Skip:(-not $script:isCgroupV2) {
        { New-Container busybox:limits -Name swapper -Command true -MemorySwappiness 10 -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidLimit,Container.Module.Cmdlets.NewContainerCommand'
        Get-Container -Name swapper -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }
}
