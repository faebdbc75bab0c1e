#Requires -Version 7.4
#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
<#
    Running attached as a user sees it: Invoke-ContainerImage -Interactive -Tty on a
    terminal, pipeline input and this session's stdin to a container, $LASTEXITCODE as a
    native command's, Ctrl+C passed on, -Init, HOME and TERM. A child pwsh on a pseudo-terminal
    (TerminalDriver.py) stands for the user at a terminal; tests that start a child pwsh are
    tagged ChildSession.
    Build first (dotnet build Container.sln), then: Invoke-Pester ./tests/Pester -Tag Root (as root).
#>

BeforeDiscovery {
    $script:isRoot = (id -u) -eq '0'
    $script:hasPython = [bool](Get-Command python3 -ErrorAction SilentlyContinue)
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    Enter-TestStore -Name attach -Image busybox:attach
    $script:driver = Join-Path $PSScriptRoot 'TerminalDriver.py'

    function script:New-ChildScript {
        # a script for a child pwsh: this module, this store, then the lines given
        param([string] $Name, [string] $Body)
        $path = Join-Path $script:work "$Name.ps1"
        Set-Content -Path $path -Value "Import-Module '$script:modulePath'`n`$env:CONTAINER_ROOT = '$env:CONTAINER_ROOT'`n$Body"
        $path
    }
}

AfterAll {
    Exit-TestStore
}

