#Requires -Version 7.4
#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
<#
    Security as a user meets it: a pipe into cat ends when pwsh does, not when the container
    it started does; ids that would run as root are refused; a copy never replaces a device.
    Build first (dotnet build Container.sln), then: Invoke-Pester ./tests/Pester -Tag Root (as root).
    Every test uses a private store (CONTAINER_ROOT), removed at the end.
#>

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    Enter-TestStore -Name security -Image busybox:sec
}

AfterAll {
    Exit-TestStore
}

Describe 'A container started from a pipeline' {
    It 'lets `pwsh -c ... | cat` return while it runs' -Tag Root, ChildSession {
        $script = Join-Path $script:work 'start.ps1'
        Set-Content -Path $script -Value @"
Import-Module '$script:modulePath'
`$null = New-Container busybox:sec -Name piped -Command sleep, 1000 | Start-Container
'started'
"@
        # the user's shell: pwsh's stdout a pipe into cat, and its fd 3 the same pipe (as make, ssh or a CI runner hand one down)
        $info = [Diagnostics.ProcessStartInfo]::new('sh')
        foreach ($argument in '-c', 'pwsh -NoProfile -NonInteractive -File "$1" 3>&1 | cat', 'sh', $script) { $info.ArgumentList.Add($argument) }
        $info.RedirectStandardInput = $true
        $info.RedirectStandardOutput = $true
        $shell = [Diagnostics.Process]::Start($info)
        $shell.StandardInput.Close()
        $reading = $shell.StandardOutput.ReadToEndAsync()
        # bounded: without the fix cat waits for the container's end, which never comes
        $reading.Wait([TimeSpan]::FromSeconds(90)) | Should -BeTrue -Because 'cat sees the end of its pipe once pwsh exits'
        $shell.WaitForExit()
        $reading.Result.Trim() | Should -Be 'started'
        (Get-Container piped).Status | Should -Be 'Running'
    }
}

Describe 'Ids that would run as root' {
    It 'refuses -User 4294967295, whose setuid leaves the process root' -Tag Root {
        { New-Container busybox:sec -Name neg -User 4294967295 -Command id -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidUser,Container.Module.Cmdlets.NewContainerCommand'
        Get-Container neg -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }
}

Describe 'Copying out onto a device node' {
    It 'refuses and leaves the node as it was' -Tag Root {
        $node = Join-Path $script:work 'null-copy'
        mknod $node c 1 3
        $before = stat -c '%F %t:%T' $node
        $source = New-Container busybox:sec -Name source -Command sh, -c, 'echo secret > /x; exec sleep 1000' | Start-Container -PassThru
        $deadline = (Get-Date).AddSeconds(30)
        while (-not (Test-Path (Join-Path $source.Path 'upper/x'))) {
            if ((Get-Date) -gt $deadline) { throw 'the container never wrote /x' }
            Start-Sleep -Milliseconds 20
        }
        { Copy-ContainerFile -Path 'source:/x' -Destination $node -ErrorAction Stop } | Should -Throw -ErrorId 'CannotOverwrite,Container.Module.Cmdlets.CopyContainerFileCommand'
        stat -c '%F %t:%T' $node | Should -Be $before
    }
}
