using System.Management.Automation;
using Container.Runtime.Kubernetes;

namespace Container.Module.Cmdlets;

/// <summary>
/// ConvertTo-KubernetesYaml: containers as Kubernetes YAML (podman kube generate). The containers
/// of one call, with those that share a network namespace with them, are one pod. With -Project,
/// a compose project's services, each a Deployment (kompose).
/// </summary>
[Cmdlet(VerbsData.ConvertTo, "KubernetesYaml", SupportsShouldProcess = true, DefaultParameterSetName = ParameterSets.ByName)]
[OutputType(typeof(string))]
public sealed class ConvertToKubernetesYamlCommand : ContainerTargetCmdlet
{
    private const string ByProject = "Project";

    /// <summary>A Pod or a Deployment; of containers a Pod by default, of a project's services a Deployment of each one's deploy.replicas.</summary>
    [Parameter]
    public KubeKind Kind { get; set; } = KubeKind.Pod;

    /// <summary>A NodePort Service for the published ports too (podman kube generate --service); a project's services always have one.</summary>
    [Parameter(ParameterSetName = ParameterSets.ByName)]
    [Parameter(ParameterSetName = ParameterSets.ById)]
    [Parameter(ParameterSetName = ParameterSets.ByInputObject)]
    public SwitchParameter Service { get; set; }

    /// <summary>Writes a compose project (-Path, -File, -ProjectName), not containers.</summary>
    [Parameter(ParameterSetName = ByProject, Mandatory = true)]
    public SwitchParameter Project { get; set; }

    /// <summary>The compose file, or the directory that holds one; the current directory by default.</summary>
    [Parameter(ParameterSetName = ByProject, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = ".";

    /// <summary>Compose files, merged in order (docker compose -f a -f b), relative to -Path.</summary>
    [Parameter(ParameterSetName = ByProject)]
    [ValidateNotNullOrEmpty]
    public string[] File { get; set; } = [];

    /// <summary>The project's name (docker compose -p); else COMPOSE_PROJECT_NAME, the file's name:, or its directory's name.</summary>
    [Parameter(ParameterSetName = ByProject)]
    [ValidateNotNullOrEmpty]
    public string? ProjectName { get; set; }

    private readonly List<string> containers = [];

    protected override void ProcessRecord()
    {
        if (ParameterSetName != ByProject)
            base.ProcessRecord();
    }

    protected override void ProcessContainer(string reference) => containers.Add(reference);

    protected override void EndProcessing()
    {
        if (ParameterSetName == ByProject)
        {
            WriteProject();
            return;
        }
        if (containers.Count == 0 || !ShouldProcess(string.Join(", ", containers), $"Write as a Kubernetes {Kind}"))
            return;
        ForEachItem(() => Write(Engine.Kubernetes.Generate(containers, new KubeOptions { Kind = Kind, Service = Service })));
    }

    private void WriteProject()
    {
        var selection = ProjectSelections.Of(this, Path, File, ProjectName);
        if (!ShouldProcess(selection.Path ?? selection.CurrentDirectory, "Write the compose project as Kubernetes YAML"))
            return;
        // -Kind not given: the project's default (Deployments), not the containers' (Pod)
        ForEachItem(() => Write(KubernetesService.Generate(selection.Load(), MyInvocation.BoundParameters.ContainsKey(nameof(Kind)) ? Kind : null)));
    }

    private void Write(KubeGeneration generated)
    {
        foreach (var warning in generated.Warnings)
            WriteWarning(warning);
        WriteObject(generated.Yaml);
    }
}
