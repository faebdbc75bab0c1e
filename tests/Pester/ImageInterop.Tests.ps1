#Requires -Version 7.4
#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
<#
    Images and the world outside: archives peers read, damaged files as errors a script can
    handle, and -Force removal that does what it says.
    Build first (dotnet build Container.sln), then: Invoke-Pester ./tests/Pester -Tag Root (as root).
    Every test uses a private store (CONTAINER_ROOT), removed at the end.
#>

BeforeDiscovery {
    $script:isRoot = (id -u) -eq '0'
}

BeforeAll {
    $repository = Resolve-Path (Join-Path $PSScriptRoot '../..')
    Import-Module (Join-Path $repository 'out/Container/Container.psd1') -Force
    $script:savedRoot = $env:CONTAINER_ROOT
    $env:CONTAINER_ROOT = Join-Path ([IO.Path]::GetTempPath()) "container-pester-interop-$([guid]::NewGuid().ToString('n').Substring(0, 8))"
    $script:work = Join-Path ([IO.Path]::GetTempPath()) "container-pester-interop-work-$([guid]::NewGuid().ToString('n').Substring(0, 8))"
    $null = New-Item -ItemType Directory -Path $script:work
    $script:rootfs = & (Join-Path $repository 'tools/New-BusyboxRootfs.ps1')
    $script:importId = 'ImportContainerImageCommand'

    function script:New-WorkFile {
        param([string] $Name, [byte[]] $Content)
        $path = Join-Path $script:work $Name
        [IO.File]::WriteAllBytes($path, $Content)
        $path
    }
}

AfterAll {
    if ($env:CONTAINER_ROOT -and (Test-Path $env:CONTAINER_ROOT)) {
        Get-Container -ErrorAction SilentlyContinue | Remove-Container -Force -ErrorAction SilentlyContinue
        Remove-Item -Recurse -Force $env:CONTAINER_ROOT -ErrorAction SilentlyContinue
    }
    Remove-Item -Recurse -Force $script:rootfs, $script:work -ErrorAction SilentlyContinue
    $env:CONTAINER_ROOT = $script:savedRoot
}

Describe 'Archives peers read' -Tag 'Root' -Skip:(-not $script:isRoot) {
    BeforeAll {
        $null = Import-ContainerImage -Path $script:rootfs -Name interop/peers:1 -Command sh -Environment @{ SUM = '1+1' }
    }

    It 'are read by skopeo, times and all' {
        $archive = Join-Path $script:work 'for-skopeo.tar'
        $null = Export-ContainerImage interop/peers:1 -Path $archive
        # skopeo in a mount namespace of its own, so its cache lands on a tmpfs, not in /var/lib
        $isolate = 'for d in /var/lib /var/tmp; do mount -t tmpfs tmpfs "$d" || exit 125; done; exec "$@"'
        $seen = unshare -m --propagation private sh -c $isolate sh skopeo inspect "docker-archive:$archive" | ConvertFrom-Json -DateKind String
        $LASTEXITCODE | Should -Be 0
        $seen.Created | Should -Match '^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$'
        [DateTimeOffset]$seen.Created | Should -Be (Get-ContainerImage interop/peers:1).Created
        $seen.Env | Should -Contain 'SUM=1+1'
    }
}

