#Requires -Version 7.4
#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
<#
    The manifest the build writes (out/Container/Container.psd1) as a gallery and Import-Module
    read it: valid for Test-ModuleManifest, the version of VERSION, the fields a gallery shows.
    Build first (pwsh ./build.ps1).
#>

BeforeAll {
    $repository = Resolve-Path (Join-Path $PSScriptRoot '../..')
    $script:manifestPath = Join-Path $repository 'out/Container/Container.psd1'
    $script:version = (Get-Content -Raw (Join-Path $repository 'VERSION')).Trim()
    $script:data = Import-PowerShellDataFile $script:manifestPath
}

Describe 'The built manifest' {
    It 'passes Test-ModuleManifest with the version of VERSION' {
        $module = Test-ModuleManifest -Path $script:manifestPath -ErrorAction Stop
        $module.Version | Should -Be ([version]$script:version)
        $module.Name | Should -Be 'Container'
    }

    It 'is for PowerShell 7.4 or later, Core edition' {
        $script:data.PowerShellVersion | Should -Be '7.4'
        $script:data.CompatiblePSEditions | Should -Be @('Core')
    }

    It 'has the tags a gallery search finds it by' {
        $script:data.PrivateData.PSData.Tags | Should -Be @('Linux', 'Containers', 'OCI', 'Docker', 'Podman', 'cgroups')
    }

    It 'has release notes' {
        $script:data.PrivateData.PSData.ReleaseNotes | Should -Not -BeNullOrEmpty
    }

    It 'names no made-up address' {
        foreach ($field in 'ProjectUri', 'LicenseUri', 'IconUri') {
            $uri = $script:data.PrivateData.PSData[$field]
            if ($uri) { ([uri]$uri).Host | Should -Not -Match '\.(invalid|example|test)$|^example\.' }
        }
    }

    It 'exports every cmdlet the module has, and only those' {
        $exported = pwsh -NoProfile -Command "Import-Module '$script:manifestPath'; (Get-Command -Module Container).Name" | Sort-Object
        $exported | Should -Be ($script:data.CmdletsToExport | Sort-Object)
    }
}
