#Requires -Version 7.4
<#
.SYNOPSIS
    Runs the module's engine (out/Container, built first) on .NET 8 and .NET 9, the runtimes of
    pwsh 7.4 and 7.5; fails when it does not run on either.
#>
$ErrorActionPreference = 'Stop'
$failed = 0
foreach ($framework in 'net8.0', 'net9.0') {
    $out = Join-Path ([IO.Path]::GetTempPath()) "compat-$framework-$PID"
    try {
        dotnet publish (Join-Path $PSScriptRoot 'Compat.csproj') -c Release -f $framework -o $out -nologo -v quiet | Out-Host
        if ($LASTEXITCODE) { throw "dotnet publish -f $framework failed ($LASTEXITCODE)" }
        $answer = & (Join-Path $out 'Compat')
        if ($LASTEXITCODE -or $answer -notlike 'ok *') { throw "the engine on $framework answered: $answer" }
        Write-Host "The engine runs on .NET $($answer.Substring(3)) ($framework)."
    } catch {
        Write-Host "FAILED: $_"
        $failed++
    } finally {
        Remove-Item -Recurse -Force $out -ErrorAction SilentlyContinue
    }
}
exit $failed