Describe 'Damaged archives' -Tag 'Root' -Skip:(-not $script:isRoot) {
    BeforeAll {
        $null = Import-ContainerImage -Path $script:rootfs -Name interop/good:1 -Command sh
        $script:good = Join-Path $script:work 'good.tar'
        $null = Export-ContainerImage interop/good:1 -Path $script:good
        Remove-ContainerImage interop/good:1
        $bytes = [IO.File]::ReadAllBytes($script:good)
        $script:truncated = New-WorkFile 'truncated.tar' $bytes[0..($bytes.Length / 2)]
        $script:random = New-WorkFile 'random.bin' ([Security.Cryptography.RandomNumberGenerator]::GetBytes(65536))

        # a docker archive whose one layer is noise
        $parts = New-Item -ItemType Directory -Path (Join-Path $script:work 'bad-layer')
        $layer = New-WorkFile 'bad-layer/layer.tar' ([Security.Cryptography.RandomNumberGenerator]::GetBytes(20000))
        $diffId = 'sha256:' + (Get-FileHash $layer -Algorithm SHA256).Hash.ToLowerInvariant()
        Set-Content (Join-Path $parts 'config.json') "{`"architecture`":`"amd64`",`"os`":`"linux`",`"rootfs`":{`"type`":`"layers`",`"diff_ids`":[`"$diffId`"]}}"
        Set-Content (Join-Path $parts 'manifest.json') '[{"Config":"config.json","RepoTags":["interop/bad:1"],"Layers":["layer.tar"]}]'
        $script:badLayer = Join-Path $script:work 'bad-layer.tar'
        tar -C $parts -cf $script:badLayer config.json layer.tar manifest.json
    }

    It 'reports a truncated archive as InvalidImageArchive' {
        { Import-ContainerImage -Path $script:truncated -ErrorAction Stop } |
            Should -Throw -ErrorId "InvalidImageArchive,Container.Module.Cmdlets.$script:importId"
    }

    It 'reports a file that is no archive as InvalidImageArchive' {
        { Import-ContainerImage -Path $script:random -Name interop/random:1 -ErrorAction Stop } |
            Should -Throw -ErrorId "InvalidImageArchive,Container.Module.Cmdlets.$script:importId"
    }

    It 'reports a layer that cannot be unpacked as InvalidLayer' {
        { Import-ContainerImage -Path $script:badLayer -ErrorAction Stop } |
            Should -Throw -ErrorId "InvalidLayer,Container.Module.Cmdlets.$script:importId"
        Get-ContainerImage -Name 'interop/bad*' | Should -BeNullOrEmpty
    }

    It 'writes a non-terminating error that -ErrorAction SilentlyContinue silences' {
        $imported = Import-ContainerImage -Path $script:truncated -ErrorAction SilentlyContinue -ErrorVariable failures
        $imported | Should -BeNullOrEmpty
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -Be "InvalidImageArchive,Container.Module.Cmdlets.$script:importId"
        $failures[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $failures[0].TargetObject | Should -Be $script:truncated
        { Import-ContainerImage -Path $script:badLayer -ErrorAction SilentlyContinue } | Should -Not -Throw
    }

    It 'goes on past the bad files of a pipeline' {
        $imported = $script:truncated, $script:random, $script:badLayer, $script:good |
            Import-ContainerImage -ErrorAction SilentlyContinue -ErrorVariable failures
        $imported.Repository | Should -Be 'interop/good'
        $failures.FullyQualifiedErrorId | Should -Be @(
            "InvalidImageArchive,Container.Module.Cmdlets.$script:importId"
            "InvalidImageArchive,Container.Module.Cmdlets.$script:importId"
            "InvalidLayer,Container.Module.Cmdlets.$script:importId")
    }
}

Describe 'Remove-ContainerImage -Force' -Tag 'Root' -Skip:(-not $script:isRoot) {
    BeforeAll {
        $script:image = Import-ContainerImage -Path $script:rootfs -Name interop/removed:1 -Command sh
        $null = New-Container interop/removed:1 -Name stopped-user -Command 'echo', 'still runs'
        $null = New-Container interop/removed:1 -Name running-user -Command 'sleep', '300' | Start-Container -PassThru
    }

    It 'takes the name of an image a running container uses, and keeps the image' {
        Remove-ContainerImage interop/removed:1 -Force
        Get-ContainerImage -Name 'interop/removed*' | Should -BeNullOrEmpty
        $nameless = Get-ContainerImage | Where-Object Id -EQ $script:image.Id
        $nameless.Repository | Should -Be '<none>'
    }

    It 'says why it cannot remove that untagged image while the container runs' {
        { Get-ContainerImage | Where-Object Id -EQ $script:image.Id | Remove-ContainerImage -Force -ErrorAction Stop } |
            Should -Throw -ErrorId 'ImageInUseByRunningContainer,Container.Module.Cmdlets.RemoveContainerImageCommand'
        Get-ContainerImage | Where-Object Id -EQ $script:image.Id | Should -Not -BeNullOrEmpty
    }

    It 'removes it once only stopped containers use it, which still run from its layers' {
        Remove-Container running-user -Force
        Get-ContainerImage | Where-Object Id -EQ $script:image.Id | Remove-ContainerImage -Force
        Get-ContainerImage | Where-Object Id -EQ $script:image.Id | Should -BeNullOrEmpty
        $null = Start-Container stopped-user -PassThru | Wait-Container -Timeout 60
        (Get-Container stopped-user).ExitCode | Should -Be 0
        (Get-ContainerLog -Name stopped-user).Text | Should -Be 'still runs'
    }
}
