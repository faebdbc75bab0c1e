#Requires -Version 7.4
#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
<#
    Build-ContainerImage as a pwsh user meets it: a Dockerfile in a context directory, or its
    lines from the pipeline; what RUN prints on the information stream, what the cache had on
    the verbose one; the image it returns runs; -WhatIf builds nothing; every refusal an
    ErrorRecord. The instructions and the cache in depth are BuildTests' (xunit).
#>

BeforeDiscovery {
    $script:isRoot = (id -u) -eq '0'
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    Enter-TestStore -Name build -Image busybox:build
    $script:context = New-Item -ItemType Directory -Path (Join-Path $script:work 'context')
    Set-Content (Join-Path $script:context 'greeting.txt') 'hello from the context'
    Set-Content (Join-Path $script:context 'Dockerfile') @'
FROM busybox:build
ARG NAME=world
COPY greeting.txt /greeting.txt
RUN echo "built for $NAME" > /built && echo step output
CMD ["cat", "/greeting.txt", "/built"]
'@
}

AfterAll {
    Exit-TestStore
}

Describe 'Build-ContainerImage' -Tag 'Root', 'Build' -Skip:(-not $script:isRoot) {
    It 'builds the context''s Dockerfile into a tagged image that runs, RUN''s output on the information stream' {
        $image = Build-ContainerImage $script:context -Tag app:1, app:latest -BuildArg @{ NAME = 'pester' } -InformationVariable told
        $image.Names | Should -Be 'docker.io/library/app:1', 'docker.io/library/app:latest'
        @($told.MessageData) | Should -Be 'step output'
        $told[0].Tags | Should -Be 'stdout'
        Invoke-ContainerImage app:1 -Remove | Should -Be 'hello from the context', 'built for pester'
    }

    It 'says on the verbose stream that a rebuild took its steps from the cache, and makes the same image' {
        $first = Build-ContainerImage $script:context -Tag cached:1
        $told = Build-ContainerImage $script:context -Tag cached:1 -Verbose 4>&1
        $image = $told | Where-Object { $_ -is [Container.Runtime.Images.ContainerImage] }
        $image.Id | Should -Be $first.Id
        @($told.Message -like '*from the cache*').Count | Should -Be 2
    }

    It 'takes the Dockerfile''s lines from the pipeline' {
        $image = 'FROM busybox:build', 'ENV GREETING=piped', 'CMD echo $GREETING' | Build-ContainerImage $script:context -Tag piped
        $image.Config.Config.Cmd | Should -Be '/bin/sh', '-c', 'echo $GREETING'
        Invoke-ContainerImage piped -Remove | Should -Be 'piped'
    }

    It 'builds nothing under -WhatIf' {
        $before = @(Get-ContainerImage).Count
        Build-ContainerImage $script:context -Tag whatif:1 -WhatIf | Should -BeNullOrEmpty
        @(Get-ContainerImage).Count | Should -Be $before
    }

    It 'fails a step with BuildStepFailed (InvalidOperation) naming its line and exit code, and leaves no container' {
        $failing = 'FROM busybox:build', 'RUN echo fine', 'RUN exit 4'
        { $failing | Build-ContainerImage $script:context -Tag failing -ErrorAction Stop } | Should -Throw -ErrorId 'BuildStepFailed,*'
        $Error[0].CategoryInfo.Category | Should -Be 'InvalidOperation'
        $Error[0].Exception.Message | Should -BeLike '*line 3*exit*4*'
        Get-Container | Should -BeNullOrEmpty
        Get-ContainerImage failing -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'refuses a missing Dockerfile with DockerfileNotFound (ObjectNotFound), a bad one with DockerfileParseError, an unknown target with BuildTargetNotFound' {
        { Build-ContainerImage $script:context -File (Join-Path $script:work 'none') -ErrorAction Stop } | Should -Throw -ErrorId 'DockerfileNotFound,*'
        $Error[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        { 'FROM busybox:build', 'FROBNICATE now' | Build-ContainerImage $script:context -ErrorAction Stop } | Should -Throw -ErrorId 'DockerfileParseError,*'
        { Build-ContainerImage $script:context -Target nope -ErrorAction Stop } | Should -Throw -ErrorId 'BuildTargetNotFound,*'
    }
}

Describe 'Clear-ContainerBuildCache' -Tag 'Root', 'Build' -Skip:(-not $script:isRoot) {
    It 'empties the cache, so the next build runs its steps again; -WhatIf removes nothing' {
        $null = Build-ContainerImage $script:context -Tag clear:1
        Clear-ContainerBuildCache -WhatIf
        @(Build-ContainerImage $script:context -Tag clear:1 -Verbose 4>&1 | Where-Object Message -like '*from the cache*').Count | Should -Be 2
        $cleared = Clear-ContainerBuildCache -Confirm:$false
        $cleared.Steps | Should -BeGreaterOrEqual 2
        $told = Build-ContainerImage $script:context -Tag clear:1 -Verbose 4>&1
        @($told | Where-Object Message -like '*from the cache*').Count | Should -Be 0
        @($told | Where-Object Message -like '*: runs (*').Count | Should -Be 2
    }
}
