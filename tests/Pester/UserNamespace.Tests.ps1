#Requires -Version 7.4
#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
<#
    A container in a user namespace as a pwsh user meets it: -UidMap on Invoke-ContainerImage
    and New-Container, root inside and an unprivileged range on the host, a volume and a copy
    that keep the container's ids; bad maps refused as ErrorRecords before anything is made.
    The kernel's side in depth is UserNamespaceTests' (xunit). Build first (./build.ps1).
#>

BeforeDiscovery {
    $script:isRoot = (id -u) -eq '0'
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    Enter-TestStore -Name userns -Image busybox:userns
}

AfterAll {
    Exit-TestStore
}

Describe 'A container in a user namespace' -Tag 'Root' -Skip:(-not $script:isRoot) {
    AfterEach {
        Get-Container | Remove-Container -Force -Volumes
        Get-ContainerVolume | Remove-ContainerVolume
    }

    It 'is root inside, 100000 on the host, in its rootfs and in a volume it fills' {
        $lines = Invoke-ContainerImage busybox:userns -Remove -UidMap 0:100000:65536 -Network none -Volume 'mapped:/v' -- sh -c 'id -u; cat /proc/self/uid_map | tr -s " "; echo hi > /v/f; stat -c %u:%g /v/f /etc/passwd'
        $lines | Should -Be '0', ' 0 100000 65536', '0:0', '0:0'
        $data = (Get-ContainerVolume mapped).Mountpoint
        (stat -c '%u:%g' (Join-Path $data 'f')) | Should -Be '100000:100000'
    }

    It 'takes a file in and gives it back with the ids the container sees' {
        $null = New-Container busybox:userns -Name copier -UidMap 0:100000:65536 -GidMap 0:200000:65536 -Network none -Command true
        $file = Join-Path $script:work 'owned'
        Set-Content -Path $file -Value 'x'
        chown 1000:1000 $file
        Copy-ContainerFile -Path $file -Destination copier:/owned
        Copy-ContainerFile -Path copier:/owned -Destination (Join-Path $script:work 'back')
        (stat -c '%u:%g' (Join-Path $script:work 'back')) | Should -Be '1000:1000'
        (stat -c '%u:%g' (Join-Path (Get-Container copier).Path 'upper/owned')) | Should -Be '101000:201000'
        $shown = Get-Container copier | Format-List | Out-String
        $shown | Should -Match 'UidMap\s+: 0:100000:65536'
        $shown | Should -Match 'GidMap\s+: 0:200000:65536'
        New-Container busybox:userns -Name plain -Network none -Command true | Format-List | Out-String | Should -Not -Match 'UidMap'
    }

    It 'refuses <Case> with <ErrorId> (<Category>), and makes nothing' -ForEach @(
        @{ Case = 'a map that is not three numbers'; Arguments = @{ UidMap = '0:100000' }; ErrorId = 'InvalidIdMapping'; Category = 'InvalidArgument' }
        @{ Case = 'a size of 0'; Arguments = @{ GidMap = '0:100000:0' }; ErrorId = 'InvalidIdMapping'; Category = 'InvalidArgument' }
        @{ Case = 'overlapping ranges'; Arguments = @{ UidMap = '0:100000:65536', '10:300000:5' }; ErrorId = 'InvalidIdMapping'; Category = 'InvalidArgument' }
    ) {
        $caught = $null
        try { New-Container busybox:userns -Name bad -Command true @Arguments -ErrorAction Stop } catch { $caught = $_ }
        $caught | Should -Not -BeNullOrEmpty
        $caught.FullyQualifiedErrorId | Should -BeLike "$ErrorId,*"
        $caught.CategoryInfo.Category | Should -Be $Category
        $caught.TargetObject | Should -Not -BeNullOrEmpty
        Get-Container | Should -BeNullOrEmpty
    }
}
