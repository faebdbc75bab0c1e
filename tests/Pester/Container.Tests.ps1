#Requires -Version 7.4
#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
<#
    The module as a user sees it (images, a first container, the pipeline, sessions, shared IPC and
    PID namespaces). Build first (dotnet build Container.sln, or ./build.ps1),
    then: Invoke-Pester ./tests/Pester            (as root: everything)
          Invoke-Pester ./tests/Pester -ExcludeTagFilter Root   (without root)
    Every test uses a private store (CONTAINER_ROOT), removed at the end.
#>

BeforeDiscovery {
    $script:isRoot = (id -u) -eq '0'
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    Enter-TestStore -Name container
}

AfterAll {
    Exit-TestStore
}

Describe 'The module' {
    It 'exports the container cmdlets' {
        $commands = Get-Command -Module Container
        $commands.Name | Should -Contain 'New-Container'
        $commands.Name | Should -Contain 'Import-ContainerImage'
        $commands | ForEach-Object { $_.Verb | Should -BeIn (Get-Verb).Verb }
    }

    It 'offers -WhatIf on commands that change things' {
        foreach ($name in 'New-Container', 'Start-Container', 'Stop-Container', 'Remove-Container', 'Import-ContainerImage') {
            (Get-Command $name).Parameters.Keys | Should -Contain 'WhatIf'
        }
    }

    It 'reports a malformed image reference as an error with its id' {
        { Import-ContainerImage -Path $script:rootfs -Name 'Not/Valid:Name' -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidImageReference,Container.Module.Cmdlets.ImportContainerImageCommand'
    }
}

Describe 'Images' -Tag 'Root' -Skip:(-not $script:isRoot) {
    It 'imports a root filesystem directory as a one-layer image' {
        $image = Import-ContainerImage -Path $script:rootfs -Name busybox:pester -Command sh
        $image | Should -BeOfType Container.Runtime.Images.ContainerImage
        $image.Repository | Should -Be 'busybox'
        $image.Tag | Should -Be 'pester'
        $image.Layers | Should -HaveCount 1
        $image.Size | Should -BeGreaterThan 1MB
    }

    It 'lists images, and filters them by wildcard' {
        (Get-ContainerImage).Repository | Should -Contain 'busybox'
        Get-ContainerImage -Name 'busy*' | Should -Not -BeNullOrEmpty
        Get-ContainerImage -Name 'nothing*' | Should -BeNullOrEmpty
    }

    It 'says which image is missing' {
        { Get-ContainerImage -Name 'no-such-image:1' -ErrorAction Stop } |
            Should -Throw -ErrorId 'ImageNotFound,Container.Module.Cmdlets.GetContainerImageCommand'
    }
}

Describe 'A first container' -Tag 'Root' -Skip:(-not $script:isRoot) {
    It 'is created, not running' {
        $container = New-Container busybox:pester -Name t1 -Command 'sh', '-c', 'hostname; echo $$'
        $container | Should -BeOfType Container.Runtime.Containers.ContainerInfo
        $container.Status | Should -Be 'Created'
        (Get-Container t1).Status | Should -Be 'Created'
    }

    It 'runs as pid 1 with the container name as hostname' {
        Start-Container t1
        Wait-Container t1 -Timeout 60 | Should -Be 0
        (Get-ContainerLog t1).Text | Should -Be @('t1', '1')
    }

    It 'is listed as exited with its exit code' {
        $container = Get-Container t1
        $container.Status | Should -Be 'Exited'
        $container.ExitCode | Should -Be 0
        $container.StatusText | Should -Match '^Exited \(0\)'
    }

    It 'records a failing exit code' {
        Invoke-TestContainer -Image busybox:pester -Name fails -Command 'sh', '-c', 'exit 3'
        (Get-Container fails).ExitCode | Should -Be 3
    }

    It 'keeps its writes to itself' {
        Invoke-TestContainer -Image busybox:pester -Name writer -Command 'sh', '-c', 'echo secret > /secret.txt'
        Invoke-TestContainer -Image busybox:pester -Name reader -Command 'sh', '-c', 'test -e /secret.txt && echo visible || echo absent' |
            Should -Be 'absent'
    }

    It 'is removed with nothing left behind' {
        $container = Get-Container t1
        Remove-Container t1
        Test-Path $container.Path | Should -BeFalse
        Get-Content /proc/self/mountinfo | Should -Not -Match $container.Id
        { Get-Container t1 -ErrorAction Stop } | Should -Throw -ErrorId 'ContainerNotFound,Container.Module.Cmdlets.GetContainerCommand'
    }
}

Describe 'The pipeline' -Tag 'Root' -Skip:(-not $script:isRoot) {
    BeforeAll {
        foreach ($name in 'p1', 'p2') {
            $null = New-Container busybox:pester -Name $name -Command 'sleep', '300'
        }
    }

    It 'starts containers named by strings' {
        'p1', 'p2' | Start-Container
        (Get-Container -Name 'p*').Status | Should -Be @('Running', 'Running')
    }

    It 'stops container objects' {
        Get-Container -Name 'p*' | Stop-Container -Timeout 1
        (Get-Container -Name 'p*').Status | Should -Be @('Exited', 'Exited')
    }

    It 'selects by status and removes what it selects' {
        Get-Container -Status Exited | Remove-Container
        Get-Container -Name 'p*' | Should -BeNullOrEmpty
    }

    It 'binds -Id by property name' {
        $container = New-Container busybox:pester -Name byid -Command true
        [pscustomobject]@{ Id = $container.Id } | Remove-Container
        Get-Container -Name byid -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'goes on past a bad item, reporting it' {
        $null = New-Container busybox:pester -Name good -Command true
        'missing', 'good' | Remove-Container -ErrorVariable failures -ErrorAction SilentlyContinue
        $failures | Should -HaveCount 1
        $failures[0].FullyQualifiedErrorId | Should -Be 'ContainerNotFound,Container.Module.Cmdlets.RemoveContainerCommand'
        $failures[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $failures[0].TargetObject | Should -Be 'missing'
        Get-Container -Name good -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'does nothing under -WhatIf' {
        $null = New-Container busybox:pester -Name kept -Command true
        Remove-Container kept -WhatIf
        (Get-Container kept).Name | Should -Be 'kept'
    }

    It 'refuses to remove a running container without -Force' {
        $null = New-Container busybox:pester -Name running -Command 'sleep', '300' | Start-Container -PassThru
        { Remove-Container running -ErrorAction Stop } | Should -Throw -ErrorId 'ContainerRunning,Container.Module.Cmdlets.RemoveContainerCommand'
        Remove-Container running -Force
        Get-Container -Name running -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'treats a wildcard that matches nothing as no error' {
        Get-Container -Name 'zzz*' -ErrorVariable failures | Should -BeNullOrEmpty
        $failures | Should -BeNullOrEmpty
    }
}

Describe 'Containers outlive the session' -Tag 'Root' -Skip:(-not $script:isRoot) {
    It 'keeps running after the pwsh that started it exits' {
        $module = (Get-Module Container).Path -replace 'Container.Module.dll$', 'Container.psd1'
        pwsh -NoProfile -Command "Import-Module '$module'; New-Container busybox:pester -Name survivor -Command sleep,300 | Start-Container"
        $LASTEXITCODE | Should -Be 0
        (Get-Container survivor).Status | Should -Be 'Running'
        Remove-Container survivor -Force
    }
}

Describe 'Shared IPC and PID namespaces (docker --ipc, --pid)' -Tag 'Root' -Skip:(-not $script:isRoot) {
    AfterEach {
        Get-Container owner, joiner, host-ipc -ErrorAction SilentlyContinue | Remove-Container -Force
    }

    It 'runs a container in another''s PID and IPC namespaces, and one in the host''s IPC namespace' {
        $owner = New-Container busybox:pester -Name owner -Network none -Command sleep, 100003 | Start-Container -PassThru
        $joiner = New-Container busybox:pester -Name joiner -Network none -Pid container:owner -Ipc container:owner -Command sleep, 100004 |
            Start-Container -PassThru
        ($joiner.PidMode, $joiner.IpcMode) | Should -Be "container:$($owner.Id)", "container:$($owner.Id)"
        Invoke-ContainerCommand joiner -- ps -o args | Should -Contain 'sleep 100003'
        Invoke-ContainerCommand joiner -- readlink /proc/self/ns/pid | Should -Be (Invoke-ContainerCommand owner -- readlink /proc/self/ns/pid)
        $null = New-Container busybox:pester -Name host-ipc -Network none -Ipc host -Command sleep, 100005 | Start-Container
        Invoke-ContainerCommand host-ipc -- readlink /proc/self/ns/ipc | Should -Be (readlink /proc/self/ns/ipc)
        Invoke-ContainerCommand host-ipc -- readlink /proc/self/ns/pid | Should -Not -Be (readlink /proc/self/ns/pid)
    }

    It 'refuses a mode that is not one with InvalidNamespaceMode, and one with -UidMap with NamespaceModeConflict, making nothing' {
        $failure = { New-Container busybox:pester -Name joiner -Ipc sideways -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidNamespaceMode,*' -PassThru
        $failure.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $failure.TargetObject | Should -Be 'sideways'
        { New-Container busybox:pester -Name joiner -Pid host -UidMap 0:100000:65536 -ErrorAction Stop } | Should -Throw -ErrorId 'NamespaceModeConflict,*'
        Get-Container joiner -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }
}
