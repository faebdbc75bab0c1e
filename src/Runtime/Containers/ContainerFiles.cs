using Container.Runtime.Images;
using Container.Runtime.Linux;
using Container.Runtime.Oci;
using Container.Runtime.Storage;

namespace Container.Runtime.Containers;

/// <summary>A container's files: copied in and out, committed to an image, exported as a tar.</summary>
internal sealed class ContainerFiles(ContainerStore store, ImageStore images, HostSeams host, ContainerObserver observer, ContainerMounts mounts)
{
    /// <summary>
    /// A new image from the container (docker commit): its image's layers, plus one made of its
    /// writable layer (deletions as whiteouts), with its config, changed by options. A running
    /// container is paused meanwhile, so the layer is one moment's.
    /// </summary>
    public ContainerImage Commit(string reference, ImageReference name, CommitOptions? options = null)
    {
        options ??= new CommitOptions();
        var id = observer.Resolve(reference);
        using var _ = store.Lock(id);
        using var hold = images.HoldAgainstCollection();
        var record = observer.ReadRecord(id, reference);
        var parent = images.Find(record.ImageId)
                     ?? throw Errors.Errors.InvalidArgument("ImageGone", $"The image of container '{record.Name}' is gone from the store.", reference);
        var (parentManifest, parentConfig) = images.ReadManifest(parent.Digest);
        var layer = WriteUpperLayer(id, record);

        var now = DateTimeOffset.UtcNow;
        var environment = options.Environment == null ? record.Environment
            : ProcessEnvironment.Merge(record.Environment, options.Environment);
        var config = new ImageConfig
        {
            Created = now,
            Author = options.Author ?? parentConfig.Author,
            Architecture = parentConfig.Architecture,
            Os = parentConfig.Os,
            Config = new ContainerConfig
            {
                User = record.User,
                Env = environment,
                Entrypoint = options.Entrypoint?.ToList() ?? (record.Entrypoint.Count > 0 ? record.Entrypoint : null),
                Cmd = options.Command?.ToList() ?? (record.Command.Count > 0 ? record.Command : null),
                WorkingDir = options.WorkingDirectory ?? record.WorkingDirectory,
                Labels = record.Labels.Count > 0 ? new Dictionary<string, string>(record.Labels) : null,
                ExposedPorts = parentConfig.Config?.ExposedPorts,
                Volumes = parentConfig.Config?.Volumes,
                StopSignal = parentConfig.Config?.StopSignal,
            },
            RootFs = new RootFsConfig { DiffIds = [.. parentConfig.RootFs.DiffIds, layer.Digest] },
            History = [.. parentConfig.History ?? [], new HistoryEntry { Created = now, CreatedBy = $"commit {record.Name}", Comment = options.Message }],
        };
        return images.CreateImage([.. parentManifest.Layers, layer], config, name);
    }

    /// <summary>
    /// The container's writable layer as a layer blob, as <see cref="Commit"/> makes it (a
    /// build step's layer), less the paths left out (the mount points a build step's mounts
    /// made: no trace of a cache or secret mount enters the layer).
    /// </summary>
    public Descriptor CommitLayer(string reference, IReadOnlySet<string>? leftOut = null)
    {
        var id = observer.Resolve(reference);
        using var _ = store.Lock(id);
        return WriteUpperLayer(id, observer.ReadRecord(id, reference), leftOut);
    }

    /// <summary>The writable layer (deletions as whiteouts), of one moment: a running container is paused meanwhile.</summary>
    private Descriptor WriteUpperLayer(string id, ContainerRecord record, IReadOnlySet<string>? leftOut = null)
    {
        var runtime = host.RuntimeOf(record);
        var paused = ContainerStateMachine.CanPause(observer.Observe(id, record).Status) && runtime.Pause(id).Succeeded;
        try
        {
            // a user namespace's files as its container sees them: the image is the same whatever the maps
            var selection = leftOut is { Count: > 0 } ? new ArchiveSelection((entry, _) => !leftOut.Contains(entry)) : null;
            return images.WriteLayer(store.FileOf(id, ContainerStore.UpperDir), fromOverlayUpper: true, record.UserNamespace?.ToContainerOwners, selection);
        }
        finally
        {
            if (paused)
                runtime.Resume(id);
        }
    }

    /// <summary>
    /// Runs use on the root of a container (see InContainerRoot), and the host path it is at
    /// meanwhile: a build's COPY writes its files there, a RUN's bind mount from a stage binds it.
    /// </summary>
    public void InRoot(string reference, Action<RootedPath, string> use) => InContainerRoot(reference, (_, root, path) => use(root, path));

