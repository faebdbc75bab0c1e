using System.Management.Automation;
using Container.Runtime.Containers;
using Container.Runtime.Kubernetes;

namespace Container.Module.Cmdlets;

/// <summary>
/// Invoke-KubernetesYaml: runs the Pods and Deployments of Kubernetes YAML as containers on this
/// host (podman kube play); -Down removes them again (podman kube down).
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "KubernetesYaml", SupportsShouldProcess = true, DefaultParameterSetName = FromText)]
[OutputType(typeof(ContainerInfo))]
public sealed class InvokeKubernetesYamlCommand : ContainerCmdlet
{
    private const string FromPath = "Path";
    private const string FromText = "Yaml";

    /// <summary>Files of Kubernetes YAML.</summary>
    [Parameter(ParameterSetName = FromPath, Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = [];

    /// <summary>The YAML's text: one string, or its lines (Get-Content), from the pipeline.</summary>
    [Parameter(ParameterSetName = FromText, Mandatory = true, ValueFromPipeline = true)]
    [AllowEmptyString]
    public string[] Yaml { get; set; } = [];

    /// <summary>Removes the containers a play of the YAML made, instead of playing it.</summary>
    [Parameter]
    public SwitchParameter Down { get; set; }

    /// <summary>The network of each pod (its first container's, which the others join); the store's default if left out.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Network { get; set; }

    private readonly List<string> text = [];

    protected override void ProcessRecord()
    {
        if (ParameterSetName == FromText)
        {
            text.AddRange(Yaml);
            return;
        }
        foreach (var path in Path)
            ForEachItem(() =>
            {
                var file = GetUnresolvedProviderPathFromPSPath(path);
                if (!File.Exists(file))
                    throw Runtime.Errors.Errors.PathNotFound(file);
                Act(File.ReadAllText(file));
            });
    }

    protected override void EndProcessing()
    {
        if (ParameterSetName == FromText && text.Count > 0)
            ForEachItem(() => Act(string.Join('\n', text)));
    }

    private void Act(string yaml)
    {
        var plan = KubernetesService.Plan(yaml, Network);
        foreach (var warning in plan.Warnings)
            WriteWarning(warning);
        if (Down)
        {
            foreach (var name in Engine.Kubernetes.Down(plan, name => ShouldProcess(name, "Remove the container")))
                WriteVerbose($"Removed container '{name}'.");
            return;
        }
        var played = Engine.Kubernetes.Play(plan,
            pod => ShouldProcess(pod.Name, $"Run the pod's containers: {string.Join(", ", pod.Containers.Select(c => c.Name))}"),
            (_, error) => WriteError(ErrorRecords.From(error)),
            Cancellation);
        WriteObject(played, enumerateCollection: true);
    }
}
