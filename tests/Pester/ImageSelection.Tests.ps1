#Requires -Version 7.4
#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
<#
    Which images Remove-ContainerImage acts on, as a user sees it: a pattern's matches by
    their names, a literal name or id as typed, an object by the name it shows.
    Build first (dotnet build Container.sln), then: Invoke-Pester ./tests/Pester -Tag Root (as root).
#>

BeforeDiscovery {
    $script:isRoot = (id -u) -eq '0'
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    Enter-TestStore -Name image-selection
}

AfterAll {
    Exit-TestStore
}

Describe 'Remove-ContainerImage by name, id or pattern' -Tag 'Root' -Skip:(-not $script:isRoot) {
    BeforeEach {
        $null = Import-ContainerImage -Path $script:rootfs -Name pick/one:1 -Command sh
        $null = Add-ContainerImageTag pick/one:1 pick/one:2
        $null = Import-ContainerImage -Path $script:rootfs -Name keep/other:1 -Command sh
    }

    AfterEach {
        Get-ContainerImage | Remove-ContainerImage -Force -ErrorAction SilentlyContinue
    }

    It 'removes every name a pattern matches, and nothing else' {
        Remove-ContainerImage 'pick/*'
        Get-ContainerImage -Name 'pick/*' | Should -BeNullOrEmpty
        (Get-ContainerImage keep/other:1).Repository | Should -Be 'keep/other'
    }

    It 'takes a pattern that matches nothing as nothing to do' {
        { Remove-ContainerImage 'nothing/*' -ErrorAction Stop } | Should -Not -Throw
        (Get-ContainerImage).Count | Should -Be 3
    }

    It 'removes nothing a pattern matches under -WhatIf' {
        Remove-ContainerImage 'pick/*' -WhatIf
        (Get-ContainerImage -Name 'pick/*').Count | Should -Be 2
    }

    It 'removes an image by id with every name, given -Force' {
        $id = (Get-ContainerImage pick/one:1).Id
        { Remove-ContainerImage -Id $id -ErrorAction Stop } |
            Should -Throw -ErrorId 'ImageHasSeveralNames,Container.Module.Cmdlets.RemoveContainerImageCommand'
        Remove-ContainerImage -Id $id -Force
        Get-ContainerImage -Name 'pick/*' | Should -BeNullOrEmpty
    }

    It 'removes an image object from the pipeline by the name it shows' {
        Get-ContainerImage pick/one:2 | Remove-ContainerImage
        (Get-ContainerImage -Name 'pick/*').Tag | Should -Be '1'
    }

    It 'goes on past a literal name that matches nothing' {
        Remove-ContainerImage nothing/here:1, pick/one:2 -ErrorAction SilentlyContinue -ErrorVariable failures
        $failures.FullyQualifiedErrorId | Should -Be 'ImageNotFound,Container.Module.Cmdlets.RemoveContainerImageCommand'
        (Get-ContainerImage -Name 'pick/*').Tag | Should -Be '1'
    }
}
