namespace Container.Runtime.Runtimes;

/// <summary>The native core's binaries, which ship next to this assembly.</summary>
public static class NativeBinaries
{
    public const string RuntimeName = "container-runtime";
    public const string MonitorName = "container-monitor";

    public static string Directory => Path.GetDirectoryName(typeof(NativeBinaries).Assembly.Location) ?? AppContext.BaseDirectory;

    public static string RuntimePath => Require(RuntimeName);

    public static string MonitorPath => Require(MonitorName);

    private static string Require(string name)
    {
        var path = Path.Combine(Directory, name);
        if (!File.Exists(path))
            throw Errors.Errors.NotInstalled(path, "The module is incomplete: rebuild it (dotnet build) or reinstall it.");
        return path;
    }
}
