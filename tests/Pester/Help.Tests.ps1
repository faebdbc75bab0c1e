#Requires -Version 7.4
#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
<#
    Get-Help as a user reads it, for every exported cmdlet: a synopsis, a description, words
    for every parameter, two examples or more; and every example works, run as written in a
    private store that holds a busybox image and a running container named web (those that
    need a terminal excepted). Build first (dotnet build Container.sln).
#>

BeforeDiscovery {
    $script:isRoot = (id -u) -eq '0'
    $repository = Resolve-Path (Join-Path $PSScriptRoot '../..')
    Import-Module (Join-Path $repository 'out/Container/Container.psd1') -Force
    $script:cmdlets = Get-Command -Module Container | Sort-Object Name | ForEach-Object { @{ Name = $_.Name } }
    $script:examples = foreach ($cmdlet in $script:cmdlets) {
        $number = 0
        foreach ($example in (Get-Help $cmdlet.Name -Examples).examples.example) {
            $number++
            @{ Cmdlet = $cmdlet.Name; Number = $number; Title = $example.title -replace '^-+ Example \d+: | -+$'; Code = $example.code }
        }
    }
}

BeforeAll {
    $repository = Resolve-Path (Join-Path $PSScriptRoot '../..')
    Import-Module (Join-Path $repository 'out/Container/Container.psd1') -Force
    $script:common = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters
}

Describe 'Get-Help <Name>' -ForEach $script:cmdlets {
    It 'has a synopsis and a description of its own' {
        $help = Get-Help $Name -Full
        # without help, PowerShell makes the synopsis from the syntax
        $help.Synopsis | Should -Not -BeNullOrEmpty
        $help.Synopsis | Should -Not -BeLike "$Name *"
        ($help.description.Text -join ' ').Length | Should -BeGreaterThan 40
    }

    It 'describes every parameter, and no other' {
        $help = Get-Help $Name -Full
        $parameters = (Get-Command $Name).Parameters.Keys | Where-Object { $_ -notin $script:common -or $_ -in 'WhatIf', 'Confirm' }
        $help.parameters.parameter.name | Sort-Object | Should -Be ($parameters | Sort-Object)
        foreach ($parameter in $help.parameters.parameter) {
            ($parameter.description.Text -join ' ') | Should -Not -BeNullOrEmpty -Because "-$($parameter.name) is described"
        }
    }

    It 'shows two examples or more' {
        $examples = (Get-Help $Name -Examples).examples.example
        $examples.Count | Should -BeGreaterOrEqual 2
        foreach ($example in $examples) {
            $example.code | Should -Not -BeNullOrEmpty
            ($example.remarks.Text -join ' ') | Should -Not -BeNullOrEmpty
        }
    }
}

Describe 'The examples of Get-Help' -Tag 'Root', 'Examples' -Skip:(-not $script:isRoot) {
    BeforeAll {
        $script:savedRoot = $env:CONTAINER_ROOT, $env:CONTAINER_NETWORK, $env:REGISTRY_AUTH_FILE, $env:CONTAINER_PULL_POLICY
        # loopback only, and no pull of a missing image: no example touches the host's network
        $env:CONTAINER_NETWORK = 'none'
        $env:CONTAINER_PULL_POLICY = 'never'
        $env:CONTAINER_ROOT = Join-Path ([IO.Path]::GetTempPath()) "container-pester-help-$([guid]::NewGuid().ToString('n').Substring(0, 8))"
        # registry logins in the store, not in the host's auth.json
        $env:REGISTRY_AUTH_FILE = Join-Path $env:CONTAINER_ROOT 'auth.json'
        $script:rootfs = & (Join-Path $repository 'tools/New-BusyboxRootfs.ps1')
        $null = Import-ContainerImage -Path $script:rootfs -Name busybox -Command sh
        $script:image = (Get-ContainerImage busybox).Id
    }

    AfterAll {
        Get-Container -ErrorAction SilentlyContinue | Remove-Container -Force -ErrorAction SilentlyContinue
        Get-ContainerVolume -ErrorAction SilentlyContinue | Remove-ContainerVolume -ErrorAction SilentlyContinue
        Remove-Item -Recurse -Force $env:CONTAINER_ROOT, $script:rootfs -ErrorAction SilentlyContinue
        $env:CONTAINER_ROOT, $env:CONTAINER_NETWORK, $env:REGISTRY_AUTH_FILE, $env:CONTAINER_PULL_POLICY = $script:savedRoot
    }

    BeforeEach {
        # what every example may count on: the busybox image, a running container named web,
        # and a working directory of its own with a file and a root file system in it
        $script:work = Join-Path ([IO.Path]::GetTempPath()) "container-pester-help-work-$([guid]::NewGuid().ToString('n').Substring(0, 8))"
        $null = New-Item -ItemType Directory -Path $script:work
        Set-Content -Path (Join-Path $script:work 'notes.txt') -Value 'hello from the host'
        cp -a $script:rootfs (Join-Path $script:work 'rootfs')
        $null = New-Container busybox -Name web -Command 'sh', '-c', "trap 'exit 0' TERM; echo web is up; while true; do sleep 0.1; done" |
            Start-Container -PassThru
        Push-Location $script:work
    }

    AfterEach {
        Pop-Location
        Get-Container | Remove-Container -Force
        # a volume of the local driver's options is a mount: removing it unmounts it
        Get-ContainerVolume | Remove-ContainerVolume
        Get-ContainerNetwork | Where-Object Name -ne 'bridge' | Remove-ContainerNetwork -Force
        # only the busybox image, as busybox, is left
        Get-ContainerImage | Where-Object { $_.Id -ne $script:image -or $_.Repository -ne 'busybox' -or $_.Tag -ne 'latest' } |
            Remove-ContainerImage -Force
        rm -rf $script:work
    }

    It '<Cmdlet> example <Number> works: <Title>' -ForEach $script:examples {
        if ($Code -match '^# needs a terminal') {
            Set-ItResult -Skipped -Because 'it needs a terminal (Lifecycle.Tests.ps1 enters a shell on one)'
        }
        if ($Code -match '^# needs a registry') {
            Set-ItResult -Skipped -Because 'it needs a registry at localhost:5000 (the registry tests start theirs on a free port)'
        }
        if ($Code -match '^# changes the host''s network') {
            Set-ItResult -Skipped -Because 'it would change the host''s network (Networks.Kernel.Tests.ps1 does it in a namespace that plays the host)'
        }
        { $ErrorActionPreference = 'Stop'; $null = . ([scriptblock]::Create($Code)) } | Should -Not -Throw
    }
}
