#Requires -Version 7.4
#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
<#
    ConvertTo-KubernetesYaml and Invoke-KubernetesYaml as a pwsh user runs them: containers by
    name, wildcard and pipeline to YAML text; that text from a file, a string or Get-Content's
    lines played as containers again, -WhatIf and -Down; warnings for what Kubernetes cannot say,
    and every refusal an ErrorRecord with its id. The conversions in depth, and the peers
    (podman, kubectl), are the xunit tests' (tests/Runtime.Tests/Kubernetes).
    Build first (dotnet build Container.sln).
#>

BeforeDiscovery {
    $script:isRoot = (id -u) -eq '0'
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    Enter-TestStore -Name kubernetes -Image busybox:kube
}

AfterAll {
    Exit-TestStore
}

Describe 'Kubernetes YAML' -Tag 'Root' -Skip:(-not $script:isRoot) {
    AfterEach {
        Get-Container | Remove-Container -Force -Volumes
        Get-ContainerVolume | Remove-ContainerVolume
    }

    It 'writes a container as a Pod and plays it back as the same container' {
        $null = New-Container busybox:kube -Name web -Environment @{ GREETING = 'hi' } -Memory 64MB -WorkingDirectory /tmp -Volume 'kubedata:/data' -Command sh, -c, 'echo "$GREETING from $(pwd)" > /data/out'
        ConvertTo-KubernetesYaml web -WhatIf | Should -BeNullOrEmpty
        $yaml = ConvertTo-KubernetesYaml web
        $yaml | Should -BeOfType [string]
        $yaml | Should -Match '(?m)^kind: PersistentVolumeClaim$'
        $yaml | Should -Match '(?m)^kind: Pod$'
        $yaml | Should -Match '(?m)^  name: web-pod$'
        $yaml | Should -Match 'memory: 64Mi'
        Set-Content -Path (Join-Path $script:work 'web.yaml') -Value $yaml

        # a file from the pipeline binds to -Path by its FullName
        $played = Get-Item (Join-Path $script:work 'web.yaml') | Invoke-KubernetesYaml
        $played.Name | Should -Be 'web-pod-web'
        $played.Image | Should -Be (Get-Container web).Image
        $played.CommandLine | Should -Be (Get-Container web).CommandLine
        $played.WorkingDirectory | Should -Be '/tmp'
        (Get-CgroupLimit web-pod-web).Limits.Memory | Should -Be 64MB
        $played | Wait-Container | Should -Be 0
        $out = Invoke-ContainerImage busybox:kube -Remove -Volume 'kubedata:/data' -- cat /data/out
        $out | Should -Be 'hi from /tmp'
        Invoke-KubernetesYaml -Path (Join-Path $script:work 'web.yaml') -Down
        Get-Container -Name web-pod-web -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        Get-ContainerVolume kubedata | Should -Not -BeNullOrEmpty
    }

    It 'takes containers by wildcard and from the pipeline as one pod, Deployment and Service too' {
        $null = New-Container busybox:kube -Name kube-a -Command sleep, 60
        $null = New-Container busybox:kube -Name kube-b -Network container:kube-a -Command sleep, 60
        $yaml = ConvertTo-KubernetesYaml 'kube-*' -Kind Deployment
        $yaml | Should -Match '(?m)^kind: Deployment$'
        $yaml | Should -Match 'name: kube-a-pod-deployment'
        $yaml | Should -Match '(?m)^        name: kube-a$'
        $yaml | Should -Match '(?m)^        name: kube-b$'
        # kube-b alone brings kube-a along: they share a network namespace, so they are one pod
        (Get-Container kube-b | ConvertTo-KubernetesYaml) | Should -Match '(?m)^    name: kube-a$'
        $service = ConvertTo-KubernetesYaml kube-a -Service
        $service | Should -Not -Match 'kind: Service'
    }

    It 'plays YAML from the pipeline, says what -WhatIf would run, and -Down removes it' {
        $yaml = @'
apiVersion: v1
kind: Pod
metadata:
  name: hello
spec:
  restartPolicy: Never
  containers:
  - name: greeter
    image: busybox:kube
    command: [sh, -c]
    args: ['echo hello from $WHO']
    env:
    - {name: WHO, value: a pod}
'@
        $yaml | Invoke-KubernetesYaml -WhatIf | Should -BeNullOrEmpty
        Get-Container | Should -BeNullOrEmpty
        $played = $yaml -split "`n" | Invoke-KubernetesYaml
        $played.Name | Should -Be 'hello-greeter'
        $played | Wait-Container | Out-Null
        (Get-ContainerLog hello-greeter).Text | Should -Be 'hello from a pod'
        $yaml | Invoke-KubernetesYaml -Down -WhatIf
        Get-Container hello-greeter | Should -Not -BeNullOrEmpty
        $yaml | Invoke-KubernetesYaml -Down
        Get-Container | Should -BeNullOrEmpty
    }

    It 'warns of what Kubernetes cannot say, and of what a play skips' {
        $null = New-Container busybox:kube -Name warned -User nobody -PidsLimit 10 -Command true
        $null = ConvertTo-KubernetesYaml warned -WarningVariable warnings -WarningAction SilentlyContinue
        $warnings.Message | Should -Contain "Container 'warned': the user 'nobody' is a name; Kubernetes takes only a uid (runAsUser), so it is left out."
        $warnings.Message | Should -Contain "Container 'warned': Kubernetes has no limit for PidsLimit; left out."
        $null = "apiVersion: batch/v1`nkind: Job`nmetadata: {name: c}`n---`napiVersion: v1`nkind: Pod`nmetadata: {name: p}`nspec: {restartPolicy: Never, containers: [{name: c, image: busybox:kube, command: ['true']}]}" |
            Invoke-KubernetesYaml -WarningVariable playWarnings -WarningAction SilentlyContinue
        $playWarnings.Message | Should -Match 'A Job \(batch/v1\) is not played'
    }

    It 'mounts a ConfigMap and a Secret as read-only files, reads them into env, and -Down removes the files' {
        $yaml = @'
apiVersion: v1
kind: ConfigMap
metadata: {name: settings}
data: {app.conf: "listen 8080\n", LEVEL: debug}
---
apiVersion: v1
kind: Secret
metadata: {name: credentials}
data: {password: czNjcjN0}
---
apiVersion: v1
kind: Pod
metadata: {name: app}
spec:
  restartPolicy: Never
  volumes:
  - {name: config, configMap: {name: settings, items: [{key: app.conf, path: app.conf}]}}
  - {name: secret, secret: {secretName: credentials, defaultMode: 0400}}
  containers:
  - name: main
    image: busybox:kube
    command: [sh, -c, 'cat /etc/app/app.conf; stat -c %a /run/secrets/password; touch /etc/app/x 2>/dev/null || echo read-only; echo "$CFG_LEVEL $PASSWORD"']
    volumeMounts:
    - {name: config, mountPath: /etc/app}
    - {name: secret, mountPath: /run/secrets}
    envFrom: [{configMapRef: {name: settings}, prefix: CFG_}]
    env:
    - name: PASSWORD
      valueFrom: {secretKeyRef: {name: credentials, key: password}}
'@
        $played = $yaml | Invoke-KubernetesYaml
        $played.Name | Should -Be 'app-main'
        $played | Wait-Container | Should -Be 0
        (Get-ContainerLog app-main).Text | Should -Be 'listen 8080', '400', 'read-only', 'debug s3cr3t'
        Join-Path $env:CONTAINER_ROOT 'kube/app/secret/password' | Should -Exist
        $yaml | Invoke-KubernetesYaml -Down
        Get-Container | Should -BeNullOrEmpty
        Join-Path $env:CONTAINER_ROOT 'kube/app' | Should -Not -Exist

        # a key that is not there: an error before anything is made
        $missing = $yaml -replace 'key: password', 'key: nothere'
        { $missing | Invoke-KubernetesYaml -ErrorAction Stop } | Should -Throw -ErrorId 'SecretNotFound,*'
        $missing | Invoke-KubernetesYaml -ErrorAction SilentlyContinue -ErrorVariable failed
        $failed[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        Get-Container | Should -BeNullOrEmpty
        Join-Path $env:CONTAINER_ROOT 'kube/app' | Should -Not -Exist
    }

    It 'plays each replica of a Deployment and -Down removes them all' {
        $yaml = @'
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      shareProcessNamespace: true
      containers:
      - {name: app, image: busybox:kube, command: [sleep, '60']}
      - {name: side, image: busybox:kube, command: [sleep, '60']}
'@
        $played = $yaml | Invoke-KubernetesYaml
        $played.Name | Should -Be 'web-pod-app', 'web-pod-side', 'web-pod-2-app', 'web-pod-2-side'
        $yaml | Invoke-KubernetesYaml -Down
        Get-Container | Should -BeNullOrEmpty
    }

    It 'reports bad YAML, a missing file and a missing image as errors with their ids' {
        { 'kind: [unclosed' | Invoke-KubernetesYaml -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidKubernetesYaml,*'
        { Invoke-KubernetesYaml -Path (Join-Path $script:work 'missing.yaml') -ErrorAction Stop } | Should -Throw -ErrorId 'PathNotFound,*'
        { "apiVersion: v1`nkind: Pod`nmetadata: {name: p}`nspec: {containers: [{name: c, image: no-such-image}]}" | Invoke-KubernetesYaml -ErrorAction Stop } |
            Should -Throw -ErrorId 'ImageNotFound,*'
        Get-Container | Should -BeNullOrEmpty
        { ConvertTo-KubernetesYaml no-such-container -ErrorAction Stop } | Should -Throw -ErrorId 'ContainerNotFound,*'
        ConvertTo-KubernetesYaml 'no-such-*' | Should -BeNullOrEmpty
    }
}

Describe 'A compose project as Kubernetes YAML' {
    It 'writes each service as a Deployment of its replicas, its config as a ConfigMap, and warns of network_mode none' {
        $dir = New-Item -ItemType Directory (Join-Path $script:work 'shop') -Force
        Set-Content (Join-Path $dir 'compose.yaml') @'
services:
  web:
    image: busybox:kube
    command: ["httpd", "-f", "-p", "8080"]
    network_mode: none
    ports: ["8080:8080"]
    deploy: {replicas: 2}
    configs: [site]
  db:
    image: busybox:kube
    command: ["sleep", "3600"]
    volumes: [data:/var/lib/db]
volumes:
  data: {}
configs:
  site: {content: "hello"}
'@
        ConvertTo-KubernetesYaml -Project -Path $dir -WhatIf | Should -BeNullOrEmpty
        $yaml = ConvertTo-KubernetesYaml -Project -Path $dir -WarningVariable warnings -WarningAction SilentlyContinue
        $yaml | Should -BeOfType [string]
        [regex]::Matches($yaml, '(?m)^kind: Deployment$').Count | Should -Be 2
        $yaml | Should -Match '(?ms)^  name: web-deployment$.*?^  replicas: 2$'
        $yaml | Should -Match '(?ms)^  name: db-deployment$.*?^  replicas: 1$'
        $yaml | Should -Match '(?ms)^kind: ConfigMap$.*?^  name: shop-site$.*?^  site: hello$'
        $yaml | Should -Match '(?m)^kind: PersistentVolumeClaim$'
        $yaml | Should -Match '(?ms)^kind: Service$.*?^  name: web$'
        $warnings.Message | Should -Contain "Service 'web': network_mode 'none' cannot be said in Kubernetes (a pod has a network of its own); left out."
        @($warnings | Where-Object Message -Like "Service 'db'*") | Should -BeNullOrEmpty
        # -ProjectName names the objects; a directory without a compose file is an error with its id
        ConvertTo-KubernetesYaml -Project -Path $dir -ProjectName other -WarningAction SilentlyContinue | Should -Match '(?m)^  name: other-site$'
        { ConvertTo-KubernetesYaml -Project -Path (Join-Path $script:work 'no-project') -ErrorAction Stop } | Should -Throw -ErrorId 'ComposeFileNotFound,*'
    }
}
