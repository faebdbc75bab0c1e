@{
    RootModule             = 'Container.Module.dll'
    # the build writes VERSION's here (out/Container/Container.psd1): edit VERSION, not this
    ModuleVersion          = '0.0.0'
    GUID                   = '7f3c2a64-5b1e-4d8a-9c0f-2e6b8d4a1c37'
    Author                 = 'The Container engineers'
    CompanyName            = 'Container'
    Copyright              = '(c) The Container engineers.'
    Description            = 'Run Linux containers from PowerShell: images, containers, logs and limits as objects, without a daemon.'
    PowerShellVersion      = '7.4'
    CompatiblePSEditions   = @('Core')
    FormatsToProcess       = @('Container.format.ps1xml')
    TypesToProcess         = @('Container.types.ps1xml')
    CmdletsToExport        = @(
        'Add-ContainerImageTag'
        'Build-ContainerImage'
        'Build-ContainerProject'
        'Clear-ContainerBuildCache'
        'Connect-ContainerNetwork'
        'Connect-ContainerRegistry'
        'ConvertTo-ContainerImage'
        'ConvertTo-KubernetesYaml'
        'Copy-ContainerFile'
        'Disconnect-ContainerNetwork'
        'Disconnect-ContainerRegistry'
        'Enter-Container'
        'Export-Container'
        'Export-ContainerImage'
        'Export-ContainerVolume'
        'Find-ContainerImage'
        'Get-CgroupLimit'
        'Get-Container'
        'Get-ContainerImage'
        'Get-ContainerLog'
        'Get-ContainerNetwork'
        'Get-ContainerPort'
        'Get-ContainerProcess'
        'Get-ContainerProject'
        'Get-ContainerProjectLog'
        'Get-ContainerRegistryTag'
        'Get-ContainerStats'
        'Get-ContainerVolume'
        'Import-ContainerImage'
        'Import-ContainerVolume'
        'Invoke-ContainerCommand'
        'Invoke-ContainerImage'
        'Invoke-KubernetesYaml'
        'New-Container'
        'New-ContainerNetwork'
        'New-ContainerVolume'
        'Remove-Container'
        'Remove-ContainerImage'
        'Remove-ContainerNetwork'
        'Remove-ContainerProject'
        'Remove-ContainerVolume'
        'Rename-Container'
        'Repair-ContainerNetwork'
        'Request-ContainerImage'
        'Restart-Container'
        'Restart-ContainerProject'
        'Resume-Container'
        'Set-CgroupLimit'
        'Set-ContainerNetwork'
        'Start-Container'
        'Start-ContainerProject'
        'Stop-Container'
        'Stop-ContainerProject'
        'Submit-ContainerImage'
        'Suspend-Container'
        'Test-ContainerPort'
        'Wait-Container'
    )
    FunctionsToExport      = @()
    VariablesToExport      = @()
    AliasesToExport        = @()
    PrivateData            = @{
        PSData = @{
            # what a gallery search finds it by
            Tags         = @('Linux', 'Containers', 'OCI', 'Docker', 'Podman', 'cgroups')
            # no ProjectUri nor LicenseUri: the project has no public home or license file yet, and a
            # made-up address would be a lie on the gallery's page
            ReleaseNotes = @'
The first package. Runs on pwsh 7.4 or later on Linux (x64 and arm64): the native runtime, monitor,
init and network helper ship inside the module (bridge networks need the host's libnftables).
- Images: pull, build (Dockerfile), import, export, tag, push; OCI and Docker formats, zstd layers.
- Containers: run, start, stop, pause, exec, attach, logs, stats, processes, copy, export, rename.
- Limits: cgroup v1 and v2 (Get-CgroupLimit, Set-CgroupLimit).
- Networks and volumes; compose projects; Kubernetes YAML in and out.
'@
        }
    }
}
