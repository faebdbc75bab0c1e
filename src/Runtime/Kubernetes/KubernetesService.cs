using Container.Runtime.Containers;
using Container.Runtime.Images;
using Container.Runtime.Oci;
using Container.Runtime.Storage;
using Container.Runtime.Volumes;

namespace Container.Runtime.Kubernetes;

/// <summary>Kubernetes YAML written for a store's containers, and the containers made and removed again from such YAML.</summary>
public sealed record KubeGeneration(string Yaml, IReadOnlyList<string> Warnings);

/// <summary>
/// podman's kube generate, play and down over one store: the conversions are KubeGenerator's
/// and KubePlay's (pure); here the containers are read and made.
/// </summary>
public sealed class KubernetesService(ContainerService containers, ImageStore images, StorePaths paths)
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
    /// Writes each pod's configMap and secret files, then makes and starts its containers, the
    /// network namespace's owner first. A pod whose files cannot be written or whose container
    /// fails to be made or started is removed again, whole, its files too; the other pods go on.
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
            var wroteFiles = false;
            try
            {
                if (pod.Volumes.Count > 0)
                {
                    WriteFiles(pod);
                    wroteFiles = true;
                }
                foreach (var spec in pod.Containers)
                {
                    containers.Create(Rooted(spec));
                    made.Add(spec.Name!);
                    containers.Start(spec.Name!, cancellation);
                }
                played.AddRange(made.Select(containers.Get));
            }
            catch (Errors.ContainerException e)
            {
                RemoveAll(made);
                if (wroteFiles)
                    RemoveFiles(pod.Name);
                onError(pod, e);
            }
        }
        return played;
    }

    /// <summary>
    /// Removes the containers a play of the plan made (podman kube down), the joiners before the
    /// namespace's owner, and then a pod's configMap and secret files, once none of its containers
    /// is left; the named volumes stay, as podman keeps them. shouldRemove asks before each
    /// container; one that is not there is skipped. The names removed.
    /// </summary>
    public IReadOnlyList<string> Down(PlayPlan plan, Func<string, bool> shouldRemove)
    {
        var removed = new List<string>();
        foreach (var pod in plan.Pods)
        {
            foreach (var name in pod.Containers.Reverse().Select(c => c.Name!))
            {
                if (!containers.List().Any(c => c.Name == name) || !shouldRemove(name))
                    continue;
                containers.Remove(name, force: true);
                removed.Add(name);
            }
            if (!AnyLeft(pod))
                RemoveFiles(pod.Name);
        }
        return removed;
    }

    private bool AnyLeft(PlayedPod pod)
    {
        var names = pod.Containers.Select(c => c.Name!).ToHashSet(StringComparer.Ordinal);
        return containers.List().Any(c => names.Contains(c.Name));
    }

    /// <summary>The pod's directory of files, made again: a pod whose containers are still there keeps its own (NameInUse, as their names are).</summary>
    private void WriteFiles(PlayedPod pod)
    {
        var existing = containers.List().FirstOrDefault(c => pod.Containers.Any(s => s.Name == c.Name));
        if (existing != null)
            throw Errors.Errors.NameInUse(existing.Name, existing.Id);
        var directories = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                          | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;
        try
        {
            Directory.CreateDirectory(paths.KubeDir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            // what an earlier play left (a host that went down mid-play) is not this play's
            RemoveFiles(pod.Name);
            foreach (var volume in pod.Volumes)
            {
                var root = Directory.CreateDirectory(Path.Combine(paths.KubeDir, volume.Directory), directories).FullName;
                foreach (var file in volume.Files)
                {
                    var path = Path.Combine(root, file.Path);
                    Directory.CreateDirectory(Path.GetDirectoryName(path)!, directories);
                    AtomicFile.WriteAllBytes(path, file.Content, file.Mode);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            RemoveFiles(pod.Name);
            throw new Errors.ContainerException("KubeFilesNotWritten", Errors.ErrorKind.WriteError,
                $"Cannot write the configMap and secret files of pod '{pod.Name}': {e.Message}", pod.Name, e);
        }
    }

    private void RemoveFiles(string pod)
    {
        var directory = Path.Combine(paths.KubeDir, pod);
        if (Directory.Exists(directory))
            Directory.Delete(directory, recursive: true);
    }

    /// <summary>The spec with its files' mounts (relative sources, PlayedPod) under the store's kube directory.</summary>
    private ContainerSpec Rooted(ContainerSpec spec) => spec.Mounts is not { Count: > 0 } mounts ? spec : spec with
    {
        Mounts = mounts.Select(m => m.Type == MountType.Bind && m.Source is { } source && !Path.IsPathRooted(source)
            ? m with { Source = Path.Combine(paths.KubeDir, source) }
            : m).ToList(),
    };

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
