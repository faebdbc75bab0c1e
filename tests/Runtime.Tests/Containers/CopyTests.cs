using Container.Runtime.Containers;
using Container.Runtime.Errors;
using Container.Runtime.Linux;
using Container.Runtime.Logs;
using Container.Runtime.Processes;
using Container.Tests.Fixtures;
using Xunit;

namespace Container.Tests.Containers;

/// <summary>Files copied in and out of containers (docker cp): its rules, owners and modes, and no way out of the root.</summary>
[Trait("Category", "Kernel")]
public sealed class CopyTests : IDisposable
{
    private readonly TestStore store = new();
    private readonly string host;

    public CopyTests()
    {
        host = Path.Combine(store.Root, "host");
        Directory.CreateDirectory(host);
    }

    public void Dispose() => store.Dispose();

    private void StartBox(string script = "", bool privileged = false)
    {
        store.Containers.Create(new ContainerSpec
        {
            Image = TestStore.Image, Name = "box", Privileged = privileged, Command = ["sh", "-c", $"{script} touch /ready; exec sleep 1000"],
        });
        store.Containers.Start("box");
        var ready = Path.Combine(store.Containers.Get("box").Path, "upper", "ready");
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!File.Exists(ready))
        {
            Assert.True(DateTime.UtcNow < deadline, "the container never got ready");
            Thread.Sleep(10);
        }
    }

    private string Exec(string script)
    {
        var lines = new List<string>();
        store.Containers.Exec("box", new ExecSpec { Command = ["sh", "-c", script] }, (_, line) => lines.Add(line));
        return string.Join('\n', lines);
    }

    private string HostFile(string relative, string content, int uid = 0, int gid = 0, UnixFileMode mode = (UnixFileMode)0b110_100_100)
    {
        var path = Path.Combine(host, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        Libc.Lchown(path, (uint)uid, (uint)gid);
        File.SetUnixFileMode(path, mode);
        return path;
    }

    [Fact]
    public void AFileGoesInWithItsOwnerAndMode()
    {
        StartBox();
        var file = HostFile("notes.txt", "hello", uid: 1234, gid: 4321, mode: (UnixFileMode)0b110_100_000);
        store.Containers.CopyToContainer("box", file, "/tmp/notes.txt");
        Assert.Equal("hello\n1234 4321 640", Exec("cat /tmp/notes.txt; echo; stat -c '%u %g %a' /tmp/notes.txt"));
        // into a directory, by its own name; the container runs on
        store.Containers.CopyToContainer("box", file, "/etc");
        Assert.Equal("hello", Exec("cat /etc/notes.txt"));
        Assert.Equal(ContainerStatus.Running, store.Containers.Get("box").Status);
    }

    [Fact]
    public void DirectoriesFollowDockersRules()
    {
        StartBox("mkdir -p /data/old;");
        HostFile("tree/a.txt", "a");
        HostFile("tree/sub/b.txt", "b");
        Directory.CreateSymbolicLink(Path.Combine(host, "tree", "link"), "a.txt");
        var tree = Path.Combine(host, "tree");

        store.Containers.CopyToContainer("box", tree, "/fresh");         // a new directory of that name
        store.Containers.CopyToContainer("box", tree, "/data");          // into an existing one
        store.Containers.CopyToContainer("box", tree + "/.", "/data/old"); // only what is in it
        Assert.Equal(
            "/fresh/a.txt /fresh/link->a.txt /fresh/sub/b.txt " +
            "/data/tree/a.txt /data/tree/link->a.txt /data/tree/sub/b.txt " +
            "/data/old/a.txt /data/old/link->a.txt /data/old/sub/b.txt",
            Exec("for f in /fresh/a.txt /fresh/link /fresh/sub/b.txt /data/tree/a.txt /data/tree/link /data/tree/sub/b.txt " +
                 "/data/old/a.txt /data/old/link /data/old/sub/b.txt; do " +
                 "if [ -L $f ]; then printf '%s->%s ' $f $(readlink $f); elif [ -f $f ]; then printf '%s ' $f; fi; done").Trim());
    }

    [Fact]
    public void BadDestinationsAreRefusedAndChangeNothing()
    {
        StartBox("echo x > /file; ln -s /loop /loop;");
        var file = HostFile("f.txt", "f");
        var tree = Path.GetDirectoryName(HostFile("tree/a.txt", "a"))!;
        Assert.Equal("DestinationMissing", Assert.Throws<ContainerException>(() => store.Containers.CopyToContainer("box", file, "/no/such/dir/f.txt")).ErrorId);
        Assert.Equal("DestinationMissing", Assert.Throws<ContainerException>(() => store.Containers.CopyToContainer("box", file, "/newdir/")).ErrorId);
        Assert.Equal("CannotOverwrite", Assert.Throws<ContainerException>(() => store.Containers.CopyToContainer("box", tree, "/file")).ErrorId);
        Assert.Equal("PathNotFound", Assert.Throws<ContainerException>(() => store.Containers.CopyToContainer("box", Path.Combine(host, "missing"), "/tmp")).ErrorId);
        Assert.Equal("PathNotFound", Assert.Throws<ContainerException>(() => store.Containers.CopyFromContainer("box", "/missing", host)).ErrorId);
        Assert.Contains("(errno 40)", Assert.Throws<ContainerException>(() => store.Containers.CopyToContainer("box", file, "/loop/f.txt")).Message);
        // a directory in the container is never replaced by a file
        Exec("mkdir -p /tmp/f.txt/inside");
        Assert.Equal("CannotOverwrite", Assert.Throws<ContainerException>(() => store.Containers.CopyToContainer("box", file, "/tmp")).ErrorId);
        Assert.Equal("x\ninside", Exec("cat /file; ls /tmp/f.txt"));
        Assert.Equal(ContainerStatus.Running, store.Containers.Get("box").Status);
        Assert.Equal("ContainerNotFound", Assert.Throws<ContainerException>(() => store.Containers.CopyToContainer("nobody", file, "/tmp")).ErrorId);
    }

    [Fact]
    public void FilesComeOutWithTheirOwnersModesAndLinks()
    {
        StartBox("mkdir -p /out/sub; echo one > /out/one; echo two > /out/sub/two; chown 55:66 /out/one; chmod 600 /out/one; ln -s /etc/passwd /out/abs;");
        store.Containers.CopyFromContainer("box", "/out", host);
        var one = Path.Combine(host, "out", "one");
        Assert.Equal("one\n", File.ReadAllText(one));
        Assert.Equal((UnixFileMode)0b110_000_000, File.GetUnixFileMode(one));
        Assert.Equal("two\n", File.ReadAllText(Path.Combine(host, "out", "sub", "two")));
        // the link comes as a link: its target is the container's /etc/passwd, never read from the host
        Assert.Equal("/etc/passwd", new FileInfo(Path.Combine(host, "out", "abs")).LinkTarget);
        var owner = ProcessRunner.Run("stat", ["-c", "%u:%g", one]).StandardOutput.Trim();
        Assert.Equal("55:66", owner);

        // a single file, to a new name
        store.Containers.CopyFromContainer("box", "/out/sub/two", Path.Combine(host, "renamed"));
        Assert.Equal("two\n", File.ReadAllText(Path.Combine(host, "renamed")));
    }

    [Fact]
    public void LinksInTheContainerNeverLeadOut()
    {
        // links a process in the container could plant, pointing at the host's files were they followed there
        StartBox("ln -s / /escape; ln -s ../../../../../../ /up; ln -s /etc /etclink; echo container > /etc/marker;");
        var file = HostFile("planted.txt", "planted");
        var hostMarker = Path.Combine(Path.GetTempPath(), "planted.txt");
        File.Delete(hostMarker);

        store.Containers.CopyToContainer("box", file, "/escape" + Path.GetTempPath());
        store.Containers.CopyToContainer("box", file, "/up/up/up" + Path.GetTempPath());
        store.Containers.CopyToContainer("box", file, "/etclink");
        Assert.False(File.Exists(hostMarker), "a copy went out of the container");
        Assert.Equal("planted planted planted", Exec($"cat {Path.GetTempPath()}planted.txt; echo; cat /etc/planted.txt").Replace('\n', ' ') + " planted");

        store.Containers.CopyFromContainer("box", "/up/../../etc/marker", Path.Combine(host, "marker"));
        store.Containers.CopyFromContainer("box", "/escape/etc/marker", Path.Combine(host, "marker2"));
        Assert.Equal("container\n", File.ReadAllText(Path.Combine(host, "marker")));
        Assert.Equal("container\n", File.ReadAllText(Path.Combine(host, "marker2")));
    }

    private static string Owner(string path) => ProcessRunner.Run("stat", ["-c", "%u:%g %a", path]).StandardOutput.Trim();

    /// <summary>Everything under root, links and all, never followed: each path relative to root, with what it is.</summary>
    private static List<(string Path, FileStatus.Kind Kind)> Tree(string root)
    {
        var found = new List<(string, FileStatus.Kind)>();
        foreach (var entry in new DirectoryInfo(root).EnumerateFileSystemInfos())
        {
            var kind = FileStatus.KindOf(entry.FullName);
            found.Add((Path.GetRelativePath(root, entry.FullName), kind));
            if (kind == FileStatus.Kind.Directory)
                found.AddRange(Tree(entry.FullName).Select(e => (Path.Combine(entry.Name, e.Path), e.Kind)));
        }
        return found;
    }

    [Fact]
    public void ADirectoryNamedWithATrailingSlashOrDotComesOutAsADirectory()
    {
        StartBox("mkdir -p /out/sub; echo one > /out/one; echo two > /out/sub/two; ln -s /etc /out/etclink; chown 55:66 /out; chmod 750 /out;");
        var existing = Path.Combine(host, "existing");
        Directory.CreateDirectory(existing);

        store.Containers.CopyFromContainer("box", "/out/", Path.Combine(host, "slash"));  // a new directory: /out itself
        store.Containers.CopyFromContainer("box", "/out/.", Path.Combine(host, "dot"));   // a new directory of /out's contents
        store.Containers.CopyFromContainer("box", "/out/.", existing);                    // its contents, into a directory
        store.Containers.CopyFromContainer("box", "/out/", existing);                     // itself, into a directory
        foreach (var copy in new[] { "slash", "dot", "existing", "existing/out" })
        {
            var path = Path.Combine(host, copy);
            // a directory, never a link to where the container's path would lead on the host
            Assert.Equal(FileStatus.Kind.Directory, FileStatus.KindOf(path));
            Assert.Equal("one\n", File.ReadAllText(Path.Combine(path, "one")));
            Assert.Equal("two\n", File.ReadAllText(Path.Combine(path, "sub", "two")));
            // a link in the tree comes as a link, its target the container's, never followed
            Assert.Equal("/etc", new FileInfo(Path.Combine(path, "etclink")).LinkTarget);
        }
        foreach (var copy in new[] { "slash", "dot", "existing/out" })
            Assert.Equal("55:66 750", Owner(Path.Combine(host, copy)));
        Assert.NotEqual("55:66 750", Owner(existing));
    }

    [Fact]
    public void TheContainersRootComesOutWithoutTheKernelsFilesOrDevices()
    {
        StartBox("echo here > /marker; mknod /tmp/disk b 8 0; mkfifo /tmp/fifo;");
        var root = Path.Combine(host, "root");
        store.Containers.CopyFromContainer("box", "/", root);
        Assert.Equal(FileStatus.Kind.Directory, FileStatus.KindOf(root));
        Assert.Equal("here\n", File.ReadAllText(Path.Combine(root, "marker")));
        Assert.Equal("/bin/busybox", new FileInfo(Path.Combine(root, "bin", "sh")).LinkTarget);
        // /proc and /sys are the mount points alone, as docker cp leaves them
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(root, "proc")));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(root, "sys")));
        // no device node the container made (or its /dev holds) reaches the host; a FIFO may
        var tree = Tree(root);
        Assert.Equal([Path.Combine("tmp", "fifo")], tree.Where(e => e.Kind == FileStatus.Kind.Special).Select(e => e.Path));
        Assert.Null(FileStatus.DeviceNode(Path.Combine(root, "tmp", "fifo"), followLinks: false));
        // the container's copy of / into an existing directory: the same contents, no name of its own
        var existing = Path.Combine(host, "existing");
        Directory.CreateDirectory(existing);
        store.Containers.CopyFromContainer("box", "/.", existing);
        Assert.Equal("here\n", File.ReadAllText(Path.Combine(existing, "marker")));
    }

    [Fact]
    public void ADirectoryNamedWithATrailingSlashOrDotGoesInAsADirectory()
    {
        StartBox();
        HostFile("tree/a.txt", "a");
        HostFile("tree/sub/b.txt", "b");
        var tree = Path.Combine(host, "tree");
        // an absolute link on the host goes in as text: in the container it leads to the container's /etc
        Directory.CreateSymbolicLink(Path.Combine(tree, "etclink"), "/etc");

        store.Containers.CopyToContainer("box", tree + "/", "/slash");
        store.Containers.CopyToContainer("box", tree + "/.", "/dot");
        Assert.Equal("slash: a b /etc\ndot: a b /etc",
            Exec("for d in /slash /dot; do if [ -L $d ]; then echo \"$d is a link\"; else echo \"${d#/}: $(cat $d/a.txt) $(cat $d/sub/b.txt) $(readlink $d/etclink)\"; fi; done"));
    }

    [Fact]
    public void ADeviceNodeFifoOrSocketIsNeverReplaced()
    {
        StartBox("echo secret > /x; mkdir -p /d/node; echo inner > /d/node/file; echo flat > /d/flat; mknod /tmp/node c 1 3; mkfifo /tmp/fifo;");
        // the test's own nodes, in its own directory: a copy of the null device, a FIFO, a socket
        var nodes = Path.Combine(host, "nodes");
        Directory.CreateDirectory(nodes);
        var device = Path.Combine(nodes, "null-copy");
        var fifo = Path.Combine(nodes, "fifo");
        var socketPath = Path.Combine(nodes, "socket");
        Libc.Check(Libc.Mknod(device, Libc.S_IFCHR | 0b110_110_110, Libc.MakeDevice(1, 3)), "mknod", device);
        Libc.Check(Libc.Mknod(fifo, Libc.S_IFIFO | 0b110_100_100, 0), "mkfifo", fifo);
        using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified);
        socket.Bind(new System.Net.Sockets.UnixDomainSocketEndPoint(socketPath));
        Directory.CreateSymbolicLink(Path.Combine(nodes, "link-to-device"), device);
        var made = FileStatus.DeviceNode(device, followLinks: false);
        Assert.NotNull(made);

        foreach (var node in new[] { device, fifo, socketPath, Path.Combine(nodes, "link-to-device") })
            Assert.Equal("CannotOverwrite", Assert.Throws<ContainerException>(() => store.Containers.CopyFromContainer("box", "/x", node)).ErrorId);
        // nor inside a directory copied into: the file beside it is copied, then the copy stops and takes it away again
        var merge = Path.Combine(host, "merge");
        Directory.CreateDirectory(merge);
        var inner = Path.Combine(merge, "node");
        Libc.Check(Libc.Mknod(inner, Libc.S_IFIFO | 0b110_100_100, 0), "mkfifo", inner);
        Assert.Equal("CannotOverwrite", Assert.Throws<ContainerException>(() => store.Containers.CopyFromContainer("box", "/d/.", merge)).ErrorId);

        Assert.Equal(made, FileStatus.DeviceNode(device, followLinks: false));
        Assert.Equal(FileStatus.Kind.Special, FileStatus.KindOf(fifo));
        Assert.True(FileStatus.IsSocket(socketPath));
        Assert.Equal(["fifo", "link-to-device", "null-copy", "socket"], Directory.EnumerateFileSystemEntries(nodes).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal([("node", FileStatus.Kind.Special)], Tree(merge));

        // in the container the same: its device node and FIFO stay what they are
        var file = HostFile("f.txt", "f");
        Assert.Equal("CannotOverwrite", Assert.Throws<ContainerException>(() => store.Containers.CopyToContainer("box", file, "/tmp/node")).ErrorId);
        Assert.Equal("CannotOverwrite", Assert.Throws<ContainerException>(() => store.Containers.CopyToContainer("box", file, "/tmp/fifo")).ErrorId);
        Assert.Equal("char fifo", Exec("[ -c /tmp/node ] && printf 'char '; [ -p /tmp/fifo ] && echo fifo"));
    }

    [Fact]
    public void AFailedCopyLeavesNothingHalfMade()
    {
        // a privileged container mounts a small tmpfs: a copy into it runs out of space half-way
        StartBox("mkdir /small && mount -t tmpfs -o size=64k tmpfs /small && echo old > /small/keep &&", privileged: true);
        HostFile("tree/a.txt", "a");
        HostFile("tree/sub/b.txt", "b");
        var big = HostFile("tree/sub/zbig", new string('x', 256 * 1024));

        Assert.Throws<ContainerException>(() => store.Containers.CopyToContainer("box", Path.Combine(host, "tree"), "/small/new"));
        Assert.Throws<ContainerException>(() => store.Containers.CopyToContainer("box", Path.Combine(host, "tree") + "/.", "/small"));
        // a file the copy would replace stays whole
        Assert.Throws<ContainerException>(() => store.Containers.CopyToContainer("box", big, "/small/keep"));
        var lines = new List<string>();
        store.Containers.Exec("box", new ExecSpec { Command = ["sh", "-c", "ls -A /small; cat /small/keep"] },
            (stream, line) => { if (stream == LogStream.Stdout) lines.Add(line); });
        Assert.Equal(["keep", "old"], lines);
    }

    [Fact]
    public void AStoppedContainerTakesFilesToo()
    {
        store.Containers.Create(new ContainerSpec { Image = TestStore.Image, Name = "box", Command = ["cat", "/greeting"] });
        store.Containers.CopyToContainer("box", HostFile("greeting", "hi there"), "/");
        var info = store.Containers.Get("box");
        Assert.False(Mounts.Host.IsMountPoint(Path.Combine(info.Path, "rootfs")), "the rootfs stayed mounted");
        store.Containers.Start("box");
        store.Containers.Wait("box", TimeSpan.FromSeconds(30));
        Assert.Equal("hi there", store.Output("box"));

        store.Containers.CopyFromContainer("box", "/greeting", Path.Combine(host, "back"));
        Assert.Equal("hi there", File.ReadAllText(Path.Combine(host, "back")));
        Assert.False(Mounts.Host.IsMountPoint(Path.Combine(info.Path, "rootfs")));
    }
}
