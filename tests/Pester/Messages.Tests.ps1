#Requires -Version 7.4
#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
<#
    What a user is told: arguments read as typed, refusals at New-Container rather than at
    start, errors that name a container as the user named it, and a start that has nothing
    to do. Build first (dotnet build Container.sln). Every test uses a private store.
#>

BeforeDiscovery {
    $script:isRoot = (id -u) -eq '0'
}

BeforeAll {
    $repository = Resolve-Path (Join-Path $PSScriptRoot '../..')
    Import-Module (Join-Path $repository 'out/Container/Container.psd1') -Force
    $script:savedRoot = $env:CONTAINER_ROOT
    $env:CONTAINER_ROOT = Join-Path ([IO.Path]::GetTempPath()) "container-pester-messages-$([guid]::NewGuid().ToString('n').Substring(0, 8))"
    $script:rootfs = & (Join-Path $repository 'tools/New-BusyboxRootfs.ps1')
    if ((id -u) -eq '0') {
        $null = Import-ContainerImage -Path $script:rootfs -Name busybox:messages -Command sh
    }
}

AfterAll {
    if ($env:CONTAINER_ROOT -and (Test-Path $env:CONTAINER_ROOT)) {
        Get-Container -ErrorAction SilentlyContinue | Remove-Container -Force -ErrorAction SilentlyContinue
        Remove-Item -Recurse -Force $env:CONTAINER_ROOT -ErrorAction SilentlyContinue
    }
    Remove-Item -Recurse -Force $script:rootfs -ErrorAction SilentlyContinue
    $env:CONTAINER_ROOT = $script:savedRoot
}

Describe 'New-Container refuses what would fail only at start' -Tag 'Root' -Skip:(-not $script:isRoot) {
    AfterEach {
        # what a failed test made, so that the next one starts clean
        Remove-Container refused -Force -ErrorAction SilentlyContinue
    }

    It 'refuses <Case>' -ForEach @(
        @{ Case = '-Cpus NaN'; Options = @{ Cpus = [double]::NaN }; ErrorId = 'InvalidLimit' }
        @{ Case = 'a relative -WorkingDirectory'; Options = @{ WorkingDirectory = 'srv/app' }; ErrorId = 'InvalidWorkingDirectory' }
        @{ Case = 'a hostname over 64 characters'; Options = @{ Hostname = 'h' * 65 }; ErrorId = 'InvalidHostname' }
    ) {
        { New-Container busybox:messages -Name refused -Command true @Options -ErrorAction Stop } |
            Should -Throw -ErrorId "$ErrorId,Container.Module.Cmdlets.NewContainerCommand"
        Get-Container -Name refused -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'refuses -Cpus NaN typed as text too' {
        { New-Container busybox:messages -Name refused -Command true -Cpus 'NaN' -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidLimit,Container.Module.Cmdlets.NewContainerCommand'
    }
}

Describe 'Errors name the container as the user named it' -Tag 'Root' -Skip:(-not $script:isRoot) {
    BeforeAll {
        $script:idle = New-Container busybox:messages -Name idle -Command true
    }
    AfterAll {
        Remove-Container idle -Force -ErrorAction SilentlyContinue
    }

    It 'by <Form>' -ForEach @(
        @{ Form = 'short id'; Reference = { $script:idle.ShortId } }
        @{ Form = 'id prefix'; Reference = { $script:idle.Id.Substring(0, 6) } }
        @{ Form = 'name'; Reference = { 'idle' } }
    ) {
        $typed = & $Reference
        Suspend-Container $typed -ErrorVariable failures -ErrorAction SilentlyContinue
        $failures | Should -HaveCount 1
        $failures[0].FullyQualifiedErrorId | Should -Be 'ContainerNotRunning,Container.Module.Cmdlets.SuspendContainerCommand'
        $failures[0].TargetObject | Should -Be $typed
        $failures[0].ToString() | Should -BeLike "*'$typed'*"
    }
}

Describe 'Start-Container' -Tag 'Root' -Skip:(-not $script:isRoot) {
    It 'leaves a running container as it is, with a warning' {
        $running = New-Container busybox:messages -Name twice -Command 'sleep', '300' | Start-Container -PassThru
        $again = Start-Container twice -PassThru -WarningVariable warnings -ErrorVariable failures -WarningAction SilentlyContinue
        $failures | Should -BeNullOrEmpty
        $warnings | Should -HaveCount 1
        "$warnings" | Should -BeLike "*'twice'*running already*"
        $again.Pid | Should -Be $running.Pid
        $again.StartedAt | Should -Be $running.StartedAt
        Remove-Container twice -Force
    }
}

Describe 'Get-ContainerLog -Since' -Tag 'Root' -Skip:(-not $script:isRoot) {
    BeforeAll {
        $null = Invoke-ContainerImage busybox:messages -Name said -Command 'sh', '-c', 'echo hello'
    }

    It 'reads 30s typed without quotes as 30 seconds' {
        # PowerShell reads 30s as the number 30 (a short)
        (Get-ContainerLog said -Since 30s).Text | Should -Be 'hello'
        (Get-ContainerLog said -Since 3600).Text | Should -Be 'hello'
    }

    It 'reads a bare number as seconds: nothing was written in the last 0 seconds' {
        Get-ContainerLog said -Since 0 | Should -BeNullOrEmpty
    }
}

Describe 'A store where no container was ever made' {
    It 'says that a container it is asked for is not found' {
        $saved = $env:CONTAINER_ROOT
        $env:CONTAINER_ROOT = Join-Path ([IO.Path]::GetTempPath()) "container-pester-empty-$([guid]::NewGuid().ToString('n').Substring(0, 8))"
        try {
            { Get-Container web -ErrorAction Stop } | Should -Throw -ErrorId 'ContainerNotFound,Container.Module.Cmdlets.GetContainerCommand'
        }
        finally {
            Remove-Item -Recurse -Force $env:CONTAINER_ROOT -ErrorAction SilentlyContinue
            $env:CONTAINER_ROOT = $saved
        }
    }
}
