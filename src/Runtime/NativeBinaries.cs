namespace Container.Runtime;

/// <summary>The native core's binaries, which ship next to this assembly.</summary>
public static class NativeBinaries
{
    public const string RuntimeName = "container-runtime";
    public const string MonitorName = "container-monitor";
    public const string InitName = "container-init";
    public const string NetworkName = "container-network";

    public static string Directory => Path.GetDirectoryName(typeof(NativeBinaries).Assembly.Location) ?? AppContext.BaseDirectory;

    public static string RuntimePath => Require(RuntimeName);

    public static string MonitorPath => Require(MonitorName);

    /// <summary>The init a container run with -Init has as pid 1 (docker's --init).</summary>
    public static string InitPath => Require(InitName);

    /// <summary>The helper that sets a container's bridge networking up and tears it down.</summary>
    public static string NetworkPath => Require(NetworkName);

    private static string Require(string name)
    {
        var path = Path.Combine(Directory, name);
        if (!File.Exists(path))
            throw Errors.Errors.NotInstalled(path, "The module is incomplete: rebuild it (dotnet build) or reinstall it.");
        return path;
    }
}
