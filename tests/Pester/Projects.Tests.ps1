#Requires -Version 7.4
#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
<#
    The compose cmdlets as a pwsh user meets them: a compose.yaml in a directory brought up,
    brought up again with nothing changed (nothing made anew), changed (only the changed service
    made anew, and -WhatIf says which field), a volume whose labels changed kept with a warning
    when the user at a terminal says No and made anew with -Force, listed, stopped and taken
    down; secrets and configs read inside, read-only, a new content making their service anew,
    down removing what up wrote, a secret file gone the error -WhatIf stops on; a service in
    another's PID namespace; a bad file an ErrorRecord.
    The services are on no network (network_mode: none): the bridge, published ports and the
    dependency conditions are ProjectUpTests' (xunit, in a namespace of its own).
#>

BeforeDiscovery {
    $script:isRoot = (id -u) -eq '0'
    $script:hasPython = [bool](Get-Command python3 -ErrorAction SilentlyContinue)
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    Enter-TestStore -Name projects -Image busybox:projects
    $script:project = New-Item -ItemType Directory -Path (Join-Path $script:work 'Shop')

    function Set-Project([string] $Greeting, [string] $Tier = 'first') {
        Set-Content (Join-Path $script:project 'compose.yaml') @"
services:
  web:
    image: busybox:projects
    command: ["sh", "-c", "echo `$GREETING; exec sleep 100000"]
    stop_grace_period: 0s
    environment:
      GREETING: $Greeting
    network_mode: none
    volumes: ["data:/data"]
  worker:
    image: busybox:projects
    command: ["sleep", "100000"]
    network_mode: none
    depends_on: [web]
volumes:
  data: { labels: { tier: $Tier } }
"@
    }
}

AfterAll {
    Exit-TestStore
}

