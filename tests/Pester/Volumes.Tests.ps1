#Requires -Version 7.4
#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
<#
    Volumes and mounts as a pwsh user meets them: -Volume, -Mount (a string or a hashtable),
    -Tmpfs and -VolumesFrom on real containers, read from inside them; the volume cmdlets with
    the pipeline, -WhatIf and -PassThru; every refusal as an ErrorRecord with its id and
    category, before anything is made. The kernel's side in depth is VolumeKernelTests' (xunit).
    Build first (dotnet build Container.sln).
#>

BeforeDiscovery {
    $script:isRoot = (id -u) -eq '0'
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    Enter-TestStore -Name volumes -Image busybox:volumes
}

AfterAll {
    Exit-TestStore
}

Describe 'Mounts of a container' -Tag 'Root' -Skip:(-not $script:isRoot) {
    AfterEach {
        Get-Container | Remove-Container -Force -Volumes
        Get-ContainerVolume | Remove-ContainerVolume
    }

    It 'binds a host directory, read-only with :ro, and one relative to the current location' {
        $site = Join-Path $script:work 'site'
        $null = New-Item -ItemType Directory -Path $site -Force
        Set-Content -Path (Join-Path $site 'index.html') -Value 'hello'
        Push-Location $script:work
        try {
            $lines = Invoke-ContainerImage busybox:volumes -Remove -Volume "$($site):/ro:ro", './site:/rw' -- sh -c '(echo x > /ro/new) 2>/dev/null || echo refused; cat /rw/index.html; echo inside > /rw/out'
        }
        finally {
            Pop-Location
        }
        $lines | Should -Be 'refused', 'hello'
        Get-Content (Join-Path $site 'out') | Should -Be 'inside'
    }

    It 'keeps a named volume''s files for the next container, and shows who uses it' {
        Invoke-ContainerImage busybox:volumes -Remove -Volume 'notes:/notes' -- sh -c 'echo kept > /notes/n' | Should -BeNullOrEmpty
        $null = New-Container busybox:volumes -Name reader -Volume 'notes:/notes' -Command cat, /notes/n
        $volume = Get-ContainerVolume notes
        $volume.UsedBy | Should -Be 'reader'
        $volume.Size | Should -Be 5
        Start-Container reader -PassThru | Wait-Container | Out-Null
        (Get-ContainerLog reader).Text | Should -Be 'kept'
        ((Get-ContainerVolume | Format-Table | Out-String -Width 80) -split "`n" | Select-String 'notes') | Should -Match 'local\s+notes\s+5 ?B\s+reader'
    }

    It 'takes -Mount as a string and as a hashtable, and -Tmpfs with its size' {
        $data = Join-Path $script:work 'mount-data'
        $null = New-Item -ItemType Directory -Path $data -Force
        $lines = Invoke-ContainerImage busybox:volumes -Remove -Mount "type=bind,source=$data,target=/a,readonly", @{ type = 'tmpfs'; target = '/b'; 'tmpfs-size' = '2m' } -Tmpfs '/c:size=1m,mode=700' -- sh -c 'for t in /a /b /c; do grep " $t " /proc/self/mountinfo | cut -d" " -f5-; done; stat -c %a /c'
        $lines[0] | Should -Match '^/a ro,'
        $lines[1] | Should -Match '^/b rw,.* tmpfs .*size=2048k'
        $lines[2] | Should -Match '^/c rw,.* tmpfs .*size=1024k'
        $lines[3] | Should -Be '700'
    }

    It 'gives -VolumesFrom the same mounts, read-only with :ro' {
        $null = New-Container busybox:volumes -Name source -Volume 'shared:/shared' -Command sh, -c, 'echo from-source > /shared/f' | Start-Container -PassThru | Wait-Container
        $lines = Invoke-ContainerImage busybox:volumes -Name follower -VolumesFrom 'source:ro' -- sh -c 'cat /shared/f; (echo x > /shared/f) 2>/dev/null || echo refused'
        $lines | Should -Be 'from-source', 'refused'
        (Get-Container follower).Mounts | Should -HaveCount 1
        (Get-Container follower).Mounts[0].ReadOnly | Should -BeTrue
    }

    It 'shows each mount in Format-List, as docker inspect''s Mounts' {
        $null = New-Container busybox:volumes -Name shown -Volume 'logs:/var/log', '/cache' -Tmpfs /run -Command true
        $text = Get-Container shown | Format-List | Out-String -Width 120
        $text | Should -Match 'volume logs -> /var/log \(rw\)'
        $text | Should -Match 'tmpfs tmpfs -> /run \(rw\)'
        $text | Should -Match 'volume [0-9a-f]{64} -> /cache \(rw\)'
    }

    It 'gives an image''s VOLUME an anonymous volume with the image''s files under the container''s own hostname file, and -Volumes takes it away' {
        # an image made elsewhere: ours exported as an OCI layout, VOLUME /etc added to its config
        $layout = New-Item -ItemType Directory -Path (Join-Path $script:work 'volume-layout')
        Export-ContainerImage busybox:volumes -Format OciArchive -Path "$layout.tar"
        tar -C $layout -xf "$layout.tar"
        function Write-Blob([object] $Value, [string] $MediaType) {
            $bytes = [Text.Encoding]::UTF8.GetBytes(($Value | ConvertTo-Json -Depth 20 -Compress))
            $hex = [Convert]::ToHexString([Security.Cryptography.SHA256]::HashData($bytes)).ToLowerInvariant()
            [IO.File]::WriteAllBytes("$layout/blobs/sha256/$hex", $bytes)
            [ordered]@{ mediaType = $MediaType; digest = "sha256:$hex"; size = $bytes.Length }
        }
        function Read-Blob([string] $Digest) { Get-Content -Raw "$layout/blobs/sha256/$($Digest.Split(':')[1])" | ConvertFrom-Json }
        $index = Get-Content -Raw "$layout/index.json" | ConvertFrom-Json
        $manifest = Read-Blob $index.manifests[0].digest
        $config = Read-Blob $manifest.config.digest
        $config.config | Add-Member -NotePropertyName Volumes -NotePropertyValue @{ '/etc' = @{} }
        $manifest.config = Write-Blob $config $manifest.config.mediaType
        $described = Write-Blob $manifest $index.manifests[0].mediaType
        $described.annotations = @{ 'org.opencontainers.image.ref.name' = 'busybox:with-volume' }
        $index.manifests = @($described)
        $index | ConvertTo-Json -Depth 20 -Compress | Set-Content -NoNewline "$layout/index.json"
        tar -C $layout -cf "$layout-with-volume.tar" .
        $null = Import-ContainerImage -Path "$layout-with-volume.tar"

        $lines = Invoke-ContainerImage busybox:with-volume -Name from-image -- sh -c 'grep -c " /etc " /proc/self/mountinfo; cat /etc/hostname > /dev/null && ls /etc/passwd'
        $lines | Should -Be '1', '/etc/passwd'
        $volume = (Get-Container from-image).Mounts | Where-Object Target -eq '/etc'
        $volume.Type | Should -Be 'Volume'
        (Get-ContainerVolume $volume.Source).Anonymous | Should -BeTrue
        Remove-Container from-image -Volumes
        Get-ContainerVolume | Should -BeNullOrEmpty
    }

    It 'warns that SELinux''s z is ignored' {
        $null = New-Container busybox:volumes -Name labelled -Volume "$($script:work):/w:z" -Command true -WarningVariable warned -WarningAction SilentlyContinue
        $warned | Should -Match "'z' .* is ignored"
    }
}

