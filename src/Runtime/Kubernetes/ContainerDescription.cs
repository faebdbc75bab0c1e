using Container.Runtime.Containers;
using Container.Runtime.Images;
using Container.Runtime.Oci;

namespace Container.Runtime.Kubernetes;

/// <summary>
/// An existing container as the spec that would make it again: what its record and bundle say,
/// less what its image gives anyway (its command, environment, working directory), as podman's
/// kube generate leaves out what the image says. The Kubernetes converter works from specs, so a
/// compose service's spec feeds it the same way.
/// </summary>
internal static class ContainerDescription
{
    public static ContainerSpec Of(ContainerRecord record, RuntimeSpec bundle, ContainerConfig? image)
    {
        image ??= new ContainerConfig();
        var imageEntrypoint = image.Entrypoint ?? [];
        var imageCommand = image.Cmd ?? [];
        var entrypointChanged = !record.Entrypoint.SequenceEqual(imageEntrypoint);
        var process = bundle.Process;
        var privileged = process?.NoNewPrivileges == false && bundle.Linux?.Seccomp == null;
        var capabilities = process?.Capabilities?.Bounding ?? [.. SecurityDefaults.Capabilities];
        var limits = ResourceLimits.From(bundle.Linux?.Resources);
        return new ContainerSpec
        {
            Image = record.Image,
            Name = record.Name,
            // a new entrypoint drops the image's command: then the command is given too, even empty
            Entrypoint = entrypointChanged ? record.Entrypoint : null,
            Command = entrypointChanged || !record.Command.SequenceEqual(imageCommand) ? record.Command : null,
            Environment = OwnEnvironment(record.Environment, image.Env ?? []),
            WorkingDirectory = record.WorkingDirectory != "/" && record.WorkingDirectory != image.WorkingDir ? record.WorkingDirectory : null,
            User = record.User != image.User ? record.User : null,
            Hostname = record.Hostname,
            Labels = record.Labels.Where(l => image.Labels?.GetValueOrDefault(l.Key) != l.Value).ToDictionary(),
            ReadOnlyRootfs = bundle.Root?.Readonly == true,
            Tty = record.Tty,
            Interactive = record.Interactive,
            RestartPolicy = RestartPolicy.Parse(record.RestartPolicy),
            Healthcheck = record.Healthcheck,
            Privileged = privileged,
            CapAdd = privileged ? null : capabilities.Except(SecurityDefaults.Capabilities).ToList(),
            CapDrop = privileged ? null : SecurityDefaults.Capabilities.Except(capabilities).ToList(),
            Limits = limits.IsEmpty ? null : limits,
            Network = record.NetworkMode,
            Ipc = record.IpcMode != NamespaceModes.Private ? record.IpcMode : null,
            Pid = record.PidMode != NamespaceModes.Private ? record.PidMode : null,
            Publish = record.Ports.Select(PublishText).ToList(),
            Mounts = record.Mounts,
        };
    }

    /// <summary>The variables the image does not set to the same value.</summary>
    private static Dictionary<string, string> OwnEnvironment(IEnumerable<string> environment, IEnumerable<string> image)
    {
        var imageValues = image.ToHashSet(StringComparer.Ordinal);
        return environment.Where(v => !imageValues.Contains(v)).Select(v => v.Split('=', 2)).ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : "");
    }

    /// <summary>As -Publish reads it: [ip:][hostPort:]containerPort/protocol (a host port of 0 one chosen at start).</summary>
    private static string PublishText(Networks.PortMapping port)
    {
        var host = port.HostPort == 0 ? "" : port.HostPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var address = port.HostIp.Contains(':') ? $"[{port.HostIp}]" : port.HostIp;
        var prefix = address.Length > 0 ? $"{address}:{host}:" : host.Length > 0 ? $"{host}:" : "";
        return $"{prefix}{port.ContainerPort}/{port.Protocol}";
    }
}
