#Requires -Version 7.4
<#
.SYNOPSIS
    What a pwsh user feels, timed inside pwsh: one of the `Measure` steps below, its
    milliseconds per run written as JSON. bench/pwsh-cmdlets.sh runs each step in one run
    beside the same work done by podman and docker from the same pwsh.
.DESCRIPTION
    first    a new session: Import-Module, then the first Invoke-ContainerImage -Remove -- true
             (one run per process: the caller starts a new pwsh for each)
    import   a new session: Import-Module alone, of any module (the caller's empty one shows
             what any import costs a new pwsh)
    warm     in one session, after warm-up: Invoke-ContainerImage -Remove -- true; the same work
             as New-Container, Start-Container, Wait-Container, Remove-Container; and each
             command given with -Peer (podman or docker run --rm, invoked as a native command)
    list     Get-Container and Get-ContainerStats of every running container, and the -Peer commands
    project  in one session, after warm-up: Start-ContainerProject of -Path (each after an
             untimed down), Remove-ContainerProject (each after an untimed up), and
             Start-ContainerProject with nothing changed (bench/compose.sh)
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [ValidateSet('first', 'import', 'warm', 'list', 'project')] [string] $Measure,
    [Parameter(Mandatory)] [string] $Module,
    [string] $Image = 'busybox:bench',
    [int] $Runs = 30,
    # label=command line, a line each (pwsh -File takes no arrays), each run as a user would type it
    [string] $Peer = '',
    # -Measure project: the compose project's directory and name
    [string] $Path,
    [string] $ProjectName
)
$ErrorActionPreference = 'Stop'

function Measure-Runs {
    # milliseconds of each of Runs runs of the script block, after three to warm up
    param([scriptblock] $Work, [int] $Warmup = 3)
    for ($i = 0; $i -lt $Warmup; $i++) { $null = & $Work }
    $watch = [Diagnostics.Stopwatch]::new()
    foreach ($i in 1..$Runs) {
        $watch.Restart()
        $null = & $Work
        $watch.Elapsed.TotalMilliseconds
    }
}

function Measure-Prepared {
    # milliseconds of each of Runs runs of Work, each after an untimed Prepare, after three to warm up
    param([scriptblock] $Prepare, [scriptblock] $Work, [int] $Warmup = 3)
    for ($i = 0; $i -lt $Warmup; $i++) { $null = & $Prepare; $null = & $Work }
    $watch = [Diagnostics.Stopwatch]::new()
    foreach ($i in 1..$Runs) {
        $null = & $Prepare
        $watch.Restart()
        $null = & $Work
        $watch.Elapsed.TotalMilliseconds
    }
}

function Measure-Peers {
    $results = [ordered]@{}
    foreach ($entry in $Peer -split "`n" | Where-Object { $_ }) {
        $label, $line = $entry -split '=', 2
        $results[$label] = @(Measure-Runs ([scriptblock]::Create("$line; if (`$LASTEXITCODE) { throw '$label failed' }")))
    }
    $results
}

switch ($Measure) {
    'first' {
        $watch = [Diagnostics.Stopwatch]::StartNew()
        Import-Module $Module
        $imported = $watch.Elapsed.TotalMilliseconds
        $null = Invoke-ContainerImage $Image -Remove -- true
        if ($LASTEXITCODE) { throw "the first run failed ($LASTEXITCODE)" }
        [ordered]@{ import = $imported; 'import + first run' = $watch.Elapsed.TotalMilliseconds } | ConvertTo-Json -Compress
    }
    'import' {
        $watch = [Diagnostics.Stopwatch]::StartNew()
        Import-Module $Module
        [ordered]@{ import = $watch.Elapsed.TotalMilliseconds } | ConvertTo-Json -Compress
    }
    'warm' {
        Import-Module $Module
        $results = [ordered]@{
            'Invoke-ContainerImage -Remove -- true' = @(Measure-Runs {
                    Invoke-ContainerImage $Image -Remove -- true
                    if ($LASTEXITCODE) { throw "true failed ($LASTEXITCODE)" }
                })
            'New + Start + Wait + Remove-Container' = @(Measure-Runs {
                    $container = New-Container $Image -Command true | Start-Container -PassThru
                    if ((Wait-Container -Id $container.Id).ExitCode) { throw 'true failed' }
                    Remove-Container -Id $container.Id
                })
        }
        (Measure-Peers).GetEnumerator() | ForEach-Object { $results[$_.Key] = $_.Value }
        $results | ConvertTo-Json -Compress
    }
    'list' {
        Import-Module $Module
        $results = [ordered]@{
            'Get-Container' = @(Measure-Runs { Get-Container })
            'Get-ContainerStats' = @(Measure-Runs { Get-ContainerStats })
        }
        (Measure-Peers).GetEnumerator() | ForEach-Object { $results[$_.Key] = $_.Value }
        $results | ConvertTo-Json -Compress
    }
    'project' {
        Import-Module $Module
        $up = { Start-ContainerProject -Path $Path -ProjectName $ProjectName }
        $down = { Remove-ContainerProject -ProjectName $ProjectName -Confirm:$false }
        $results = [ordered]@{
            up = @(Measure-Prepared $down $up)
            down = @(Measure-Prepared $up $down)
            again = @(Measure-Prepared $up $up)
        }
        $null = & $down
        $results | ConvertTo-Json -Compress
    }
}