Describe 'Bad mounts' -Tag 'Root' -Skip:(-not $script:isRoot) {
    It 'refuses <Case> with <ErrorId> (<Category>), and makes nothing' -ForEach @(
        @{ Case = 'a relative target'; Arguments = @{ Volume = 'data:relative' }; ErrorId = 'InvalidMountOption'; Category = 'InvalidArgument' }
        @{ Case = 'a relative long-form target'; Arguments = @{ Mount = 'type=volume,source=data,target=relative' }; ErrorId = 'InvalidMountSpec'; Category = 'InvalidArgument' }
        @{ Case = 'an unknown option'; Arguments = @{ Mount = @{ type = 'bind'; source = '/tmp'; target = '/t'; colour = 'blue' } }; ErrorId = 'InvalidMountOption'; Category = 'InvalidArgument' }
        @{ Case = 'a tmpfs size that is not a size'; Arguments = @{ Tmpfs = '/t:size=huge' }; ErrorId = 'InvalidMountOption'; Category = 'InvalidArgument' }
        @{ Case = 'a missing long-form bind source'; Arguments = @{ Mount = 'type=bind,source=/nonexistent-source,target=/t' }; ErrorId = 'BindSourceNotFound'; Category = 'ObjectNotFound' }
        @{ Case = 'a volume name that is not one'; Arguments = @{ Volume = '-x:/t' }; ErrorId = 'InvalidVolumeName'; Category = 'InvalidArgument' }
        @{ Case = 'two mounts on one target'; Arguments = @{ Volume = 'one:/t', 'two:/t' }; ErrorId = 'DuplicateMountTarget'; Category = 'InvalidArgument' }
    ) {
        $caught = $null
        try { New-Container busybox:volumes -Name bad -Command true @Arguments -ErrorAction Stop } catch { $caught = $_ }
        $caught | Should -Not -BeNullOrEmpty
        $caught.FullyQualifiedErrorId | Should -BeLike "$ErrorId,*"
        $caught.CategoryInfo.Category | Should -Be $Category
        Get-Container | Should -BeNullOrEmpty
        Get-ContainerVolume | Should -BeNullOrEmpty
    }
}