    /// <summary>
    /// The container's files as a tar (docker export): its image with its changes, without
    /// what the runtime mounts (/proc, /sys, /dev). Written atomically.
    /// </summary>
    public void ExportFilesystem(string reference, string path)
    {
        var id = observer.Resolve(reference);
        using var _ = store.Lock(id);
        var record = observer.ReadRecord(id, reference);
        var rootfs = store.FileOf(id, ContainerStore.RootfsDir);
        path = Path.GetFullPath(path);
        string? view = null;
        try
        {
            // a running container's rootfs mount is that view already (its runtime mounts are in its own namespace)
            if (!host.Mounts.IsMountPoint(rootfs))
            {
                view = Staging.NewPath(store.Paths);
                Directory.CreateDirectory(view);
                host.Mounts.MountReadOnlyOverlay(view, ContainerLayers.WithUpper(images, store, record));
            }
            Storage.AtomicFile.Write(path, output => LayerArchive.Write(view ?? rootfs, output, owners: record.UserNamespace?.ToContainerOwners));
        }
        finally
        {
            if (view != null)
            {
                host.Mounts.Unmount(view);
                Directory.Delete(view);
            }
        }
    }

    /// <summary>Copies between a container and the host, whichever way the two sides say (docker cp).</summary>
    public void Copy(CopyEndpoint source, CopyEndpoint destination)
    {
        if (source.Container is { } from && !destination.IsContainer)
            CopyFromContainer(from, source.Path, destination.Path);
        else if (destination.Container is { } to && !source.IsContainer)
            CopyToContainer(to, source.Path, destination.Path);
        else
            throw CopyEndpoint.OneSideMustBeAContainer(source, destination);
    }

    /// <summary>Copies a host file or directory into the container (docker cp SRC CONTAINER:DEST).</summary>
    public void CopyToContainer(string reference, string hostSource, string containerDestination)
    {
        using var hostRoot = RootedPath.OpenRoot("/");
        InContainerRoot(reference, (record, root) =>
        {
            if (ContainerMounts.Covering(record, Absolute(containerDestination)) is { ReadOnly: true } mount)
                throw Errors.Errors.ReadOnlyMount(record.Name, containerDestination, mount.Target);
            // owned inside by the ids the host's files have, as docker cp keeps them: shifted by the maps on the way in
            FileCopy.Copy(hostRoot, HostPath(hostSource), root, Absolute(containerDestination), makeDevices: true, record.UserNamespace?.ToHostOwners);
        });
    }

    /// <summary>
    /// Copies a file or directory out of the container (docker cp CONTAINER:SRC DEST), but
    /// for its device nodes: on the host, one the container made would open a device its
    /// device rules keep from it (a disk, the host's memory) to whoever may open the node.
    /// </summary>
    public void CopyFromContainer(string reference, string containerSource, string hostDestination)
    {
        using var hostRoot = RootedPath.OpenRoot("/");
        InContainerRoot(reference, (record, root) =>
            FileCopy.Copy(root, Absolute(containerSource), hostRoot, HostPath(hostDestination), makeDevices: false, record.UserNamespace?.ToContainerOwners));
    }

    /// <summary>Absolute, keeping what docker cp reads in a trailing "/" or "/.".</summary>
    private static string HostPath(string path) =>
        path.EndsWith("/.", StringComparison.Ordinal) ? Path.GetFullPath(path).TrimEnd('/') + "/." : Path.GetFullPath(path);

    /// <summary>A container path is absolute: a relative one is from its root, as docker cp takes it.</summary>
    private static string Absolute(string containerPath) => containerPath.StartsWith('/') ? containerPath : "/" + containerPath;

    /// <summary>
    /// Runs use on the container's root as its processes see it: a running container's, with
    /// its mounts, frozen meanwhile so nothing in it can move a path under the copy (the
    /// docker cp symlink race); a stopped one's rootfs, mounted for the while with its binds and
    /// volumes on it.
    /// </summary>
    private void InContainerRoot(string reference, Action<ContainerRecord, RootedPath> use) => InContainerRoot(reference, (record, root, _) => use(record, root));

    private void InContainerRoot(string reference, Action<ContainerRecord, RootedPath, string> use)
    {
        var id = observer.Resolve(reference);
        using var _ = store.Lock(id);
        var record = observer.ReadRecord(id, reference);
        var info = observer.Observe(id, record);
        if (ContainerStateMachine.IsLive(info.Status))
        {
            var runtime = host.RuntimeOf(record);
            var paused = ContainerStateMachine.CanPause(info.Status) && runtime.Pause(id).Succeeded;
            try
            {
                using var root = RootedPath.OpenRoot($"/proc/{info.Pid}/root");
                use(record, root, $"/proc/{info.Pid}/root");
            }
            finally
            {
                if (paused)
                    runtime.Resume(id);
            }
            return;
        }
        host.RequireRoot();
        var rootfs = store.FileOf(id, ContainerStore.RootfsDir);
        var mountedHere = !host.Mounts.IsMountPoint(rootfs);
        if (mountedHere)
            host.Mounts.MountOverlay(rootfs, ContainerLayers.Lower(images, record), store.FileOf(id, ContainerStore.UpperDir), store.FileOf(id, ContainerStore.WorkDir));
        try
        {
            using var binds = mounts.BindForCopy(record, rootfs);
            using var root = RootedPath.OpenRoot(rootfs);
            use(record, root, rootfs);
        }
        finally
        {
            if (mountedHere)
                host.Mounts.Unmount(rootfs);
        }
    }
}
