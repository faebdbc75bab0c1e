using Container.Runtime.Containers;
using Container.Runtime.Images;
using Container.Runtime.Oci;

namespace Container.Runtime.Kubernetes;

/// <summary>Kubernetes YAML written for a store's containers, and the containers made and removed again from such YAML.</summary>
public sealed record KubeGeneration(string Yaml, IReadOnlyList<string> Warnings);

/// <summary>
/// podman's kube generate, play and down over one store: the conversions are KubeGenerator's
/// and KubePlay's (pure); here the containers are read and made.
/// </summary>
public sealed class KubernetesService(ContainerService containers, ImageStore images)
{
    /// <summary>
    /// The containers the references name (ids or names), with every container that shares a
    /// network namespace with one of them, as one pod, named after the first as podman names it.
    /// </summary>
    public KubeGeneration Generate(IReadOnlyList<string> references, KubeOptions options)
    {
        if (references.Count == 0)
            throw Errors.Errors.InvalidArgument("NoContainers", "Name at least one container to write as Kubernetes YAML.", null);
        var all = containers.List().Select(c => (Info: c, Record: Json.ReadFile<ContainerRecord>(Path.Combine(c.Path, ContainerStore.RecordFile)))).ToList();
        var given = references.Select(containers.Resolve).Distinct().Select(id => all.First(c => c.Info.Id == id).Record).ToList();
        var members = PodGrouping.Members(given, all.Select(c => c.Record).ToList());
        var specs = members.Select(record =>
        {
            var bundle = Json.ReadFile<RuntimeSpec>(Path.Combine(all.First(c => c.Info.Id == record.Id).Info.Path, ContainerStore.BundleConfigFile));
            var spec = ContainerDescription.Of(record, bundle, images.Find(record.ImageId)?.Config.Config);
            // the generator knows the pod's containers by name: a joined one is named so too
            return spec with { Ipc = NamedJoin(spec.Ipc, all.Select(c => c.Record)), Pid = NamedJoin(spec.Pid, all.Select(c => c.Record)) };
        }).ToList();
        var documents = KubeGenerator.Generate(new PodDescription(PodName(members), specs), options);
        return new KubeGeneration(KubeYaml.Write(documents.Objects), documents.Warnings);
    }

    /// <summary>A compose project as Kubernetes YAML: its services' Deployments (or Pods) and Services, its configs', secrets' and volumes' objects.</summary>
    public static KubeGeneration Generate(Compose.ComposeProject project, KubeKind? kind = null)
    {
        var documents = ProjectKube.Generate(project, kind);
        return new KubeGeneration(KubeYaml.Write(documents.Objects), documents.Warnings);
    }

    /// <summary>container:&lt;id&gt; as container:&lt;name&gt;; any other mode as it is.</summary>
    private static string? NamedJoin(string? mode, IEnumerable<ContainerRecord> all) =>
        mode != null && NamespaceModes.JoinedId(mode) is { } id && all.FirstOrDefault(c => c.Id == id) is { } joined
            ? NamespaceModes.ContainerPrefix + joined.Name
            : mode;

    /// <summary>The first container's name; with -pod after it when that is a container's name too (always, as it is the first's), as podman names it.</summary>
    private static string PodName(IReadOnlyList<ContainerRecord> members)
    {
        var name = KubeNames.Label(members[0].Name);
        return members.Any(m => KubeNames.Label(m.Name) == name) ? KubeNames.Label(name + "-pod") : name;
    }

    /// <summary>What a play of the YAML makes; network: the pods' network (null: the store's default).</summary>
    public static PlayPlan Plan(string yaml, string? network = null)
    {
        var warnings = new List<string>();
        var objects = KubeYaml.Read(yaml, warnings);
        return KubePlay.Plan(objects, network, warnings);
    }

    /// <summary>
    /// Makes and starts each pod's containers, the network namespace's owner first. A pod whose
    /// container fails to be made or started is removed again, whole; the other pods go on.
    /// shouldPlay asks before each pod (-WhatIf); onError takes a pod's failure.
    /// </summary>
    public IReadOnlyList<ContainerInfo> Play(PlayPlan plan, Func<PlayedPod, bool> shouldPlay, Action<PlayedPod, Errors.ContainerException> onError,
        CancellationToken cancellation = default)
    {
        var played = new List<ContainerInfo>();
        foreach (var pod in plan.Pods)
        {
            if (!shouldPlay(pod))
                continue;
            var made = new List<string>();
            try
            {
                foreach (var spec in pod.Containers)
                {
                    containers.Create(spec);
                    made.Add(spec.Name!);
                    containers.Start(spec.Name!, cancellation);
                }
                played.AddRange(made.Select(containers.Get));
            }
            catch (Errors.ContainerException e)
            {
                RemoveAll(made);
                onError(pod, e);
            }
        }
        return played;
    }

    /// <summary>
    /// Removes the containers a play of the plan made (podman kube down), the joiners before the
    /// namespace's owner; the named volumes stay, as podman keeps them. shouldRemove asks before each
    /// container; one that is not there is skipped. The names removed.
    /// </summary>
    public IReadOnlyList<string> Down(PlayPlan plan, Func<string, bool> shouldRemove)
    {
        var removed = new List<string>();
        foreach (var name in plan.Pods.SelectMany(p => p.Containers.Reverse()).Select(c => c.Name!))
        {
            if (!containers.List().Any(c => c.Name == name) || !shouldRemove(name))
                continue;
            containers.Remove(name, force: true);
            removed.Add(name);
        }
        return removed;
    }

    private void RemoveAll(IEnumerable<string> names)
    {
        foreach (var name in names.Reverse())
        {
            try
            {
                containers.Remove(name, force: true);
            }
            catch (Errors.ContainerException)
            {
                // the pod's failure is what is reported
            }
        }
    }
}
