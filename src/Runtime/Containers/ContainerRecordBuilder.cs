using Container.Runtime.Images;
using Container.Runtime.Oci;

namespace Container.Runtime.Containers;

/// <summary>A new container's record (container.json): its spec, with what it leaves out taken from its image, as docker takes it.</summary>
internal static class ContainerRecordBuilder
{
    public static ContainerRecord Build(string id, string name, ContainerSpec spec, ContainerImage image)
    {
        var defaults = image.Config.Config ?? new ContainerConfig();
        var entrypoint = spec.Entrypoint?.ToList() ?? defaults.Entrypoint ?? [];
        // a new entrypoint drops the image's Cmd, as docker does
        var command = spec.Command?.ToList() ?? (spec.Entrypoint != null ? [] : defaults.Cmd ?? []);
        if (entrypoint.Count == 0 && command.Count == 0)
            throw Errors.Errors.InvalidArgument("NoCommand",
                $"Image '{spec.Image}' has no command and none was given: use -Command.", spec.Image);
        var labels = new Dictionary<string, string>(defaults.Labels ?? []);
        foreach (var (key, value) in spec.Labels ?? new Dictionary<string, string>())
            labels[key] = value;
        var workingDirectory = spec.WorkingDirectory ?? defaults.WorkingDir;
        return new ContainerRecord
        {
            Id = id,
            Name = name,
            Image = image.Reference != null ? ImageReference.Parse(image.Reference).ToFamiliarString() : image.ShortId,
            ImageId = image.Id,
            Created = DateTimeOffset.UtcNow,
            Entrypoint = entrypoint,
            Command = command,
            Environment = ProcessEnvironment.Merge(defaults.Env, spec.Environment),
            WorkingDirectory = string.IsNullOrEmpty(workingDirectory) ? "/" : workingDirectory,
            User = spec.User ?? defaults.User,
            // docker's default is the short id; ours is the name, where it fits
            Hostname = spec.Hostname ?? (System.Text.Encoding.UTF8.GetByteCount(name) <= ContainerSpec.MaxHostnameLength ? name : Ids.Short(id)),
            Labels = labels,
            Layers = [.. image.Layers],
            // as the user named it (runc, or a path), resolved again at each start
            Runtime = string.IsNullOrEmpty(spec.Runtime) ? OciRuntime.Default : spec.Runtime,
            Tty = spec.Tty,
            Interactive = spec.Interactive,
            Init = spec.Init,
            RestartPolicy = (spec.RestartPolicy ?? RestartPolicy.None).ToString(),
            Healthcheck = spec.DisableHealthcheck ? null : spec.Healthcheck ?? ImageHealthcheck(defaults.Healthcheck),
            AutoRemove = spec.AutoRemove,
            StopSignal = Linux.Signals.Normalize(spec.StopSignal ?? defaults.StopSignal ?? "SIGTERM"),
            StopTimeout = spec.StopTimeout,
            UserNamespace = UserNamespace.From(spec.UidMap, spec.GidMap),
        };
    }

    /// <summary>The image's healthcheck (CMD, or CMD-SHELL run by /bin/sh -c; NONE or none is none).</summary>
    private static Healthcheck? ImageHealthcheck(HealthcheckConfig? config)
    {
        if (config?.Test is not [var kind, .. var rest] || kind == "NONE" || rest.Count == 0)
            return null;
        static TimeSpan Or(long? nanoseconds, TimeSpan fallback) => nanoseconds is > 0 ? TimeSpan.FromTicks(nanoseconds.Value / 100) : fallback;
        return new Healthcheck
        {
            Command = kind == "CMD-SHELL" ? ["/bin/sh", "-c", string.Join(' ', rest)] : rest,
            Interval = Or(config.Interval, TimeSpan.FromSeconds(30)),
            Timeout = Or(config.Timeout, TimeSpan.FromSeconds(30)),
            StartPeriod = Or(config.StartPeriod, TimeSpan.Zero),
            Retries = config.Retries is > 0 ? config.Retries.Value : 3,
        };
    }
}
