namespace Container.Tests.Fixtures;

/// <summary>Files a test run makes once for all its tests (a rootfs, peer-made images), deleted when the run ends.</summary>
public static class RunTemporaries
{
    /// <summary>Deletes path (a file or a directory tree) at the process's exit, unless a leaked mount is in it: a delete would go through it.</summary>
    public static void DeleteAtExit(string path) => AppDomain.CurrentDomain.ProcessExit += (_, _) =>
    {
        if (File.ReadLines("/proc/self/mountinfo").Any(line => line.Contains(path, StringComparison.Ordinal)))
            return;
        try
        {
            if (Directory.Exists(path))
                Directory.Delete(path, recursive: true);
            else
                File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    };
}
