#Requires -Version 7.4
#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
<#
    Get-ContainerProjectLog as a pwsh user meets it: a two-service project's logs as one stream,
    each line shown after its service and container as docker compose logs shows it, -Service
    and -Tail selecting, -Follow ending once the containers have exited. Merging by time, the
    follow's live lines and a container made anew are ProjectLogsTests' (xunit).
#>

BeforeDiscovery {
    $script:isRoot = (id -u) -eq '0'
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    Enter-TestStore -Name projectlogs -Image busybox:projectlogs
    $script:project = New-Item -ItemType Directory -Path (Join-Path $script:work 'talk')
    Set-Content (Join-Path $script:project 'compose.yaml') @"
services:
  first:
    image: busybox:projectlogs
    command: ["sh", "-c", "echo hello from first; echo first again"]
    network_mode: none
  second:
    image: busybox:projectlogs
    command: ["sh", "-c", "echo hello from second; echo oops from second >&2"]
    network_mode: none
"@
}

AfterAll {
    Exit-TestStore
}

Describe 'Get-ContainerProjectLog' -Tag 'Root', 'Compose' -Skip:(-not $script:isRoot) {
    BeforeAll {
        $null = Start-ContainerProject $script:project
        $null = Wait-Container talk-first-1, talk-second-1
    }

    AfterAll {
        Remove-ContainerProject -ProjectName talk -Confirm:$false
    }

    It 'shows both services'' lines, each after its service and container number' {
        $entries = Get-ContainerProjectLog $script:project
        $entries.Text | Sort-Object | Should -Be 'first again', 'hello from first', 'hello from second', 'oops from second'
        ($entries | Where-Object Service -EQ first).Text | Should -Be 'hello from first', 'first again'
        ($entries | Where-Object Text -EQ 'oops from second').Stream | Should -Be 'Stderr'
        ($entries | Where-Object Service -EQ second).Container | Should -Be 'talk-second-1', 'talk-second-1'
        $shown = $entries | Out-String
        $shown | Should -Match '(?m)^first-1 \| hello from first\s*$'
        $shown | Should -Match '(?m)^second-1 \| hello from second\s*$'
    }

    It 'keeps only the services -Service names, by name or wildcard; a name that is no service is an error' {
        (Get-ContainerProjectLog $script:project -Service second).Text | Should -Be 'hello from second', 'oops from second'
        (Get-ContainerProjectLog -ProjectName talk -Service f*).Text | Should -Be 'hello from first', 'first again'
        Get-ContainerProjectLog $script:project -Service nothing* | Should -BeNullOrEmpty
        { Get-ContainerProjectLog $script:project -Service third -ErrorAction Stop } | Should -Throw -ErrorId 'ComposeServiceNotFound,*'
    }

    It 'keeps the last -Tail entries of each container' {
        $last = Get-ContainerProjectLog $script:project -Tail 1
        $last.Text | Sort-Object | Should -Be 'first again', 'oops from second'
        Get-ContainerProjectLog $script:project -Tail 0 | Should -BeNullOrEmpty
    }

    It 'shows each entry''s time with -Timestamps, and -Follow ends once the containers have exited' {
        $shown = Get-ContainerProjectLog $script:project -Service first -Timestamps | Out-String
        $shown | Should -Match '(?m)^first-1 \| \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z hello from first\s*$'
        $followed = Get-ContainerProjectLog $script:project -Follow
        $followed.Count | Should -Be 4
    }

    It 'takes the project from Get-ContainerProject' {
        (Get-ContainerProject -ProjectName talk | Get-ContainerProjectLog -Service second -Tail 1).Text | Should -Be 'oops from second'
    }
}
