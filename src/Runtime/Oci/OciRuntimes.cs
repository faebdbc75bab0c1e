using Container.Runtime.Storage;

namespace Container.Runtime.Oci;

/// <summary>The OCI runtimes on this host, each bound to its root under the store's run root.</summary>
internal sealed class OciRuntimes(StorePaths paths) : IOciRuntimes
{
    public IOciRuntime Resolve(string? name)
    {
        var (runtimeName, path) = Find(name);
        return new OciRuntime(runtimeName, path, paths.RuntimeStateDir(runtimeName),
            id => System.IO.Path.Combine(paths.ContainerDir(id), Containers.ContainerStore.RuntimeStateCopyDir));
    }

    private static (string Name, string Path) Find(string? name)
    {
        if (string.IsNullOrEmpty(name) || name == OciRuntime.Default)
            return (OciRuntime.Default, NativeBinaries.RuntimePath);
        if (System.IO.Path.IsPathRooted(name))
            return File.Exists(name)
                ? (System.IO.Path.GetFileName(name), name)
                : throw Errors.Errors.NotInstalled(name, "Give the path of an OCI runtime binary.");
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin").Split(':'))
        {
            var candidate = System.IO.Path.Combine(dir, name);
            if (dir.Length > 0 && File.Exists(candidate))
                return (name, candidate);
        }
        throw Errors.Errors.NotInstalled(name, $"Install it (apt-get install {name}) or choose another runtime.");
    }
}
