#Requires -Version 7.4
#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
<#
    Registries as a pwsh user meets them: a private registry (docker-registry with Basic auth,
    of this file's own, on 127.0.0.1) logged in to, pushed to, listed and pulled from into a
    store that did not have the image, which then runs; every refusal an ErrorRecord.
    The protocol in depth (TLS, skopeo both ways, corrupted blobs) is RegistryPullPushTests' (xunit).
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

    It 'refuses a registry it has no login for, once logged out, and names an image the registry lacks' {
        Disconnect-ContainerRegistry $script:registry
        { Get-ContainerRegistryTag "$($script:registry)/team/app" -ErrorAction Stop } | Should -Throw -ErrorId 'RegistryAuthenticationFailed,*'
        { Request-ContainerImage "$($script:registry)/team/none:1" -Credential (Login 'right') -ErrorAction Stop } |
            Should -Throw -ErrorId 'RegistryImageNotFound,*'
        $Error[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }
}
