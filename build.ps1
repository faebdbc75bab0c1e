#Requires -Version 7.4
<#
.SYNOPSIS
    Builds the module into out/Container (native core included); -Test then runs the xunit
    suite and the Pester suite on this pwsh, as root (with sudo when not root), and the engine
    as it ships on the runtimes of pwsh 7.4 and 7.5 (tests/Compat), and fails when any fails.
    -Package also writes out/packages/Container.<version>.nupkg (tools/New-ModulePackage.ps1), the
    package Install-PSResource installs, with the native core for linux-x64 (this build's) and
    linux-arm64 (cross-built by tools/build-native-arm64.sh into artifacts/native-linux-arm64).
#>
[CmdletBinding()]
param(
    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',
    [switch] $Test,
    # the module package too: out/packages/Container.<version>.nupkg
    [switch] $Package
)
$ErrorActionPreference = 'Stop'
Set-Location $PSScriptRoot

dotnet build Container.sln -c $Configuration
if ($LASTEXITCODE) { throw "dotnet build failed ($LASTEXITCODE)" }
Write-Host "Module assembled in $(Join-Path $PSScriptRoot 'out/Container')"
if ($Package) {
    # the linux-arm64 binaries beside the host's linux-x64 ones: cross-built (incrementally) here
    $arm64 = Join-Path $PSScriptRoot 'artifacts/native-linux-arm64'
    & sh (Join-Path $PSScriptRoot 'tools/build-native-arm64.sh') $arm64 | Out-Null
    if ($LASTEXITCODE) { throw "the linux-arm64 cross build failed ($LASTEXITCODE)" }
    & (Join-Path $PSScriptRoot 'tools/New-ModulePackage.ps1') -ModulePath (Join-Path $PSScriptRoot 'out/Container') -OutputPath (Join-Path $PSScriptRoot 'out/packages') -Arm64NativePath $arm64 | Out-Null
}
if (-not $Test) { return }

# the tests start real containers: root, as it is, or through sudo
$asRoot = Join-Path $PSScriptRoot 'tools/as-root.sh'
# crun's exec once chowned the host's /dev/null to a container's user: prove the suites leave it be
$devNullBefore = stat -c '%u:%g %a %t:%T' /dev/null

$results = Join-Path $PSScriptRoot 'out/test-results'
Remove-Item -Recurse -Force $results -ErrorAction SilentlyContinue
& $asRoot dotnet test Container.sln -c $Configuration --no-build --logger 'trx' --results-directory $results
$xunit = $LASTEXITCODE
# the pwsh on PATH: this process is dotnet itself when pwsh is a .NET tool
$pwsh = (Get-Command pwsh -CommandType Application -ErrorAction Stop | Select-Object -First 1).Source
& $asRoot $pwsh -NoProfile -File (Join-Path $PSScriptRoot 'tests/Pester/Run.ps1')
$pester = $LASTEXITCODE
& $pwsh -NoProfile -File (Join-Path $PSScriptRoot 'tests/Compat/Run.ps1')
$compat = $LASTEXITCODE

$devNullAfter = stat -c '%u:%g %a %t:%T' /dev/null
$failures = @(
    if ($xunit) { "xunit failed (exit code $xunit)" }
    if ($pester) { "Pester failed ($pester failed tests)" }
    if ($compat) { "the engine failed on $compat of the older runtimes" }
    if ($devNullAfter -ne $devNullBefore) { "/dev/null changed: $devNullBefore -> $devNullAfter" }
)
if ($failures) {
    # the failed xunit tests again, at the end where a log's tail shows them
    foreach ($trx in Get-ChildItem $results -Filter *.trx -ErrorAction SilentlyContinue) {
        foreach ($result in ([xml](Get-Content -Raw $trx.FullName)).TestRun.Results.UnitTestResult | Where-Object outcome -eq 'Failed') {
            Write-Host "xunit FAILED: $($result.testName)`n$($result.Output.ErrorInfo.Message)" -ForegroundColor Red
        }
    }
    throw ($failures -join '; ')
}
Write-Host 'xunit, Pester and the older runtimes passed.'
