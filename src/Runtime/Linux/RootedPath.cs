using System.Runtime.InteropServices;
using System.Text;

namespace Container.Runtime.Linux;

/// <summary>
/// A path inside a root directory (a container's), resolved as a process chrooted there
/// would resolve it: absolute symbolic links start again at the root, and ".." never
/// climbs above it. Each step opens the next name with O_PATH|O_NOFOLLOW relative to the
/// directory before, so no link, however it was made, reaches outside. The result is an
/// open descriptor, reached through <see cref="Path"/> (/proc/self/fd/N): the place cannot
/// be swapped under the caller.
/// </summary>
internal sealed class RootedPath : IDisposable
{
    private const int MaxLinks = 40; // as the kernel's own limit

    private RootedPath(int fd) => Descriptor = fd;

    public int Descriptor { get; private set; }

    /// <summary>A path that leads to the place itself, for calls that take paths.</summary>
    public string Path => $"/proc/self/fd/{Descriptor}";

    public FileStatus.Kind Kind => FileStatus.KindOf(Descriptor);

    /// <summary>The place's path on the host, as the kernel names the descriptor: the resolution's result, with no link left in it.</summary>
    public string HostPath => new FileInfo(Path).LinkTarget ?? throw Errors.Errors.SystemCall($"read the path of '{Path}'", Libc.ENOENT, Path);

    /// <summary>The root itself: a directory, opened by its host path.</summary>
    public static RootedPath OpenRoot(string directory)
    {
        var fd = Libc.Open(directory, Libc.O_PATH | Libc.O_DIRECTORY | Libc.O_CLOEXEC, 0);
        Libc.Check(fd < 0 ? -1 : 0, $"open '{directory}'", directory);
        return new RootedPath(fd);
    }

    /// <summary>
    /// What path names under this root; a final symbolic link is followed only when asked.
    /// Null when a name on the way does not exist; an error when the way is not a directory.
    /// </summary>
    public RootedPath? Resolve(string path, bool followFinalLink)
    {
        var chain = new List<int> { Libc.Dup(Descriptor) }; // the directories from the root down
        var pending = new LinkedList<string>(Split(path));
        var links = 0;
        try
        {
            while (pending.First is { } first)
            {
                var name = first.Value;
                pending.RemoveFirst();
                if (name == "..")
                {
                    if (chain.Count > 1)
                        Pop(chain);
                    continue;
                }
                var fd = Libc.Openat(chain[^1], name, Libc.O_PATH | Libc.O_NOFOLLOW | Libc.O_CLOEXEC, 0);
                if (fd < 0)
                {
                    if (Marshal.GetLastPInvokeError() == Libc.ENOENT)
                        return null;
                    Libc.Check(-1, $"open '{name}' in '{path}'", path);
                }
                var kind = FileStatus.KindOf(fd);
                var isFinal = pending.Count == 0;
                if (kind == FileStatus.Kind.SymbolicLink && (!isFinal || followFinalLink))
                {
                    var target = ReadLink(fd, path);
                    Libc.Close(fd);
                    if (++links > MaxLinks)
                        throw Errors.Errors.SystemCall($"resolve '{path}'", Libc.ELOOP, path);
                    if (target.StartsWith('/'))
                        while (chain.Count > 1)
                            Pop(chain);
                    foreach (var part in Split(target).Reverse())
                        pending.AddFirst(part);
                    continue;
                }
                if (!isFinal && kind != FileStatus.Kind.Directory)
                {
                    Libc.Close(fd);
                    throw Errors.Errors.SystemCall($"resolve '{path}'", Libc.ENOTDIR, path);
                }
                chain.Add(fd);
            }
            var result = chain[^1];
            chain.RemoveAt(chain.Count - 1);
            return new RootedPath(result);
        }
        finally
        {
            foreach (var fd in chain)
                Libc.Close(fd);
        }
    }

    private static IEnumerable<string> Split(string path) => path.Split('/').Where(p => p.Length > 0 && p != ".");

    private static void Pop(List<int> chain)
    {
        Libc.Close(chain[^1]);
        chain.RemoveAt(chain.Count - 1);
    }

    private static string ReadLink(int fd, string path)
    {
        var buffer = new byte[4096];
        var n = Libc.Readlinkat(fd, "", buffer, (nuint)buffer.Length);
        Libc.Check(n < 0 ? -1 : 0, $"read the link in '{path}'", path);
        return Encoding.UTF8.GetString(buffer, 0, (int)n);
    }

    public void Dispose()
    {
        if (Descriptor >= 0)
            Libc.Close(Descriptor);
        Descriptor = -1;
    }
}
