using System.Management.Automation;
using Container.Runtime.Kubernetes;

namespace Container.Module.Cmdlets;

/// <summary>
/// ConvertTo-KubernetesYaml: containers as Kubernetes YAML (podman kube generate). The containers
/// of one call, with those that share a network namespace with them, are one pod.
/// </summary>
[Cmdlet(VerbsData.ConvertTo, "KubernetesYaml", SupportsShouldProcess = true, DefaultParameterSetName = ParameterSets.ByName)]
[OutputType(typeof(string))]
public sealed class ConvertToKubernetesYamlCommand : ContainerTargetCmdlet
{
    /// <summary>A Pod (the default) or a Deployment of one replica.</summary>
    [Parameter]
    public KubeKind Kind { get; set; } = KubeKind.Pod;

    /// <summary>A NodePort Service for the published ports too (podman kube generate --service).</summary>
    [Parameter]
    public SwitchParameter Service { get; set; }

    private readonly List<string> containers = [];

    protected override void ProcessContainer(string reference) => containers.Add(reference);

    protected override void EndProcessing()
    {
        if (containers.Count == 0 || !ShouldProcess(string.Join(", ", containers), $"Write as a Kubernetes {Kind}"))
            return;
        ForEachItem(() =>
        {
            var generated = Engine.Kubernetes.Generate(containers, new KubeOptions { Kind = Kind, Service = Service });
            foreach (var warning in generated.Warnings)
                WriteWarning(warning);
            WriteObject(generated.Yaml);
        });
    }
}
