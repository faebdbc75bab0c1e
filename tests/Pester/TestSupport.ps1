<#
    What the Pester files share: a private store (CONTAINER_ROOT) with the module imported and
    a busybox image, a work directory, and waits on conditions (never on time alone).
    Dot-source it in a file's BeforeAll, call Enter-TestStore there and Exit-TestStore in AfterAll.
#>

$script:repository = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
$script:modulePath = Join-Path $script:repository 'out/Container/Container.psd1'

function Enter-TestStore {
    # this file's own store and work directory; as root, the busybox root filesystem imported as Image
    param([Parameter(Mandatory)] [string] $Name, [string] $Image)
    Import-Module $script:modulePath -Force
    $suffix = [guid]::NewGuid().ToString('n').Substring(0, 8)
    $script:savedRoots = $env:CONTAINER_ROOT, $env:CONTAINER_RUNROOT, $env:CONTAINER_NETWORK, $env:REGISTRY_AUTH_FILE, $env:CONTAINER_PULL_POLICY, $env:CONTAINERS_REGISTRIES_CONF
    # the runtimes' state under the store too: <store>/run
    $env:CONTAINER_ROOT = Join-Path ([IO.Path]::GetTempPath()) "container-pester-$Name-$suffix"
    $env:CONTAINER_RUNROOT = $null
    # loopback only, unless a test asks for a network: no test touches the host's network
    $env:CONTAINER_NETWORK = 'none'
    $script:work = Join-Path ([IO.Path]::GetTempPath()) "container-pester-$Name-files-$suffix"
    # registry logins in the work directory, never in the host's auth.json
    $env:REGISTRY_AUTH_FILE = Join-Path $script:work 'auth.json'
    # no image is pulled unless a test asks (-Pull): a missing one is never looked for on the internet,
    # and short names resolve by the test's registries.conf, not the host's
    $env:CONTAINER_PULL_POLICY = 'never'
    $env:CONTAINERS_REGISTRIES_CONF = Join-Path $script:work 'registries.conf'
    $null = New-Item -ItemType Directory -Path $script:work
    $script:rootfs = & (Join-Path $script:repository 'tools/New-BusyboxRootfs.ps1')
    $script:testImage = $Image
    if ($Image -and (id -u) -eq '0') {
        $null = Import-ContainerImage -Path $script:rootfs -Name $Image -Command sh
    }
}

function Exit-TestStore {
    # every container and volume removed (their mounts and cgroups with them), then the store and the files
    if ($env:CONTAINER_ROOT -and (Test-Path $env:CONTAINER_ROOT)) {
        Get-Container -ErrorAction SilentlyContinue | Remove-Container -Force -ErrorAction SilentlyContinue
        # a volume of the local driver's options is a mount: removing it unmounts it
        Get-ContainerVolume -ErrorAction SilentlyContinue | Remove-ContainerVolume -ErrorAction SilentlyContinue
        Remove-Item -Recurse -Force $env:CONTAINER_ROOT -ErrorAction SilentlyContinue
    }
    Remove-Item -Recurse -Force $script:rootfs, $script:work -ErrorAction SilentlyContinue
    $env:CONTAINER_ROOT, $env:CONTAINER_RUNROOT, $env:CONTAINER_NETWORK, $env:REGISTRY_AUTH_FILE, $env:CONTAINER_PULL_POLICY, $env:CONTAINERS_REGISTRIES_CONF = $script:savedRoots
}

function Wait-Until {
    # polls the condition until it holds; throws, naming what never came, after Seconds
    param([Parameter(Mandatory)] [scriptblock] $Condition, [Parameter(Mandatory)] [string] $What, [int] $Seconds = 30)
    $deadline = (Get-Date).AddSeconds($Seconds)
    while (-not (& $Condition)) {
        if ((Get-Date) -gt $deadline) { throw "never: $What" }
        Start-Sleep -Milliseconds 20
    }
}

function Start-TestContainer {
    # a running container whose script is past its setup (it touched /ready)
    param([string] $Image = $script:testImage, [Parameter(Mandatory)] [string] $Name, [string] $Script = 'true', [hashtable] $Options = @{})
    $container = New-Container $Image -Name $Name -Command 'sh', '-c', "$Script`ntouch /ready`nwhile true; do sleep 1; done" @Options |
        Start-Container -PassThru
    Wait-Until { Test-Path (Join-Path $container.Path 'upper/ready') } "$Name getting ready"
    Get-Container $Name
}

function Invoke-TestContainer {
    # runs a container to its end and returns its output lines
    param([string] $Image = $script:testImage, [Parameter(Mandatory)] [string] $Name, [string[]] $Command)
    $null = New-Container $Image -Name $Name -Command $Command | Start-Container -PassThru | Wait-Container -Timeout 120
    (Get-ContainerLog -Name $Name).Text
}

function Start-TestSessions {
    # the script in Count pwsh processes at once, the module imported, each given its number as $session
    param([Parameter(Mandatory)] [int] $Count, [Parameter(Mandatory)] [string] $Script)
    foreach ($n in 1..$Count) {
        $info = [Diagnostics.ProcessStartInfo]::new('pwsh')
        $command = "`$ErrorActionPreference = 'Stop'; `$session = $n; Import-Module '$script:modulePath'; $Script"
        foreach ($argument in '-NoProfile', '-NonInteractive', '-Command', $command) { $info.ArgumentList.Add($argument) }
        $info.RedirectStandardOutput = $true
        $info.RedirectStandardError = $true
        $process = [Diagnostics.Process]::Start($info)
        [pscustomobject]@{ Session = $n; Process = $process; Output = $process.StandardOutput.ReadToEndAsync(); Errors = $process.StandardError.ReadToEndAsync() }
    }
}

function Get-SessionFailures {
    # what the sessions of Start-TestSessions that ended with an error said
    param([Parameter(Mandatory)] [object[]] $Sessions)
    foreach ($s in $Sessions | Where-Object { $_.Process.HasExited -and $_.Process.ExitCode -ne 0 }) {
        "session $($s.Session) (exit $($s.Process.ExitCode)): $($s.Errors.Result)$($s.Output.Result)"
    }
}
