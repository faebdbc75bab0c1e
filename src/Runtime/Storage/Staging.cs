namespace Container.Runtime.Storage;

/// <summary>
/// Work in progress lives under the staging directory, named after the process that
/// owns it, and is renamed into place when complete. What a killed process left is
/// removed by the next one that stages anything.
/// </summary>
public static class Staging
{
    public static string NewPath(StorePaths paths, string suffix = "")
    {
        CleanAbandoned(paths);
        return Path.Combine(paths.StagingDir, $"{Environment.ProcessId}-{Ids.New()[..16]}{suffix}");
    }

    /// <summary>A staging path with a name of the caller's, still owned by this process.</summary>
    public static string PathFor(StorePaths paths, string name)
    {
        CleanAbandoned(paths);
        return Path.Combine(paths.StagingDir, $"{Environment.ProcessId}-{name}");
    }

    /// <summary>Whether a live process is staging something of that name.</summary>
    public static bool IsBeingStaged(StorePaths paths, string name) =>
        Directory.Exists(paths.StagingDir) && Directory.EnumerateFileSystemEntries(paths.StagingDir, $"*-{name}").Any(entry =>
            int.TryParse(Path.GetFileName(entry).Split('-')[0], out var pid) && Linux.ProcessTable.Host.Exists(pid));

    private static void CleanAbandoned(StorePaths paths)
    {
        if (!Directory.Exists(paths.StagingDir))
            return;
        foreach (var entry in Directory.EnumerateFileSystemEntries(paths.StagingDir))
        {
            var name = Path.GetFileName(entry);
            var dash = name.IndexOf('-');
            if (dash <= 0 || !int.TryParse(name[..dash], out var pid) || Linux.ProcessTable.Host.Exists(pid))
                continue;
            try
            {
                if (Directory.Exists(entry))
                    Directory.Delete(entry, recursive: true);
                else
                    File.Delete(entry);
            }
            catch (IOException)
            {
                // another process is cleaning it at the same moment
            }
        }
    }
}
