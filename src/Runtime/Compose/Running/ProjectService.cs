using Container.Runtime.Build;
using Container.Runtime.Containers;
using Container.Runtime.Images;
using Container.Runtime.Networks;
using Container.Runtime.Storage;
using Container.Runtime.Volumes;

namespace Container.Runtime.Compose;

/// <summary>What Start-ContainerProject (docker compose up) may be asked besides the project.</summary>
public sealed record ProjectUpOptions
{
    /// <summary>Returns once every service runs (healthy, where it has a healthcheck; done, where it ran to its end with 0).</summary>
    public bool Wait { get; init; }

    /// <summary>Builds the services that have a build before starting them (--build); else only those whose image is missing.</summary>
    public bool Build { get; init; }

    /// <summary>Recreates every container, changed or not (--force-recreate).</summary>
    public bool ForceRecreate { get; init; }

    /// <summary>The keys of the volumes whose recreation the user agreed to (<see cref="VolumePlan"/>); any other that changed is kept as it is.</summary>
    public IReadOnlySet<string> RecreateVolumes { get; init; } = new HashSet<string>();

    /// <summary>How long a dependency's condition and -Wait may take.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(5);
}

/// <summary>A project as docker compose ls lists it, with its containers as docker compose ps does.</summary>
public sealed record ContainerProject(string Name, string Status, string? WorkingDirectory, IReadOnlyList<string> ConfigFiles, IReadOnlyList<ContainerInfo> Containers);

