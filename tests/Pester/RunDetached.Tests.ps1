#Requires -Version 7.4
#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
<#
    Invoke-ContainerImage -Detach as docker run -d: the container left running, and a start
    that fails leaves it created, or removes it with -Remove (docker run -d --rm).
    Build first (dotnet build Container.sln), then: Invoke-Pester ./tests/Pester -Tag Root (as root).
#>

BeforeDiscovery {
    $script:isRoot = (id -u) -eq '0'
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    Enter-TestStore -Name detach -Image busybox:detach
}

AfterAll {
    Exit-TestStore
}

Describe 'Invoke-ContainerImage -Detach' -Tag 'Root' -Skip:(-not $script:isRoot) {
    It 'removes a container whose start fails when -Remove asks' {
        { Invoke-ContainerImage busybox:detach -Name failed-removed -Detach -Remove -ErrorAction Stop -- no-such-command } |
            Should -Throw -ErrorId 'ContainerStartFailed,Container.Module.Cmdlets.InvokeContainerImageCommand'
        Get-Container -Name failed-removed -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        # the name is free again
        (New-Container busybox:detach -Name failed-removed -Command true).Name | Should -Be 'failed-removed'
    }

    It 'keeps a container whose start fails without -Remove, created, with the exit code of its command' {
        { Invoke-ContainerImage busybox:detach -Name failed-kept -Detach -ErrorAction Stop -- no-such-command } |
            Should -Throw -ErrorId 'ContainerStartFailed,Container.Module.Cmdlets.InvokeContainerImageCommand'
        $kept = Get-Container failed-kept
        $kept.Status | Should -Be 'Created'
        $kept.ExitCode | Should -Be 127
    }

    It 'leaves a container that starts to its monitor, which removes it at its end with -Remove' {
        $container = Invoke-ContainerImage busybox:detach -Name detached-removed -Detach -Remove -- sleep 300
        $container.Status | Should -Be 'Running'
        Stop-Container detached-removed -Force
        Wait-Until { -not (Get-Container -Name detached-removed -ErrorAction SilentlyContinue) } 'detached-removed removed by its monitor'
    }
}
