#Requires -Version 7.4
#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
<#
    The module package as a user gets it: tools/New-ModulePackage.ps1 packs the built module
    (out/Container) with the linux-arm64 cross build into a scratch folder, which a temporary
    local repository serves to Save-PSResource (in a child pwsh whose PSResourceGet settings are in
    a temporary folder: the user's repositories are untouched). The saved module is imported in a
    fresh pwsh with no build tree in sight and runs a container; the arm64 binaries run under
    qemu-aarch64-static. Build first (pwsh ./build.ps1).
#>

BeforeDiscovery {
    $script:isRoot = (id -u) -eq '0'
    # the cross compiler builds the package's linux-arm64 binaries (tools/install-prerequisites.sh)
    $script:canPackage = [bool](Get-Command aarch64-linux-gnu-gcc -ErrorAction SilentlyContinue)
    # qemu-user runs them, the cross toolchain's arm64 libc (/usr/aarch64-linux-gnu) as their root
    $script:hasQemu = [bool](Get-Command qemu-aarch64-static -ErrorAction SilentlyContinue) -and (Test-Path /usr/aarch64-linux-gnu/lib)
}

BeforeAll {
    $script:repository = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
    $script:version = (Get-Content -Raw (Join-Path $script:repository 'VERSION')).Trim()
    $script:binaries = 'container-runtime', 'container-monitor', 'container-init', 'container-network'
    $script:scratch = Join-Path ([IO.Path]::GetTempPath()) "container-pester-package-$([guid]::NewGuid().ToString('n').Substring(0, 8))"
    $null = New-Item -ItemType Directory -Path $script:scratch
    if (-not (Get-Command aarch64-linux-gnu-gcc -ErrorAction SilentlyContinue)) { return }

    $script:arm64 = Join-Path $script:scratch 'native-linux-arm64'
    & sh (Join-Path $script:repository 'tools/build-native-arm64.sh') $script:arm64 | Out-Null
    if ($LASTEXITCODE) { throw "the linux-arm64 cross build failed ($LASTEXITCODE)" }
    $packages = Join-Path $script:scratch 'packages'
    $script:package = (& (Join-Path $script:repository 'tools/New-ModulePackage.ps1') -ModulePath (Join-Path $script:repository 'out/Container') `
            -OutputPath $packages -Arm64NativePath $script:arm64 6>$null).FullName

    # Save-PSResource from a local repository over the package's folder, as a user would install it
    $script:modules = Join-Path $script:scratch 'modules'
    $null = New-Item -ItemType Directory -Path $script:modules, (Join-Path $script:scratch 'settings')
    $savedDataHome = $env:XDG_DATA_HOME
    $env:XDG_DATA_HOME = Join-Path $script:scratch 'settings'
    try {
        pwsh -NoProfile -NonInteractive -Command {
            param($packages, $modules)
            $ErrorActionPreference = 'Stop'
            Register-PSResourceRepository -Name ContainerPackageTest -Uri $packages -Trusted
            Save-PSResource -Name Container -Repository ContainerPackageTest -Path $modules -TrustRepository
        } -args $packages, $script:modules
        if ($LASTEXITCODE) { throw "Save-PSResource failed ($LASTEXITCODE)" }
    } finally {
        $env:XDG_DATA_HOME = $savedDataHome
    }
    $script:installed = Join-Path $script:modules "Container/$script:version"
}

AfterAll {
    Remove-Item -Recurse -Force -ErrorAction SilentlyContinue $script:scratch
}

Describe 'The module package' -Skip:(-not $script:canPackage) {
    It 'holds the module and both architectures'' binaries, nothing from bin/, obj/ or tests' {
        Add-Type -AssemblyName System.IO.Compression.FileSystem
        $zip = [IO.Compression.ZipFile]::OpenRead($script:package)
        try { $entries = $zip.Entries.FullName } finally { $zip.Dispose() }
        $entries | Where-Object { $_ -match '(^|/)(bin|obj|tests?)/' } | Should -BeNullOrEmpty
        $entries | Should -Contain 'Container.psd1'
        $entries | Should -Contain 'Container.Runtime.dll'
        foreach ($architecture in 'linux-x64', 'linux-arm64') {
            foreach ($binary in $script:binaries) { $entries | Should -Contain "runtimes/$architecture/$binary" }
        }
        # the host's binaries are in runtimes/linux-x64 only: not also next to the assembly
        $entries | Should -Not -Contain 'container-runtime'
    }

    It 'installs with Save-PSResource a manifest that passes Test-ModuleManifest, of the version of VERSION' {
        $module = Test-ModuleManifest -Path (Join-Path $script:installed 'Container.psd1') -ErrorAction Stop
        $module.Version | Should -Be ([version]$script:version)
    }

    It 'links libseccomp statically into both architectures'' binaries: they need only glibc' {
        foreach ($architecture in 'linux-x64', 'linux-arm64') {
            foreach ($binary in 'container-runtime', 'container-monitor') {
                $needed = readelf -d (Join-Path $script:installed "runtimes/$architecture/$binary") | Select-String 'NEEDED' | ForEach-Object { $_ -replace '.*\[(.*)\].*', '$1' }
                $needed | Should -Contain 'libc.so.6'
                $needed | Where-Object { $_ -notmatch '^(libc\.so\.6|ld-linux-[\w-]+\.so\.\d)$' } | Should -BeNullOrEmpty -Because "$architecture/$binary"
            }
        }
        (readelf -h (Join-Path $script:installed 'runtimes/linux-arm64/container-runtime') | Select-String 'Machine:') | Should -Match 'AArch64'
        (readelf -h (Join-Path $script:installed 'runtimes/linux-x64/container-runtime') | Select-String 'Machine:') | Should -Match 'X86-64'
    }
}

Describe 'The package''s arm64 binaries under qemu-aarch64-static' -Skip:(-not ($script:canPackage -and $script:hasQemu)) {
    BeforeAll {
        $script:arm64Runtime = Join-Path $script:installed 'runtimes/linux-arm64/container-runtime'
        # a .nupkg keeps no file modes: the module restores the execute bits on first use, here by hand
        chmod +x $script:arm64Runtime
    }

    It 'reports the module''s version' {
        $output = qemu-aarch64-static -L /usr/aarch64-linux-gnu $script:arm64Runtime --version
        $LASTEXITCODE | Should -Be 0
        $output[0] | Should -Be "container-runtime version $script:version"
    }

    It 'reports its features, seccomp among them' {
        $features = qemu-aarch64-static -L /usr/aarch64-linux-gnu $script:arm64Runtime features | ConvertFrom-Json
        $LASTEXITCODE | Should -Be 0
        $features.linux.seccomp.enabled | Should -BeTrue
        $features.linux.seccomp.archs | Should -Contain 'SCMP_ARCH_AARCH64'
    }

    It 'passes the C unit tests qemu-user can run' {
        # toolchains/linux-arm64.cmake makes qemu ctest's emulator; CMakeLists.txt disables the
        # tests that load seccomp filters or play the host's cgroups under it
        $output = ctest --test-dir $script:arm64 --output-on-failure 2>&1
        $LASTEXITCODE | Should -Be 0 -Because ($output -join "`n")
        ($output -match 'Passed').Count | Should -BeGreaterThan 0
    }
}

Describe 'The installed package in a fresh pwsh' -Tag 'Root', 'Package' -Skip:(-not ($script:canPackage -and $script:isRoot)) {
    It 'imports from the clean module path and runs, stops and removes a container' {
        $rootfs = & (Join-Path $script:repository 'tools/New-BusyboxRootfs.ps1')
        $work = Join-Path $script:scratch 'work'
        $null = New-Item -ItemType Directory -Path $work
        $saved = $env:PSModulePath, $env:CONTAINER_ROOT, $env:CONTAINER_RUNROOT, $env:CONTAINER_NETWORK, $env:CONTAINER_PULL_POLICY
        try {
            # only the saved module in sight: its module path, a store of its own, a directory outside the build tree
            $env:PSModulePath = $script:modules
            $env:CONTAINER_ROOT = Join-Path $script:scratch 'store'
            $env:CONTAINER_RUNROOT = $null
            $env:CONTAINER_NETWORK = 'none'
            $env:CONTAINER_PULL_POLICY = 'never'
            Push-Location $work
            try {
                $report = pwsh -NoProfile -NonInteractive -Command {
                    param($rootfs)
                    $ErrorActionPreference = 'Stop'
                    Import-Module Container
                    $null = Import-ContainerImage -Path $rootfs -Name busybox:package -Command sh
                    $container = New-Container busybox:package -Name packaged -Command 'sh', '-c', 'trap "exit 0" TERM; echo packaged; touch /ready; while true; do sleep 1; done' |
                        Start-Container -PassThru
                    $deadline = (Get-Date).AddSeconds(30)
                    while (-not (Test-Path (Join-Path $container.Path 'upper/ready')) -and (Get-Date) -lt $deadline) { Start-Sleep -Milliseconds 20 }
                    $running = (Get-Container packaged).Status
                    Stop-Container packaged
                    $stopped = (Get-Container packaged).Status
                    $log = (Get-ContainerLog -Name packaged).Text
                    Remove-Container packaged
                    [pscustomobject]@{
                        ModuleBase = (Get-Module Container).ModuleBase
                        Running = "$running"; Stopped = "$stopped"; Log = @($log)
                        Left = @(Get-Container -ErrorAction SilentlyContinue).Count
                        Executable = @(Get-ChildItem (Join-Path (Get-Module Container).ModuleBase 'runtimes/linux-x64') |
                                Where-Object { $_.UnixMode -match 'x' }).Name
                    } | ConvertTo-Json -Compress
                } -args $rootfs
            } finally {
                Pop-Location
            }
            $LASTEXITCODE | Should -Be 0 -Because "$report"
        } finally {
            $env:PSModulePath, $env:CONTAINER_ROOT, $env:CONTAINER_RUNROOT, $env:CONTAINER_NETWORK, $env:CONTAINER_PULL_POLICY = $saved
            Remove-Item -Recurse -Force -ErrorAction SilentlyContinue $rootfs
        }
        $result = $report | Select-Object -Last 1 | ConvertFrom-Json
        $result.ModuleBase | Should -Be $script:installed
        $result.Running | Should -Be 'Running'
        $result.Stopped | Should -Be 'Exited'
        $result.Log | Should -Contain 'packaged'
        $result.Left | Should -Be 0
        # the binaries the module ran, in runtimes/linux-x64, made executable again after the zip
        $result.Executable | Should -Contain 'container-runtime'
        $result.Executable | Should -Contain 'container-monitor'
    }
}