/// <summary>
/// docker compose over the engine: up (networks, volumes, then each service in its
/// dependencies' order, as <see cref="ProjectPlan"/> decides; a dependency's condition met
/// before its dependants start), down, stop, restart, ls and ps. It calls the same operations
/// the container, network and volume cmdlets call, and finds what a project made by the labels
/// docker compose gives it, so it needs no state of its own; one lock per project
/// (<see cref="ProjectLock"/>) keeps two sessions from changing a project at once.
/// </summary>
public sealed class ProjectService
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(50);

    private readonly StorePaths paths;
    private readonly ContainerService containers;
    private readonly NetworkService networks;
    private readonly VolumeService volumes;
    private readonly ImageStore images;
    private readonly BuildService builds;

    internal ProjectService(StorePaths paths, ContainerService containers, NetworkService networks, VolumeService volumes, ImageStore images, BuildService builds)
    {
        this.paths = paths;
        this.containers = containers;
        this.networks = networks;
        this.volumes = volumes;
        this.images = images;
        this.builds = builds;
    }

    /// <summary>The containers of a project, by its label; one-off ones (docker compose run) are not the project's services.</summary>
    public IReadOnlyList<ContainerInfo> ContainersOf(string project) =>
        containers.List().Where(c => c.Labels.GetValueOrDefault(ComposeLabels.Project) == project && c.Labels.GetValueOrDefault(ComposeLabels.OneOff) != "True")
            .OrderBy(c => c.Name, StringComparer.Ordinal).ToList();

    /// <summary>
    /// What up would do now. A secret or config that cannot be had (a missing file, an unset
    /// variable, an external one) is the error up would stop on, not a change: its content has no
    /// digest, so its services' config hashes differ from their containers'.
    /// </summary>
    public ProjectPlan Plan(ComposeProject project, bool forceRecreate = false)
    {
        ServiceFiles.Of(project, paths.ProjectDir(project.Name), _ => { });
        return ProjectPlan.Of(project, ContainersOf(project.Name), forceRecreate);
    }

    /// <summary>What up would do to the project's named volumes now.</summary>
    public IReadOnlyList<VolumeAction> PlanVolumes(ComposeProject project) => VolumePlan.Of(project, volumes.List());

    /// <summary>Every project the store has containers of (docker compose ls).</summary>
    public IReadOnlyList<ContainerProject> List() =>
        containers.List().Where(c => c.Labels.ContainsKey(ComposeLabels.Project))
            .GroupBy(c => c.Labels[ComposeLabels.Project], StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => Summary(g.Key, g.OrderBy(c => c.Name, StringComparer.Ordinal).ToList())).ToList();

    /// <summary>The project a selection names; when it names nothing, every project (docker compose ls lists all, not the current directory's alone).</summary>
    public IReadOnlyList<ContainerProject> Select(ProjectSelection selection) =>
        selection.NamesNothing ? List() : [Get(selection.ProjectName())];

    /// <summary>One project; one the store has no container of is still a project, with none.</summary>
    public ContainerProject Get(string project) => Summary(project, ContainersOf(project));

    /// <summary>
    /// docker compose up -d: the project's networks and volumes made where missing, the images
    /// a build makes built where missing (or all, with Build), then each service's containers
    /// made, made anew, started or left as the plan says, a service only once what it depends
    /// on meets its condition. The services' secrets and configs are read and checked first, so
    /// one that cannot be had leaves nothing made. Returns the project's containers.
    /// </summary>
    public IReadOnlyList<ContainerInfo> Up(ComposeProject project, ProjectUpOptions options, Action<string> note, CancellationToken cancellation = default)
    {
        using var _ = ProjectLock.Acquire(paths, project.Name, note, cancellation);
        CheckJoinedContainers(project);
        var files = ServiceFiles.Of(project, paths.ProjectDir(project.Name), note);
        EnsureNetworks(project, note);
        EnsureVolumes(project, options.RecreateVolumes, note);
        foreach (var service in project.Services.Values.Where(s => s.Build != null && (options.Build || images.Find(ServiceContainers.ImageOf(project, s)) == null)))
            BuildService(project, service, noCache: false, note, cancellation);
        ServiceFiles.Write(files);
        var plan = ProjectPlan.Of(project, ContainersOf(project.Name), options.ForceRecreate);
        foreach (var orphan in plan.Orphans)
            note($"{orphan}: an orphan (its service is no longer in the project): left as it is");
        // notes from each service's thread one at a time (the cmdlet relays them to its own)
        var serialNote = ProjectConcurrency.Serialized(note);
        // the services of one level together (what each depends on is in a level before); a failure ends the up once the services begun are done
        foreach (var level in ProjectPlan.DependencyLevels(project))
            ProjectConcurrency.ForEach(level, name =>
            {
                var service = project.Services[name];
                foreach (var (dependency, condition) in service.DependsOn.Where(d => project.Services.ContainsKey(d.Key)))
                    AwaitCondition(project, dependency, condition.Condition, options.Timeout, cancellation);
                foreach (var action in plan.Actions.Where(a => a.Service == name))
                    Apply(project, service, action, serialNote, cancellation);
            }, cancellation);
        if (options.Wait)
            foreach (var name in plan.Order)
                AwaitReady(project, name, options.Timeout, cancellation);
        return ContainersOf(project.Name);
    }

    /// <summary>docker compose down: the project's containers stopped and removed, dependants before what they depend on, then its networks and the secrets and configs up wrote; with volumes, its volumes (and the containers' anonymous ones) too.</summary>
    public void Down(string project, bool removeVolumes, Action<string> note)
    {
        using var _ = ProjectLock.Acquire(paths, project, note);
        // level by level in reverse, as docker compose does, so no service loses what it depends on
        // while it still runs; the containers of one level together (each stop is mostly a wait for
        // that container's exit); the notes after, on the caller's thread (the cmdlet writes them as they come)
        var members = ContainersOf(project);
        var removed = new System.Collections.Concurrent.ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
        try
        {
            foreach (var level in LabelledOrder.Levels(members).Reverse())
                ProjectConcurrency.ForEach(level, container =>
                {
                    containers.Stop(container.Id);
                    containers.Remove(container.Id, force: true, volumes: removeVolumes);
                    removed[container.Id] = true;
                });
        }
        finally
        {
            foreach (var container in members.Where(c => removed.ContainsKey(c.Id)))
                note($"{container.Name}: removed");
        }
        foreach (var network in networks.List().Where(n => n.Labels.GetValueOrDefault(ComposeLabels.Project) == project))
        {
            networks.Remove(network.Name, force: false);
            note($"network {network.Name}: removed");
        }
        ServiceFiles.Remove(paths.ProjectDir(project));
        if (!removeVolumes)
            return;
        foreach (var volume in volumes.List().Where(v => v.Labels.GetValueOrDefault(ComposeLabels.Project) == project))
        {
            volumes.Remove(volume.Name);
            note($"volume {volume.Name}: removed");
        }
    }

    /// <summary>docker compose stop: the project's running containers stopped, dependants before what they depend on (those of one level together); returns them in their dependency order.</summary>
    public IReadOnlyList<ContainerInfo> Stop(string project, TimeSpan? timeout = null)
    {
        using var _ = ProjectLock.Acquire(paths, project);
        var levels = LabelledOrder.Levels(ContainersOf(project));
        var stopped = new System.Collections.Concurrent.ConcurrentDictionary<string, ContainerInfo>(StringComparer.Ordinal);
        foreach (var level in levels.Reverse())
            ProjectConcurrency.ForEach(level.Where(c => c.Status is ContainerStatus.Running or ContainerStatus.Paused).ToList(),
                container => stopped[container.Id] = containers.Stop(container.Id, timeout));
        return levels.SelectMany(l => l).Where(c => stopped.ContainsKey(c.Id)).Select(c => stopped[c.Id]).ToList();
    }

    /// <summary>docker compose restart: each container of the project stopped and started again, in its services' dependency order (as their labels say it).</summary>
    public IReadOnlyList<ContainerInfo> Restart(string project, TimeSpan? timeout = null, CancellationToken cancellation = default)
    {
        using var _ = ProjectLock.Acquire(paths, project, cancellation: cancellation);
        return LabelledOrder.Of(ContainersOf(project)).Select(c => containers.Restart(c.Id, timeout, cancellation)).ToList();
    }

    /// <summary>docker compose build: the services that have a build, each image tagged as up runs it.</summary>
    public IReadOnlyList<ContainerImage> Build(ComposeProject project, IReadOnlyList<string>? services, bool noCache, Action<string> note, CancellationToken cancellation = default)
    {
        using var _ = ProjectLock.Acquire(paths, project.Name, note, cancellation);
        return project.Services.Values.Where(s => s.Build != null && (services == null || services.Contains(s.Name)))
            .Select(s => BuildService(project, s, noCache, note, cancellation)).ToList();
    }

    private void Apply(ComposeProject project, ComposeService service, ServiceAction action, Action<string> note, CancellationToken cancellation)
    {
        cancellation.ThrowIfCancellationRequested();
        note(action.ToString());
        switch (action.Kind)
        {
            case ServiceActionKind.Keep:
                return;
            case ServiceActionKind.Start:
                containers.Start(action.Container, cancellation);
                return;
            case ServiceActionKind.Remove:
                containers.Stop(action.Container);
                containers.Remove(action.Container, force: true);
                return;
        }
        var spec = ServiceContainers.SpecOf(project, service, action.Number, other => FirstContainerOf(project, other), paths.ProjectDir(project.Name));
        var others = ServiceContainers.OtherNetworksOf(project, service);
        ContainerInfo made;
        if (action.Kind == ServiceActionKind.Recreate)
        {
            var old = containers.Get(action.Container);
            var imageVolumes = images.Find(spec.Image)?.Config.Config?.Volumes?.Keys.ToList() ?? [];
            // its anonymous volumes stay, for the new container
            spec = InheritedVolumes.Into(spec, old.Mounts, imageVolumes);
            made = Replace(old, spec);
        }
        else
            made = containers.Create(spec);
        try
        {
            foreach (var (network, address, aliases) in others)
                containers.ConnectNetwork(made.Id, network, address, aliases);
            containers.Start(made.Id, cancellation);
        }
        catch
        {
            // nothing half-made: a container that could not join its networks or start is not left
            containers.Remove(made.Id, force: true);
            throw;
        }
    }

    /// <summary>
    /// A container made anew as docker compose makes it: the old one renamed out of the way
    /// (&lt;its short id&gt;_&lt;name&gt;, still running), the new one made under the name, and only
    /// then the old one stopped and removed; a new one that cannot be made leaves the old one as
    /// it was, running under its name. A static address on its first network, leased at create,
    /// the new one shares with the old one until that one is removed (its other networks it joins
    /// after that, as it starts).
    /// </summary>
    private ContainerInfo Replace(ContainerInfo old, ContainerSpec spec)
    {
        containers.Rename(old.Id, ServiceContainers.ReplacedName(old));
        ContainerInfo made;
        try
        {
            made = containers.Create(spec with { Replaces = old.Id });
        }
        catch
        {
            containers.Rename(old.Id, old.Name);
            throw;
        }
        try
        {
            containers.Stop(old.Id);
            containers.Remove(old.Id, force: true);
            return made;
        }
        catch
        {
            // no new one, and the old one as this left it (under its renamed name, the next up makes it anew under its own)
            containers.Remove(made.Id, force: true);
            throw;
        }
    }

    /// <summary>Every container a service joins by container:NAME is there, before anything is made for one that is not.</summary>
    private void CheckJoinedContainers(ComposeProject project)
    {
        foreach (var service in project.Services.Values)
            foreach (var (field, mode) in Loading.ServiceReferences.NamespaceFields(service))
            {
                if (mode == null || NamespaceModes.JoinedId(mode) is not { } container)
                    continue;
                try
                {
                    containers.Resolve(container);
                }
                catch (Errors.ContainerException e) when (e.ErrorId == "ContainerNotFound")
                {
                    throw Errors.Errors.ComposeJoinedContainerNotFound(service.Name, field, container);
                }
            }
    }

    private string FirstContainerOf(ComposeProject project, string service) =>
        ContainersOf(project.Name).FirstOrDefault(c => c.Labels.GetValueOrDefault(ComposeLabels.Service) == service)?.Name
        ?? throw Errors.Errors.InvalidArgument("ComposeServiceNotRunning", $"service:{service} (in network_mode, ipc or pid) needs a container of {service}, and it has none.", service);

    private void EnsureNetworks(ComposeProject project, Action<string> note)
    {
        var present = networks.List().Select(n => n.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var (key, network) in project.Networks)
        {
            if (present.Contains(network.Name))
                continue;
            if (network.External)
                throw Errors.Errors.NetworkNotFound(network.Name);
            if (network.Driver is { } driver && driver != "bridge")
                throw Errors.Errors.InvalidArgument("ComposeNetworkDriverNotSupported", $"networks.{key}: the driver '{driver}' is not supported here: bridge is.", key);
            var pool = network.Ipam?.Config.FirstOrDefault(p => p.Subnet?.Contains('.') == true);
            networks.Create(new NetworkSpec
            {
                Name = network.Name, Subnet = pool?.Subnet, Gateway = pool?.Gateway, IPRange = pool?.IpRange, Internal = network.Internal,
                Labels = new Dictionary<string, string>(network.Labels, StringComparer.Ordinal)
                {
                    [ComposeLabels.Project] = project.Name, [ComposeLabels.Network] = key, [ComposeLabels.Version] = ComposeLabels.SpecificationVersion,
                },
            });
            note($"network {network.Name}: created");
        }
    }

    private void EnsureVolumes(ComposeProject project, IReadOnlySet<string> recreate, Action<string> note)
    {
        var present = volumes.List();
        if (project.Volumes.Values.FirstOrDefault(v => v.External && present.All(p => p.Name != v.Name)) is { } missing)
            throw Errors.Errors.VolumeNotFound(missing.Name);
        foreach (var action in VolumePlan.Of(project, present))
        {
            var volume = project.Volumes[action.Key];
            switch (action.Kind)
            {
                case VolumeActionKind.Keep:
                    continue;
                case VolumeActionKind.Recreate when !recreate.Contains(action.Key):
                    note(action.Kept);
                    continue;
                case VolumeActionKind.Recreate:
                    // docker refuses to remove a volume any container refers to: its users go first, and up makes them anew
                    foreach (var user in action.Users)
                    {
                        containers.Stop(user);
                        containers.Remove(user, force: true);
                        note($"{user}: removed (it used volume {volume.Name})");
                    }
                    volumes.Remove(volume.Name);
                    break;
            }
            volumes.Create(new VolumeSpec
            {
                Name = volume.Name, Driver = volume.Driver ?? ContainerVolume.LocalDriver, Options = volume.DriverOptions,
                Labels = new Dictionary<string, string>(volume.Labels, StringComparer.Ordinal)
                {
                    [ComposeLabels.Project] = project.Name, [ComposeLabels.Volume] = action.Key, [ComposeLabels.Version] = ComposeLabels.SpecificationVersion,
                },
            });
            note($"volume {volume.Name}: {(action.Kind == VolumeActionKind.Create ? "created" : "made anew")}");
        }
    }

    private ContainerImage BuildService(ComposeProject project, ComposeService service, bool noCache, Action<string> note, CancellationToken cancellation)
    {
        var build = service.Build!;
        var dockerfile = build.Dockerfile is { } file ? Path.Combine(build.Context, file) : null;
        var (text, path) = BuildRequest.FindDockerfile(build.Context, dockerfile, []);
        note($"{service.Name}: building {ServiceContainers.ImageOf(project, service)}");
        return builds.Build(new BuildRequest
        {
            ContextDirectory = build.Context, Dockerfile = text, DockerfilePath = path,
            Tags = [ImageReference.Parse(ServiceContainers.ImageOf(project, service))],
            BuildArgs = build.Args.Where(a => a.Value != null).ToDictionary(a => a.Key, a => a.Value!, StringComparer.Ordinal),
            Target = build.Target, NoCache = noCache, Labels = build.Labels, Network = build.Network,
        }, new NotingBuildLog(note), cancellation);
    }

    /// <summary>Waits until a dependency meets the condition its dependant asks for; a dependency that cannot (exited, unhealthy, failed) is an error naming it.</summary>
    private void AwaitCondition(ComposeProject project, string dependency, DependencyCondition condition, TimeSpan timeout, CancellationToken cancellation)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (true)
        {
            cancellation.ThrowIfCancellationRequested();
            var current = ContainersOf(project.Name).Where(c => c.Labels.GetValueOrDefault(ComposeLabels.Service) == dependency).ToList();
            var met = current.Count > 0 && current.All(c => condition switch
            {
                DependencyCondition.ServiceHealthy => c.Health == HealthStatus.Healthy,
                DependencyCondition.ServiceCompletedSuccessfully => c.Status == ContainerStatus.Exited && c.ExitCode == 0,
                _ => c.Status is ContainerStatus.Running or ContainerStatus.Exited,
            });
            if (met)
                return;
            if (current.FirstOrDefault(c => Failed(c, condition)) is { } failed)
                throw Errors.Errors.ComposeDependencyFailed(dependency, failed.Name, condition.ToString(), failed.StatusText);
            if (DateTimeOffset.UtcNow > deadline)
                throw Errors.Errors.ComposeDependencyFailed(dependency, current.FirstOrDefault()?.Name ?? dependency, condition.ToString(), $"not met in {timeout}");
            Thread.Sleep(Poll);
        }
    }

    private static bool Failed(ContainerInfo container, DependencyCondition condition) => condition switch
    {
        DependencyCondition.ServiceHealthy => container.Health == HealthStatus.Unhealthy || container.Status == ContainerStatus.Exited,
        DependencyCondition.ServiceCompletedSuccessfully => container.Status == ContainerStatus.Exited && container.ExitCode != 0,
        _ => false,
    };

    /// <summary>-Wait: a service is ready once running (healthy, where it has a healthcheck) or, when it ran to its end, with exit code 0.</summary>
    private void AwaitReady(ComposeProject project, string service, TimeSpan timeout, CancellationToken cancellation)
    {
        var healthchecked = project.Services[service].Healthcheck is { Disable: false, Test.Count: > 0 };
        AwaitCondition(project, service, healthchecked ? DependencyCondition.ServiceHealthy : DependencyCondition.ServiceStarted, timeout, cancellation);
        if (ContainersOf(project.Name).FirstOrDefault(c => c.Labels.GetValueOrDefault(ComposeLabels.Service) == service && c.Status == ContainerStatus.Exited && c.ExitCode != 0) is { } failed)
            throw Errors.Errors.ComposeDependencyFailed(service, failed.Name, "running", failed.StatusText);
    }

    private static ContainerProject Summary(string name, IReadOnlyList<ContainerInfo> members)
    {
        var status = string.Join(", ", members.GroupBy(c => c.Status).OrderBy(g => g.Key).Select(g => $"{g.Key.ToString().ToLowerInvariant()}({g.Count()})"));
        var first = members.FirstOrDefault();
        return new ContainerProject(name, status, first?.Labels.GetValueOrDefault(ComposeLabels.WorkingDirectory),
            first?.Labels.GetValueOrDefault(ComposeLabels.ConfigFiles)?.Split(',') ?? [], members);
    }

    /// <summary>A build's steps and output as notes.</summary>
    private sealed class NotingBuildLog(Action<string> note) : IBuildLog
    {
        public void Step(BuildStepReport step) => note($"{step.Stage}: {step.Instruction}");

        public void Output(Logs.LogStream stream, string line) => note(line);

        public void Note(string message) => note(message);
    }
}
