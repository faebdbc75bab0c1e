namespace Container.Runtime.Build;

/// <summary>
/// A writable view of a file or directory whose writes never reach it (RUN --mount=type=bind,rw):
/// a directory under an overlay whose upper directory is the build's scratch, a file as a
/// copy there. Disposing unmounts it and throws the writes away.
/// </summary>
internal sealed class WritableView : IDisposable
{
    private readonly Linux.IMounts mounts;
    private readonly string directory;
    private readonly bool mounted;

    private WritableView(Linux.IMounts mounts, string directory, string path, bool mounted)
    {
        this.mounts = mounts;
        this.directory = directory;
        Path = path;
        this.mounted = mounted;
    }

    /// <summary>Where the view is, on the host: what the step's container binds.</summary>
    public string Path { get; }

    public static WritableView Of(Linux.IMounts mounts, string source, string scratch)
    {
        var directory = Directory.CreateDirectory(System.IO.Path.Combine(scratch, "rw-" + Ids.New()[..12])).FullName;
        if (!Directory.Exists(source))
        {
            var copy = System.IO.Path.Combine(directory, "file");
            File.Copy(source, copy);
            return new WritableView(mounts, directory, copy, mounted: false);
        }
        var view = Directory.CreateDirectory(System.IO.Path.Combine(directory, "view")).FullName;
        var upper = Directory.CreateDirectory(System.IO.Path.Combine(directory, "upper")).FullName;
        var work = Directory.CreateDirectory(System.IO.Path.Combine(directory, "work")).FullName;
        try
        {
            mounts.MountOverlay(view, [source], upper, work);
        }
        catch
        {
            Directory.Delete(directory, recursive: true);
            throw;
        }
        return new WritableView(mounts, directory, view, mounted: true);
    }

    public void Dispose()
    {
        if (mounted)
            mounts.Unmount(Path);
        Directory.Delete(directory, recursive: true);
    }
}
