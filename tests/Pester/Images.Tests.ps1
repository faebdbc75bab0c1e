#Requires -Version 7.4
#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
<#
    Images as a user sees them: import, export, tags, removal, commit, container export.
    Build first (dotnet build Container.sln), then: Invoke-Pester ./tests/Pester -Tag Root (as root).
    Every test uses a private store (CONTAINER_ROOT), removed at the end.
#>

BeforeDiscovery {
    $script:isRoot = (id -u) -eq '0'
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    Enter-TestStore -Name images
}

AfterAll {
    Exit-TestStore
}

Describe 'Image cmdlets' {
    It 'are exported, with -WhatIf where they change things' {
        foreach ($name in 'Export-ContainerImage', 'Add-ContainerImageTag', 'Remove-ContainerImage', 'ConvertTo-ContainerImage', 'Export-Container') {
            Get-Command $name -Module Container | Should -Not -BeNullOrEmpty
            (Get-Command $name).Parameters.Keys | Should -Contain 'WhatIf'
        }
    }
}

Describe 'Import and export' -Tag 'Root' -Skip:(-not $script:isRoot) {
    BeforeAll {
        $null = Import-ContainerImage -Path $script:rootfs -Name local/busybox:1 -Command sh -Environment @{ GREETING = 'hi' }
    }

    It 'needs a name for a root filesystem' {
        { Import-ContainerImage -Path $script:rootfs -ErrorAction Stop } |
            Should -Throw -ErrorId 'ImageNameRequired,Container.Module.Cmdlets.ImportContainerImageCommand'
    }

    It 'exports to a docker archive and imports it back as the same image' {
        $archive = Join-Path $script:work 'busybox.tar'
        $file = Export-ContainerImage local/busybox:1 -Path $archive
        $file.Length | Should -BeGreaterThan 1MB
        $before = Get-ContainerImage local/busybox:1
        Remove-ContainerImage local/busybox:1
        Get-ContainerImage -Name 'local/*' | Should -BeNullOrEmpty

        $imported = Import-ContainerImage -Path $archive
        $imported.Id | Should -Be $before.Id
        $imported.Repository | Should -Be 'local/busybox'
        $imported.Config.Config.Env | Should -Contain 'GREETING=hi'
    }

    It 'exports to an OCI archive' {
        $archive = Join-Path $script:work 'busybox-oci.tar'
        Export-ContainerImage local/busybox:1 -Path $archive -Format OciArchive | Should -Not -BeNullOrEmpty
        (Import-ContainerImage -Path $archive -Name 'local/busybox:from-oci').Id | Should -Be (Get-ContainerImage local/busybox:1).Id
    }

    It 'takes images from the pipeline into one archive' {
        $archive = Join-Path $script:work 'both.tar'
        Get-ContainerImage -Name 'local/busybox*' | Export-ContainerImage -Path $archive
        Test-Path $archive | Should -BeTrue
    }
}

Describe 'Tags and removal' -Tag 'Root' -Skip:(-not $script:isRoot) {
    BeforeAll {
        $null = Import-ContainerImage -Path $script:rootfs -Name tags/base:1 -Command sh
    }

    It 'adds a tag to the same image' {
        $tagged = Add-ContainerImageTag tags/base:1 tags/other:2 -PassThru
        $tagged.Id | Should -Be (Get-ContainerImage tags/base:1).Id
        (Get-ContainerImage -Name 'tags/*').Count | Should -Be 2
    }

    It 'removes one name and keeps the image under the other' {
        Remove-ContainerImage tags/other:2
        Get-ContainerImage tags/base:1 | Should -Not -BeNullOrEmpty
    }

    It 'refuses to remove an image a container uses without -Force' {
        $null = New-Container tags/base:1 -Name uses-base -Command true
        { Remove-ContainerImage tags/base:1 -ErrorAction Stop } |
            Should -Throw -ErrorId 'ImageInUse,Container.Module.Cmdlets.RemoveContainerImageCommand'
        Remove-Container uses-base
        Remove-ContainerImage tags/base:1
        Get-ContainerImage -Name 'tags/*' | Should -BeNullOrEmpty
    }

    It 'does nothing under -WhatIf' {
        $null = Import-ContainerImage -Path $script:rootfs -Name tags/kept:1 -Command sh
        Remove-ContainerImage tags/kept:1 -WhatIf
        Get-ContainerImage tags/kept:1 | Should -Not -BeNullOrEmpty
    }

    It 'says which image is missing' {
        { Remove-ContainerImage nothing/here:1 -ErrorAction Stop } |
            Should -Throw -ErrorId 'ImageNotFound,Container.Module.Cmdlets.RemoveContainerImageCommand'
    }
}

Describe 'Commit and container export' -Tag 'Root' -Skip:(-not $script:isRoot) {
    BeforeAll {
        $null = Import-ContainerImage -Path $script:rootfs -Name commit/base:1 -Command sh
        $null = Invoke-TestContainer -Image commit/base:1 -Name changer -Command 'sh', '-c', 'echo new > /added; rm /etc/group'
    }

    It 'commits a container as an image with its changes' {
        $image = Get-Container changer | ConvertTo-ContainerImage -Name commit/changed:1 -Message 'from Pester'
        $image.Layers.Count | Should -Be 2
        $image.History[-1].Comment | Should -Be 'from Pester'
        Invoke-TestContainer -Image commit/changed:1 -Name seer -Command 'sh', '-c', 'cat /added; test -e /etc/group && echo group || echo no-group' |
            Should -Be @('new', 'no-group')
    }

    It 'exports a container''s files, which import back as an image' {
        $tar = Join-Path $script:work 'changer.tar'
        (Export-Container changer -Path $tar).Length | Should -BeGreaterThan 1MB
        $null = Import-ContainerImage -Path $tar -Name commit/flat:1 -Command sh
        Invoke-TestContainer -Image commit/flat:1 -Name flat -Command 'cat', '/added' | Should -Be 'new'
    }
}
