using System.IO.Pipes;
using Container.Runtime.Storage;

namespace Container.Runtime.Images;

/// <summary>
/// Id-shifted copies of unpacked layers, for containers in a user namespace (what podman does
/// where there are no idmapped mounts): a layer's files owned by the host ids its maps give the
/// image's ids, so the container sees the image's owners and its root owns what it should.
/// One copy per (layer, maps), at layers/&lt;hex&gt;/shifted/&lt;key&gt;: made once, aside, and renamed
/// in (the first of two concurrent makers wins); gone with its layer, and collected with the
/// garbage once no container uses its maps.
/// </summary>
internal sealed class ShiftedLayers(StorePaths paths, LayerStore layers)
{
    private const string ShiftedDir = "shifted";

    /// <summary>Where the copy of the layer for the maps named key is (an overlay lower dir).</summary>
    public string ContentDir(string diffId, string key) => Path.Combine(paths.LayerDir(diffId), ShiftedDir, key);

    /// <summary>The copy of the layer for the maps named key, made now unless it is there; toHost gives each file its owner.</summary>
    public string Ensure(string diffId, string key, OwnerMap toHost)
    {
        var target = ContentDir(diffId, key);
        if (Directory.Exists(target))
            return target;
        var source = layers.ContentDir(diffId);
        if (!Directory.Exists(source))
            throw Errors.Errors.InvalidLayer($"Layer {diffId} is not unpacked in the store: pull or import its image again.", diffId);
        var staged = Staging.NewPath(paths, "-shifted");
        try
        {
            Directory.CreateDirectory(staged);
            Copy(source, staged, toHost);
            ShiftedCapabilities.Copy(source, staged, toHost);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            try
            {
                Directory.Move(staged, target);
            }
            catch (IOException) when (Directory.Exists(target))
            {
                // another process made the same copy first
            }
        }
        finally
        {
            if (Directory.Exists(staged))
                Directory.Delete(staged, recursive: true);
        }
        return target;
    }

    /// <summary>Removes the copies whose (layer, key) is not in used.</summary>
    public void CollectUnused(IReadOnlySet<(string DiffId, string Key)> used)
    {
        foreach (var diffId in layers.All())
        {
            var dir = Path.Combine(paths.LayerDir(diffId), ShiftedDir);
            if (!Directory.Exists(dir))
                continue;
            foreach (var copy in Directory.EnumerateDirectories(dir).ToList())
            {
                if (used.Contains((diffId, Path.GetFileName(copy))))
                    continue;
                // renamed away first, so no half-removed copy is ever mounted
                var doomed = Staging.NewPath(paths);
                Directory.Move(copy, doomed);
                Directory.Delete(doomed, recursive: true);
            }
        }
    }

    /// <summary>The layer's files as a tar, unpacked as they are written with their owners shifted: whiteouts and opaque directories go across as they are.</summary>
    private static void Copy(string source, string target, OwnerMap toHost)
    {
        using var pipe = new AnonymousPipeServerStream(PipeDirection.In);
        using var writerEnd = new AnonymousPipeClientStream(PipeDirection.Out, pipe.ClientSafePipeHandle);
        var writing = Task.Run(() =>
        {
            try
            {
                LayerArchive.Write(source, writerEnd, fromOverlayUpper: true);
            }
            finally
            {
                writerEnd.Dispose();
            }
        });
        var unpacked = false;
        try
        {
            LayerUnpacker.Unpack(pipe, target, owners: toHost);
            pipe.CopyTo(Stream.Null); // the end records the reader left
            unpacked = true;
        }
        finally
        {
            // a failed unpack leaves the writer blocked on a full pipe: closing the read end frees it
            pipe.Dispose();
            try
            {
                writing.GetAwaiter().GetResult();
            }
            catch (Exception) when (!unpacked)
            {
                // the broken pipe that follows the unpack's failure, reported already
            }
        }
        // the tar holds no entry for the root itself
        var fd = Linux.Libc.Open(source, Linux.Libc.O_PATH | Linux.Libc.O_DIRECTORY | Linux.Libc.O_CLOEXEC, 0);
        Linux.Libc.Check(fd < 0 ? -1 : 0, $"open '{source}'", source);
        Linux.FileStatus.Metadata root;
        try
        {
            root = Linux.FileStatus.Of(fd) ?? throw Errors.Errors.PathNotFound(source);
        }
        finally
        {
            Linux.Libc.Close(fd);
        }
        var (uid, gid) = toHost(root.Uid, root.Gid);
        Linux.Libc.Check(Linux.Libc.Lchown(target, uid, gid), $"chown '{target}'", target);
        Linux.Libc.Check(Linux.Libc.Chmod(target, root.Mode & 0xFFF), $"chmod '{target}'", target);
    }
}
