#Requires -Version 7.4
#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
<#
    Registries as a pwsh user meets them: a private registry (docker-registry with Basic auth,
    of this file's own, on 127.0.0.1) logged in to, pushed to (as it is, and as OCI with zstd
    layers), listed and pulled from into a store that did not have the image, which then runs;
    every refusal an ErrorRecord. The protocol in depth (TLS, skopeo both ways, corrupted blobs)
    is RegistryPullPushTests' (xunit); formats, compressions and platforms RegistryFormatTests'.
#>

BeforeDiscovery {
    $script:isRoot = (id -u) -eq '0'
    $script:noRegistry = -not (Test-Path /usr/bin/docker-registry) -or -not (Test-Path /usr/bin/htpasswd)
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    Enter-TestStore -Name registries -Image busybox:registry
    # a free port on loopback, then the registry on it, with its storage and users in the work directory
    $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $listener.Start(); $port = $listener.LocalEndpoint.Port; $listener.Stop()
    $script:registry = "127.0.0.1:$port"
    $dir = New-Item -ItemType Directory -Path (Join-Path $script:work 'registry')
    htpasswd -Bbn ci right > "$dir/htpasswd"
    @"
version: 0.1
log: { level: error, accesslog: { disabled: true } }
storage: { filesystem: { rootdirectory: $dir/data } }
http: { addr: '$($script:registry)', secret: pester }
auth: { htpasswd: { realm: test, path: $dir/htpasswd } }
"@ | Set-Content "$dir/config.yml"
    $script:registryProcess = Start-Process -FilePath env -ArgumentList '-i', '/usr/bin/docker-registry', 'serve', "$dir/config.yml" -PassThru `
        -RedirectStandardOutput "$dir/out.log" -RedirectStandardError "$dir/err.log"
    Wait-Until { try { $null = Invoke-WebRequest "http://$($script:registry)/v2/" -SkipHttpErrorCheck -NoProxy; $true } catch { $false } } 'the registry to answer'
    function script:Login([string] $Password) { [pscredential]::new('ci', (ConvertTo-SecureString $Password -AsPlainText -Force)) }
}

AfterAll {
    if ($script:registryProcess) {
        $script:registryProcess.Kill()
        $script:registryProcess.WaitForExit()
    }
    Exit-TestStore
}

Describe 'A private registry' -Tag 'Root', 'Registry' -Skip:(-not $script:isRoot -or $script:noRegistry) {
    It 'refuses a wrong login with RegistryAuthenticationFailed (AuthenticationError), and stores nothing' {
        { Connect-ContainerRegistry $script:registry (Login 'wrong') -ErrorAction Stop } |
            Should -Throw -ErrorId 'RegistryAuthenticationFailed,*'
        $Error[0].CategoryInfo.Category | Should -Be 'AuthenticationError'
        $Error[0].TargetObject | Should -Be $script:registry
        Test-Path $env:REGISTRY_AUTH_FILE | Should -BeFalse
    }

    It 'takes a login, a push, a listing and a pull into a store without the image, which then runs' {
        Connect-ContainerRegistry $script:registry (Login 'right')
        (Get-Item $env:REGISTRY_AUTH_FILE).UnixMode | Should -Be '-rw-------'
        # made here: a layer the pulling store has never had
        Invoke-ContainerImage busybox:registry -Name seed -- sh -c 'echo pushed from pwsh > /note' | Should -BeNullOrEmpty
        $null = ConvertTo-ContainerImage seed -Name team/app:1
        Submit-ContainerImage team/app:1 "$($script:registry)/team/app:1"
        Get-ContainerRegistryTag "$($script:registry)/team/app" | Should -Be '1'

        Remove-Container seed
        Remove-ContainerImage team/app:1
        $pulled = Request-ContainerImage "$($script:registry)/team/app:1"
        $pulled.Reference | Should -Be "$($script:registry)/team/app:1"
        Invoke-ContainerImage "$($script:registry)/team/app:1" -Remove -- cat /note | Should -Be 'pushed from pwsh'
    }

    It 'pulls a missing image at Invoke-ContainerImage -Pull Missing, a short name from the search registry of registries.conf, and runs it' {
        Set-Content $env:CONTAINERS_REGISTRIES_CONF "unqualified-search-registries = ['$($script:registry)']"
        Remove-ContainerImage "$($script:registry)/team/app:1"
        { New-Container team/app:1 -Pull Never -ErrorAction Stop } | Should -Throw -ErrorId 'ImageNotFound,*'
        Invoke-ContainerImage team/app:1 -Pull Missing -Remove -- cat /note | Should -Be 'pushed from pwsh'
        (Get-ContainerImage "$($script:registry)/team/app:1").Reference | Should -Be "$($script:registry)/team/app:1"
        # found in the store by the name it stands for: Never is enough now
        (New-Container team/app:1 -Pull Never -Name by-short-name).Image | Should -Be "$($script:registry)/team/app:1"
        Remove-Container by-short-name
    }

    It 'finds the repositories of the catalog that match a wildcard or hold a word, and pulls one from the pipeline' {
        Submit-ContainerImage busybox:registry "$($script:registry)/team/tool"
        Submit-ContainerImage busybox:registry "$($script:registry)/other/app:1"
        # pushed again: -Verbose says each blob was there already
        $told = Submit-ContainerImage busybox:registry "$($script:registry)/other/app:1" -Verbose 4>&1
        @($told.Message -like 'Layer *: already in the registry').Count | Should -Be @((Get-ContainerImage busybox:registry).Layers).Count
        @($told.Message -like 'Config *: already in the registry').Count | Should -Be 1
        $found = Find-ContainerImage "$($script:registry)/team/*"
        $found.Repository | Should -Be 'team/app', 'team/tool'
        $found[0].Name | Should -Be "$($script:registry)/team/app"
        (Find-ContainerImage app -Registry $script:registry).Repository | Should -Be 'other/app', 'team/app'
        Set-Content $env:CONTAINERS_REGISTRIES_CONF "unqualified-search-registries = ['$($script:registry)']"
        (Find-ContainerImage 'team/t*').Name | Should -Be "$($script:registry)/team/tool"
        (Find-ContainerImage 'team/t*' | Request-ContainerImage).Id | Should -Be (Get-ContainerImage busybox:registry).Id
        Remove-Item $env:CONTAINERS_REGISTRIES_CONF
        { Find-ContainerImage team/* -ErrorAction Stop } | Should -Throw -ErrorId 'RegistryRequired,*'
    }

    It 'refuses a short name that two search registries may serve with AmbiguousShortName, naming both, and pulls nothing' {
        Set-Content $env:CONTAINERS_REGISTRIES_CONF "unqualified-search-registries = ['$($script:registry)', 'registry.invalid']"
        $before = @(Get-ContainerImage).Count
        { Request-ContainerImage team/other:1 -ErrorAction Stop } | Should -Throw -ErrorId 'AmbiguousShortName,*'
        $Error[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $Error[0].Exception.Message | Should -BeLike "*$($script:registry)/team/other:1*registry.invalid/team/other:1*"
        @(Get-ContainerImage).Count | Should -Be $before
        Remove-Item $env:CONTAINERS_REGISTRIES_CONF
    }

    It 'pushes an image as OCI with zstd layers, which another store pulls and runs' {
        Invoke-ContainerImage busybox:registry -Name zstd-seed -- sh -c 'echo zstd from pwsh > /note' | Should -BeNullOrEmpty
        $null = ConvertTo-ContainerImage zstd-seed -Name team/zstd:1
        Submit-ContainerImage team/zstd:1 "$($script:registry)/team/zstd:1" -Format Oci -Compression zstd -Credential (Login 'right')
        $raw = Invoke-RestMethod "http://$($script:registry)/v2/team/zstd/manifests/1" -NoProxy -Authentication Basic -Credential (Login 'right') -AllowUnencryptedAuthentication `
            -Headers @{ Accept = 'application/vnd.oci.image.manifest.v1+json' }
        $raw.mediaType | Should -Be 'application/vnd.oci.image.manifest.v1+json'
        $raw.layers.mediaType | Should -Be ($raw.layers | ForEach-Object { 'application/vnd.oci.image.layer.v1.tar+zstd' })
        { Submit-ContainerImage team/zstd:1 "$($script:registry)/team/zstd:2" -Compression xz } | Should -Throw -ErrorId 'ParameterArgumentValidationError,*'

        # another store: it has none of the image's blobs
        $own = $env:CONTAINER_ROOT
        $env:CONTAINER_ROOT = Join-Path $script:work 'other-store'
        try {
            $pulled = Request-ContainerImage "$($script:registry)/team/zstd:1" -Credential (Login 'right')
            $pulled.Reference | Should -Be "$($script:registry)/team/zstd:1"
            Invoke-ContainerImage "$($script:registry)/team/zstd:1" -Remove -- cat /note | Should -Be 'zstd from pwsh'
        } finally {
            Get-Container -ErrorAction SilentlyContinue | Remove-Container -Force -ErrorAction SilentlyContinue
            $env:CONTAINER_ROOT = $own
        }
        Remove-Container zstd-seed
    }

    It 'refuses a registry it has no login for, once logged out, and names an image the registry lacks' {
        Disconnect-ContainerRegistry $script:registry
        { Get-ContainerRegistryTag "$($script:registry)/team/app" -ErrorAction Stop } | Should -Throw -ErrorId 'RegistryAuthenticationFailed,*'
        { Request-ContainerImage "$($script:registry)/team/none:1" -Credential (Login 'right') -ErrorAction Stop } |
            Should -Throw -ErrorId 'RegistryImageNotFound,*'
        $Error[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }
}
