using System.IO.Pipes;
using Container.Runtime.Images;
using Container.Runtime.Linux;

namespace Container.Runtime.Containers;

/// <summary>
/// Copies between two roots (a container's and the host's "/") with docker cp's rules:
/// a file lands at the destination's name, or in it when it is a directory; a directory is
/// made at the destination's name, or copied into it when it is one ("dir/." copies only
/// what is in it); the destination's parent must exist. Paths resolve inside their root,
/// links and ".." included, so nothing outside it is read or written; owners, modes and
/// times go with the files; a link is copied as a link. A device node, FIFO or socket at
/// the destination is never replaced, and a copy that fails takes away what it made.
/// </summary>
internal static class FileCopy
{
    /// <param name="makeDevices">Whether device nodes in the source are made at the destination (never on the host).</param>
    /// <param name="owners">The owner each file gets at the destination from its owner at the source (into or out of a user namespace); null keeps them.</param>
    public static void Copy(RootedPath sourceRoot, string source, RootedPath destinationRoot, string destination, bool makeDevices, OwnerMap? owners = null)
    {
        var contentsOnly = source.EndsWith("/.", StringComparison.Ordinal);
        var trimmed = (contentsOnly ? source[..^2] : source).TrimEnd('/');
        var sourceName = Path.GetFileName(trimmed);
        contentsOnly |= sourceName.Length == 0; // the root: what is in it
        // "dir/" and "dir/." name the directory a link leads to; "link" names the link itself
        var follow = contentsOnly || source.EndsWith('/');
        using var anchor = sourceRoot.Resolve(follow ? trimmed : ParentOf(trimmed), followFinalLink: true)
                           ?? throw Errors.Errors.PathNotFound(source);
        var sourcePath = follow ? anchor.Path + "/." : $"{anchor.Path}/{sourceName}";
        var sourceKind = FileStatus.KindOf(sourcePath);
        if (sourceKind == FileStatus.Kind.Missing)
            throw Errors.Errors.PathNotFound(source);
        if (follow && sourceKind != FileStatus.Kind.Directory)
            throw Errors.Errors.InvalidArgument("NotADirectory", $"'{source}' is not a directory.", source);
        if (FileStatus.IsSocket(sourcePath))
            throw Errors.Errors.InvalidArgument("UnsupportedFileType", $"'{source}' is a socket: a copy cannot hold one.", source);
        var sourceIsDirectory = sourceKind == FileStatus.Kind.Directory;

        using var existing = destinationRoot.Resolve(destination, followFinalLink: true);
        RootedPath target;
        string? name;
        if (existing?.Kind == FileStatus.Kind.Directory)
            (target, name) = (existing, contentsOnly ? null : sourceName);
        else if (existing?.Kind == FileStatus.Kind.Special)
            throw Errors.Errors.InvalidArgument("CannotOverwrite",
                $"'{destination}' is a device node, FIFO or socket: a copy never replaces one.", destination);
        else
        {
            if (destination.EndsWith('/'))
                throw existing == null
                    ? Errors.Errors.InvalidArgument("DestinationMissing", $"The directory '{destination}' does not exist.", destination)
                    : Errors.Errors.InvalidArgument("NotADirectory", $"'{destination}' is not a directory.", destination);
            if (existing != null && sourceIsDirectory)
                throw Errors.Errors.InvalidArgument("CannotOverwrite", $"'{destination}' is a file: a directory cannot be copied onto it.", destination);
            target = destinationRoot.Resolve(ParentOf(destination), followFinalLink: true) is { Kind: FileStatus.Kind.Directory } parent
                ? parent
                : throw Errors.Errors.InvalidArgument("DestinationMissing", $"The parent directory of '{destination}' does not exist.", destination);
            name = Path.GetFileName(destination);
        }
        try
        {
            Stream(sourcePath, name, target.Path, makeDevices, owners);
        }
        finally
        {
            if (target != existing)
                target.Dispose();
        }
    }

    private static string ParentOf(string path)
    {
        var trimmed = path.TrimEnd('/');
        var slash = trimmed.LastIndexOf('/');
        return slash <= 0 ? "/" : trimmed[..slash];
    }

    /// <summary>A tar of the source, named name (its contents alone when null), unpacked into target as it is written.</summary>
    private static void Stream(string sourcePath, string? name, string target, bool makeDevices, OwnerMap? owners) =>
        StreamInto(output =>
        {
            if (name == null)
                LayerArchive.Write(sourcePath, output);
            else
                LayerArchive.WriteTree(sourcePath, name, output);
        }, target, makeDevices, owners);

    /// <summary>
    /// The tar write writes, unpacked into target as it is written (through a pipe: no copy of
    /// it is kept), as a copy's entries are: none may leave target, and a failure takes away
    /// what was made.
    /// </summary>
    public static void StreamInto(Action<Stream> write, string target, bool makeDevices, OwnerMap? owners)
    {
        Exception? failure = null;
        using var pipe = new AnonymousPipeServerStream(PipeDirection.In);
        using var writerEnd = new AnonymousPipeClientStream(PipeDirection.Out, pipe.ClientSafePipeHandle);
        var writing = Task.Run(() =>
        {
            try
            {
                write(writerEnd);
            }
            finally
            {
                writerEnd.Dispose();
            }
        });
        try
        {
            // the copy stands only once the writer is done too: a source that fails to read (between entries,
            // where the tar looks complete) undoes it as a failed unpack does
            LayerUnpacker.CopyInto(pipe, target, makeDevices, whenUnpacked: () =>
            {
                // the reader may stop at the first of the two end records: let the writer finish
                pipe.CopyTo(System.IO.Stream.Null);
                writing.GetAwaiter().GetResult();
            }, owners);
        }
        catch (Exception e)
        {
            failure = e;
            throw;
        }
        finally
        {
            // a failed unpack leaves the writer blocked on a full pipe: closing the read end frees it
            pipe.Dispose();
            try
            {
                writing.GetAwaiter().GetResult();
            }
            catch (Exception) when (failure != null)
            {
                // the broken pipe that follows, or the writer's own failure: reported already
            }
        }
    }
}