Describe 'The volume cmdlets' -Tag 'Root' -Skip:(-not $script:isRoot) {
    AfterEach {
        Get-Container | Remove-Container -Force -Volumes
        Get-ContainerVolume | Remove-ContainerVolume
    }

    It 'makes, lists and removes volumes by name, pattern and pipeline' {
        $made = 'cache-a', 'cache-b' | New-ContainerVolume -Label @{ tier = 'test' }
        $made.Name | Should -Be 'cache-a', 'cache-b'
        $made[0].Labels['tier'] | Should -Be 'test'
        (Get-ContainerVolume cache-*).Name | Should -Be 'cache-a', 'cache-b'
        Get-ContainerVolume cache-* | Remove-ContainerVolume
        Get-ContainerVolume | Should -BeNullOrEmpty
    }

    It 'refuses a volume in use with VolumeInUse, one that exists with VolumeExists, one unknown with VolumeNotFound' {
        $null = New-Container busybox:volumes -Name holder -Volume 'held:/h' -Command true
        { Remove-ContainerVolume held -ErrorAction Stop } | Should -Throw -ErrorId 'VolumeInUse,*'
        { New-ContainerVolume held -ErrorAction Stop } | Should -Throw -ErrorId 'VolumeExists,*'
        { Get-ContainerVolume missing -ErrorAction Stop } | Should -Throw -ErrorId 'VolumeNotFound,*'
        (Get-ContainerVolume held).UsedBy | Should -Be 'holder'
    }

    It 'prunes only unused anonymous volumes unless -IncludeNamed, says which with -WhatIf, and writes them with -PassThru' {
        $null = New-ContainerVolume named-spare
        $null = New-Container busybox:volumes -Name gone -Volume '/anon' -Command true
        $anonymous = (Get-Container gone).Mounts[0].Source
        Remove-Container gone
        # What if: lines go to the host, which a transcript records
        $transcript = Join-Path $script:work 'prune-whatif.txt'
        $null = Start-Transcript -Path $transcript
        Remove-ContainerVolume -Unused -WhatIf
        $null = Stop-Transcript
        $said = Get-Content $transcript -Raw
        $said | Should -Match $anonymous
        $said | Should -Not -Match 'named-spare'
        (Get-ContainerVolume).Count | Should -Be 2
        (Remove-ContainerVolume -Unused -PassThru).Name | Should -Be $anonymous
        (Get-ContainerVolume).Name | Should -Be 'named-spare'
        (Remove-ContainerVolume -Unused -IncludeNamed -PassThru).Name | Should -Be 'named-spare'
    }

    It 'takes a run''s anonymous volumes away with -Remove, as docker run --rm' {
        Invoke-ContainerImage busybox:volumes -Remove -Volume 'stays:/s', '/goes' -- true | Should -BeNullOrEmpty
        (Get-ContainerVolume).Name | Should -Be 'stays'
    }

    It 'takes a detached run''s anonymous volumes away when its monitor removes it, as docker run -d --rm' {
        $null = Invoke-ContainerImage busybox:volumes -Name detached-volumes -Detach -Remove -Volume 'stays-too:/s', '/goes' -- sh -c 'echo x > /goes/x'
        Wait-Until { -not (Get-Container -Name detached-volumes -ErrorAction SilentlyContinue) } 'detached-volumes removed by its monitor'
        (Get-ContainerVolume).Name | Should -Be 'stays-too'
    }

    It 'takes a container''s anonymous volumes away with Remove-Container -Volumes, and leaves its named ones' {
        $null = New-Container busybox:volumes -Name both -Volume 'kept:/k', '/dropped' -Command true
        Remove-Container both -Volumes
        (Get-ContainerVolume).Name | Should -Be 'kept'
    }

    It 'carries a volume through an archive, Export-ContainerVolume piped to Import-ContainerVolume' {
        Invoke-ContainerImage busybox:volumes -Remove -Volume 'carried:/c' -- sh -c 'echo data > /c/f; ln /c/f /c/g; chown 7:8 /c/f; ln -s /etc/passwd /c/link' | Should -BeNullOrEmpty
        $archive = Join-Path $script:work 'carried.tar'
        $file = Export-ContainerVolume carried $archive
        $file.FullName | Should -Be $archive
        $copy = $file | Import-ContainerVolume -Name carried-copy -Label @{ from = 'archive' }
        $copy.Labels['from'] | Should -Be 'archive'
        Invoke-ContainerImage busybox:volumes -Remove -Volume 'carried-copy:/c' -- sh -c 'stat -c "%h %u:%g" /c/g; readlink /c/link; cat /c/f' |
            Should -Be '2 7:8', '/etc/passwd', 'data'
        { Import-ContainerVolume $archive carried-copy -ErrorAction Stop } | Should -Throw -ErrorId 'VolumeExists,*'
    }

    It 'completes volume names' {
        $null = New-ContainerVolume complete-me
        (TabExpansion2 'Get-ContainerVolume compl' 25).CompletionMatches.CompletionText | Should -Be 'complete-me'
    }
}