Describe 'Invoke-ContainerImage on a terminal' -Tag 'Root', 'ChildSession' -Skip:(-not ($script:isRoot -and $script:hasPython)) {
    It 'gives -Interactive -Tty a working terminal, as docker run -it' {
        $run = New-ChildScript 'it' "Write-Host READY`nInvoke-ContainerImage busybox:attach -Interactive -Tty -Remove -- sh`nWrite-Host `"EXIT=`$LASTEXITCODE`""
        $screen = python3 $script:driver $run 'READY' '' '# ' 'echo hel""lo-$((6*7)); stty size; echo term=$TERM\r' 'term=xterm' 'exit 9\r'
        ($screen -join "`n") | Should -Match 'hello-42'
        ($screen -join "`n") | Should -Match '30 100'
        ($screen -join "`n") | Should -Match 'EXIT=9'
        Get-Container | Should -BeNullOrEmpty
    }

    It 'passes Ctrl+C on as SIGINT, and warns of a container that outlives it' {
        $trap = New-ChildScript 'trap' ("Write-Host READY`nInvoke-ContainerImage busybox:attach -Name trapper -- sh -c " +
            "'trap `"echo got-int > /got; exit 3`" INT; echo started; while :; do sleep 0.05; done'")
        $null = python3 $script:driver $trap 'started' '\x03'
        Wait-Until { (Get-Container trapper).Status -eq 'Exited' } 'trapper exited'
        (Get-Container trapper).ExitCode | Should -Be 3
        Get-Content (Join-Path (Get-Container trapper).Path 'upper/got') | Should -Be 'got-int'

        # SIGINT ignored from the start (kept through the exec): a shell before its exec may end on one
        $ignore = New-ChildScript 'ignore' "Invoke-ContainerImage busybox:attach -Name sleeper -- sh -c 'trap `"`" INT; echo started; exec sleep 1000'"
        $screen = python3 $script:driver $ignore 'started' '\x03'
        ($screen -join "`n") | Should -Match "WARNING: Container 'sleeper' is still running"
        (Get-Container sleeper).Status | Should -Be 'Running'
    }
}

Describe 'Standard input' -Tag 'Root' -Skip:(-not $script:isRoot) {
    BeforeAll {
        $null = New-Container busybox:attach -Name box -- sh -c 'touch /ready; exec sleep 1000' | Start-Container
        Wait-Until { Test-Path (Join-Path (Get-Container box).Path 'upper/ready') } 'box ready'
    }

    It 'takes pipeline input to a command in a container' {
        'x', 'y' | Invoke-ContainerCommand box -- cat | Should -Be @('x', 'y')
        $LASTEXITCODE | Should -Be 0
    }

    It 'streams pipeline input to one container''s command as it comes' {
        # the second line comes only once the command has read the first: gathered, it never would
        $marker = Join-Path (Get-Container box).Path 'upper/got-first'
        $out = & {
            'first'
            Wait-Until { Test-Path $marker } 'the first line read before the input ended'
            'second'
        } | Invoke-ContainerCommand box -- sh -c 'read a; touch /got-first; read b; echo "$a $b"'
        $out | Should -Be 'first second'
        $LASTEXITCODE | Should -Be 0
    }

    It 'ends when the command stops reading, whatever input is left' {
        1..20000 | Invoke-ContainerCommand box -- head -n 2 | Should -Be @('1', '2')
    }

    It 'runs the whole command in a container piped in, which is not its stdin' {
        Get-Container box | Invoke-ContainerCommand -- echo piped | Should -Be 'piped'
        Get-Container box | Invoke-ContainerCommand -- sh -c 'cat; echo end' | Should -Be 'end'
        Get-Container box | Invoke-ContainerCommand -Command hostname | Should -Be 'box'
    }

    It 'takes pipeline input to a container run with -Interactive' {
        $file = Join-Path $script:work 'lines.txt'
        Set-Content -Path $file -Value 'one', 'two', 'three'
        (Get-Content $file | Invoke-ContainerImage busybox:attach -Interactive -Remove -- wc -l).Trim() | Should -Be '3'
    }

    It 'streams pipeline input to a container run as it comes' {
        $out = & {
            'first'
            Wait-Until { (Get-Container streamed -ErrorAction SilentlyContinue) -and (Test-Path (Join-Path (Get-Container streamed).Path 'upper/got-first')) } 'the first line read before the input ended'
            'second'
        } | Invoke-ContainerImage busybox:attach -Name streamed -Interactive -Remove -- sh -c 'read a; touch /got-first; read b; echo "$a $b"'
        $out | Should -Be 'first second'
    }

    It 'forwards this session''s stdin with -Interactive' -Tag 'ChildSession' {
        $run = New-ChildScript 'stdin' 'Invoke-ContainerImage busybox:attach -Interactive -Remove -- wc -l'
        ('a', 'b' | pwsh -NoProfile -File $run).Trim() | Should -Be '2'
    }
}

Describe '$LASTEXITCODE' -Tag 'Root' -Skip:(-not $script:isRoot) {
    It 'is 127, 126 or 125 when the command could not run, as docker and podman give it' {
        $null = Invoke-ContainerImage busybox:attach -Name nf -ErrorAction SilentlyContinue -- no-such-command
        $LASTEXITCODE | Should -Be 127
        (Get-Container nf).ExitCode | Should -Be 127
        $null = Invoke-ContainerImage busybox:attach -Remove -ErrorAction SilentlyContinue -- /etc/passwd
        $LASTEXITCODE | Should -Be 126
        $null = Invoke-ContainerImage no-such-image -ErrorAction SilentlyContinue -- true
        $LASTEXITCODE | Should -Be 125
        $null = Invoke-ContainerCommand box -ErrorAction SilentlyContinue -- no-such-command
        $LASTEXITCODE | Should -Be 127
        $null = Invoke-ContainerCommand box -ErrorAction SilentlyContinue -- /etc/passwd
        $LASTEXITCODE | Should -Be 126
    }

    It 'is the exit code in a child pwsh, as after a native command' -Tag 'ChildSession' {
        $run = New-ChildScript 'exitcode' "Invoke-ContainerImage busybox:attach -Remove -- sh -c 'exit 7'; exit `$LASTEXITCODE"
        pwsh -NoProfile -File $run
        $LASTEXITCODE | Should -Be 7
    }
}

Describe '-Init, HOME and TERM' -Tag 'Root' -Skip:(-not $script:isRoot) {
    It 'runs an init as pid 1 that reaps zombies, and lists zombies without one' {
        $null = New-Container busybox:attach -Name zombies -- sh -c 'sleep 0.1 & exec sleep 1000' | Start-Container
        Wait-Until { Get-ContainerProcess zombies | Where-Object State -Like 'Z*' } 'a zombie listed'
        $null = New-Container busybox:attach -Name reaped -Init -- sh -c "sh -c 'sleep 0.1 &'; touch /ready; exec sleep 1000" | Start-Container
        Wait-Until { Test-Path (Join-Path (Get-Container reaped).Path 'upper/ready') } 'reaped ready'
        (Get-ContainerProcess reaped | Where-Object ContainerPid -eq 1).Command | Should -BeLike '/dev/init *'
        # a zombie's command line is empty: the orphan is reaped once neither it nor a zombie is listed (without init, one stays for ever)
        Wait-Until { -not (Get-ContainerProcess reaped | Where-Object { $_.Command -like 'sleep 0.1*' -or $_.State -like 'Z*' }) } 'the orphan reaped, no zombie left'
        (Stop-Container reaped -PassThru).ExitCode | Should -Be 143
    }

    It 'sets HOME from the user''s passwd entry, and TERM with a tty' {
        Invoke-ContainerImage busybox:attach -Remove -- sh -c 'echo $HOME' | Should -Be '/root'
        Invoke-ContainerCommand box -User nobody -- sh -c 'echo $HOME' | Should -Be '/nonexistent'
        Invoke-ContainerImage busybox:attach -Remove -Tty -- sh -c 'echo $TERM' | Should -Be 'xterm'
    }
}