Describe 'Start-ContainerProject and the project cmdlets' -Tag 'Root', 'Compose' -Skip:(-not $script:isRoot) {
    It 'brings the directory''s project up, named and labelled as docker compose does' {
        Set-Project hello
        $containers = Start-ContainerProject $script:project -Wait
        $containers.Name | Should -Be 'shop-web-1', 'shop-worker-1'
        $containers.Status | Should -Be 'Running', 'Running'
        $containers[0].Labels['com.docker.compose.project'] | Should -Be 'shop'
        $containers[0].Labels['com.docker.compose.service'] | Should -Be 'web'
        (Get-ContainerVolume shop_data).Labels['com.docker.compose.project'] | Should -Be 'shop'
    }

    It 'leaves what did not change running, and makes anew only the service that changed, saying why under -WhatIf' {
        $before = Get-Container shop-web-1, shop-worker-1
        (Start-ContainerProject $script:project -Wait).Id | Should -Be $before.Id
        Set-Project bonjour
        # What if: lines go to the host, as ShouldProcess writes them: a child session's output holds them
        $said = pwsh -NoProfile -Command "Import-Module '$script:modulePath'; Start-ContainerProject '$script:project' -WhatIf" | Out-String
        $said | Should -Match 'Recreate shop-web-1 \(web: environment changed\)'
        $said | Should -Not -Match 'shop-worker-1'
        $after = Start-ContainerProject $script:project -Wait
        $after[0].Id | Should -Not -Be $before[0].Id
        $after[1].Id | Should -Be $before[1].Id
        $after[0].Environment | Should -Contain 'GREETING=bonjour'
    }

    It 'keeps a volume whose configuration changed when the user answers No, and warns that it kept it' -Skip:(-not $script:hasPython) {
        Set-Project bonjour -Tier second
        $before = Get-Container shop-web-1
        # a user at a terminal (TerminalDriver.py) is asked, and says No
        $child = Join-Path $script:work 'decline.ps1'
        Set-Content $child ("Import-Module '$script:modulePath'`n`$env:CONTAINER_ROOT = '$env:CONTAINER_ROOT'`n" +
            "Start-ContainerProject '$script:project' -Wait | Out-Null`nWrite-Host DONE")
        $screen = (python3 (Join-Path $PSScriptRoot 'TerminalDriver.py') $child 'Recreate a volume' 'N\r' 'DONE' '') -join "`n"
        $LASTEXITCODE | Should -Be 0 -Because $screen
        $screen | Should -Match 'Volume shop_data exists but does not match the compose file \(labels changed\)'
        $screen | Should -Match 'WARNING: Volume shop_data does not match the compose file \(labels changed\): kept as it is'
        (Get-ContainerVolume shop_data).Labels['tier'] | Should -Be 'first'
        (Get-Container shop-web-1).Id | Should -Be $before.Id
    }

    It 'asks before making anew a volume whose configuration changed: -WhatIf says so, -Force does it without asking' {
        Set-Project bonjour -Tier second
        $said = pwsh -NoProfile -Command "Import-Module '$script:modulePath'; Start-ContainerProject '$script:project' -WhatIf" | Out-String
        $said | Should -Match 'Recreate volume shop_data \(labels changed; its data lost; shop-web-1 made anew\)'
        $before = Get-Container shop-web-1
        $after = Start-ContainerProject $script:project -Force -Wait
        (Get-ContainerVolume shop_data).Labels['tier'] | Should -Be 'second'
        $after[0].Id | Should -Not -Be $before.Id
        $after.Status | Should -Be 'Running', 'Running'
    }

    It 'lists the project with its containers, stops it and takes it down with its volumes' {
        $listed = Get-ContainerProject | Where-Object Name -EQ shop
        $listed.Status | Should -Be 'running(2)'
        $listed.Containers.Name | Should -Be 'shop-web-1', 'shop-worker-1'
        (Get-ContainerProject -ProjectName shop).Containers.Count | Should -Be 2
        (Get-ContainerProject -ProjectName shop | Get-ContainerProject).Name | Should -Be 'shop'
        (Stop-ContainerProject -ProjectName shop -Timeout 0 -PassThru).Status | Should -Be 'Exited', 'Exited'
        Remove-ContainerProject $script:project -Confirm:$false
        Get-Container shop-* | Should -BeNullOrEmpty
        Get-ContainerVolume shop_data | Should -Not -BeNullOrEmpty
        Remove-ContainerProject -ProjectName shop -Volumes -Confirm:$false
        Get-ContainerVolume shop_* | Should -BeNullOrEmpty
    }

    It 'mounts the project''s secrets and configs read-only, makes their service anew when one changes, and down removes what up wrote' {
        $vault = New-Item -ItemType Directory -Path (Join-Path $script:work 'vault')
        Set-Content (Join-Path $vault 'password.txt') 's3cret' -NoNewline
        Set-Content (Join-Path $vault 'compose.yaml') @"
services:
  app:
    image: busybox:projects
    command: ["sleep", "100000"]
    stop_grace_period: 0s
    network_mode: none
    secrets: [password, token]
    configs:
      - source: site
        target: /etc/site.conf
secrets:
  password: { file: ./password.txt }
  token: { environment: VAULT_TOKEN }
configs:
  site: { content: listen 80 }
"@
        $env:VAULT_TOKEN = 't0ken'
        try {
            $first = Start-ContainerProject $vault -Wait
            $read = 'for f in /run/secrets/password /run/secrets/token /etc/site.conf; do cat $f; echo; done'
            Invoke-ContainerCommand vault-app-1 -- sh -c $read | Should -Be 's3cret', 't0ken', 'listen 80'
            Invoke-ContainerCommand vault-app-1 -- sh -c 'echo x 2>/dev/null > /run/secrets/token && echo written || echo read-only' |
                Should -Be 'read-only'
            Join-Path $env:CONTAINER_ROOT 'projects/vault/secrets/token' | Should -Exist

            $env:VAULT_TOKEN = 'n3w'
            $said = pwsh -NoProfile -Command "Import-Module '$script:modulePath'; Start-ContainerProject '$vault' -WhatIf" | Out-String
            $said | Should -Match 'Recreate vault-app-1 \(app: secrets changed\)'
            $second = Start-ContainerProject $vault -Wait
            $second.Id | Should -Not -Be $first.Id
            Invoke-ContainerCommand vault-app-1 -- cat /run/secrets/token | Should -Be 'n3w'

            # a secret's file gone: -WhatIf stops on what up would stop on, not on a change of secrets, and what runs is left
            Move-Item (Join-Path $vault 'password.txt') (Join-Path $vault 'password.moved')
            { Start-ContainerProject $vault -WhatIf -ErrorAction Stop } | Should -Throw -ErrorId 'ComposeSecretFileNotFound,*'
            (Get-Container vault-app-1).Id | Should -Be $second.Id
            Move-Item (Join-Path $vault 'password.moved') (Join-Path $vault 'password.txt')

            Remove-ContainerProject $vault -Confirm:$false
            Get-Container vault-* | Should -BeNullOrEmpty
            Join-Path $env:CONTAINER_ROOT 'projects/vault' | Should -Not -Exist
            Join-Path $vault 'password.txt' | Should -Exist
        }
        finally {
            Remove-Item Env:VAULT_TOKEN -ErrorAction SilentlyContinue
        }
    }

    It 'refuses an external secret with ComposeSecretExternal before it makes anything' {
        $broken = New-Item -ItemType Directory -Path (Join-Path $script:work 'broken')
        Set-Content (Join-Path $broken 'compose.yaml') "services:`n  app:`n    image: busybox:projects`n    network_mode: none`n    volumes: ['data:/data']`n    secrets: [key]`nvolumes:`n  data: {}`nsecrets:`n  key: { external: true }"
        $failure = { Start-ContainerProject $broken -ErrorAction Stop } | Should -Throw -ErrorId 'ComposeSecretExternal,*' -PassThru
        $failure.CategoryInfo.Category | Should -Be 'NotImplemented'
        Get-Container broken-* | Should -BeNullOrEmpty
        Get-ContainerVolume broken_* | Should -BeNullOrEmpty
    }

    It 'puts a service in another''s PID namespace (pid: service:NAME, started first) and the host''s IPC namespace, and refuses a bad mode before making anything' {
        $shared = New-Item -ItemType Directory -Path (Join-Path $script:work 'shared')
        Set-Content (Join-Path $shared 'compose.yaml') @"
services:
  debug:
    image: busybox:projects
    command: ["sleep", "100001"]
    stop_grace_period: 0s
    network_mode: none
    pid: service:app
    ipc: host
  app:
    image: busybox:projects
    command: ["sleep", "100002"]
    stop_grace_period: 0s
    network_mode: none
"@
        $up = Start-ContainerProject $shared
        $app = $up | Where-Object Name -EQ shared-app-1
        $debug = $up | Where-Object Name -EQ shared-debug-1
        ($debug.PidMode, $debug.IpcMode) | Should -Be "container:$($app.Id)", 'host'
        Invoke-ContainerCommand shared-debug-1 -- ps -o args | Should -Contain 'sleep 100002'
        Invoke-ContainerCommand shared-debug-1 -- readlink /proc/self/ns/ipc | Should -Be (readlink /proc/self/ns/ipc)
        Remove-ContainerProject $shared -Confirm:$false

        Set-Content (Join-Path $shared 'compose.yaml') "services:`n  web:`n    image: busybox:projects`n    network_mode: none`n    pid: shareable"
        { Start-ContainerProject $shared -ErrorAction Stop } | Should -Throw -ErrorId 'ComposeFileInvalid,*'
        Set-Content (Join-Path $shared 'compose.yaml') "services:`n  web:`n    image: busybox:projects`n    network_mode: none`n    ipc: container:nobody"
        { Start-ContainerProject $shared -ErrorAction Stop } | Should -Throw -ErrorId 'ContainerNotFound,*'
        Get-Container shared-* | Should -BeNullOrEmpty
    }

    It 'refuses a directory without a compose file with ComposeFileNotFound, and a bad field with ComposeFileInvalid' {
        $empty = New-Item -ItemType Directory -Path (Join-Path $script:work 'empty')
        { Start-ContainerProject $empty -ErrorAction Stop } | Should -Throw -ErrorId 'ComposeFileNotFound,*'
        Set-Content (Join-Path $empty 'compose.yaml') "services:`n  web:`n    image: busybox:projects`n    ports: ['80:abc']"
        { Start-ContainerProject $empty -ErrorAction Stop } | Should -Throw -ErrorId 'ComposeFileInvalid,*'
        Get-Container empty-* | Should -BeNullOrEmpty
    }
}
