using Container.Runtime.Containers;

namespace Container.Runtime.Oci;

/// <summary>
/// Writes the OCI runtime config (config.json) for a container: its process from the
/// record, Docker's secure defaults for the rest. The same bundle runs under our core,
/// crun or runc.
/// </summary>
public static class BundleBuilder
{
    /// <summary>The cgroup of a container, under one parent the project owns.</summary>
    public static string CgroupPath(string id) => $"/container/{id}";

    public static RuntimeSpec Build(ContainerRecord record)
    {
        return new RuntimeSpec
        {
            OciVersion = "1.0.2",
            Root = new RootSpec { Path = "rootfs", Readonly = false },
            Hostname = record.Hostname,
            Process = new ProcessSpec
            {
                Args = [.. record.Entrypoint, .. record.Command],
                Env = record.Environment,
                Cwd = record.WorkingDirectory,
                User = ParseUser(record.User),
                NoNewPrivileges = true,
                Capabilities = new CapabilitiesSpec
                {
                    Bounding = [.. SecurityDefaults.Capabilities],
                    Effective = [.. SecurityDefaults.Capabilities],
                    Permitted = [.. SecurityDefaults.Capabilities],
                },
            },
            Mounts = SecurityDefaults.Mounts(),
            Annotations = new Dictionary<string, string> { ["org.opencontainers.image.ref.name"] = record.Image },
            Linux = new LinuxSpec
            {
                Namespaces = [new() { Type = "pid" }, new() { Type = "network" }, new() { Type = "ipc" }, new() { Type = "uts" }, new() { Type = "mount" }, new() { Type = "cgroup" }],
                CgroupsPath = CgroupPath(record.Id),
                Resources = new ResourcesSpec { Devices = SecurityDefaults.DeviceRules() },
                MaskedPaths = [.. SecurityDefaults.MaskedPaths],
                ReadonlyPaths = [.. SecurityDefaults.ReadonlyPaths],
                Seccomp = DefaultSeccompProfile.For(SecurityDefaults.Capabilities),
            },
        };
    }

    /// <summary>"uid", "uid:gid"; names need the container's /etc/passwd, which comes with the user issue.</summary>
    private static UserSpec ParseUser(string? user)
    {
        if (string.IsNullOrEmpty(user) || user == "root")
            return new UserSpec();
        var parts = user.Split(':', 2);
        if (!uint.TryParse(parts[0], out var uid) || (parts.Length == 2 && !uint.TryParse(parts[1], out _)))
            throw Errors.Errors.InvalidArgument("InvalidUser", $"User '{user}' must be numeric (uid or uid:gid) for now.", user);
        return new UserSpec { Uid = uid, Gid = parts.Length == 2 ? uint.Parse(parts[1]) : uid };
    }
}
