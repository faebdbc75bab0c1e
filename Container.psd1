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
            Tags       = @('Linux', 'Containers', 'OCI', 'cgroups', 'namespaces')
            ProjectUri = 'https://example.invalid/container'
        }
    }
}
