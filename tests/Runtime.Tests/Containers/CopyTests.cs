using Container.Runtime.Containers;
using Container.Runtime.Errors;
using Container.Runtime.Linux;
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

    private void StartBox(string script = "")
    {
        store.Containers.Create(new ContainerSpec
        {
            Image = TestStore.Image, Name = "box", Command = ["sh", "-c", $"{script} touch /ready; exec sleep 1000"],
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

    [Fact]
    public void AStoppedContainerTakesFilesToo()
    {
        store.Containers.Create(new ContainerSpec { Image = TestStore.Image, Name = "box", Command = ["cat", "/greeting"] });
        store.Containers.CopyToContainer("box", HostFile("greeting", "hi there"), "/");
        var info = store.Containers.Get("box");
        Assert.False(Mounts.IsMountPoint(Path.Combine(info.Path, "rootfs")), "the rootfs stayed mounted");
        store.Containers.Start("box");
        store.Containers.Wait("box", TimeSpan.FromSeconds(30));
        Assert.Equal("hi there", store.Output("box"));

        store.Containers.CopyFromContainer("box", "/greeting", Path.Combine(host, "back"));
        Assert.Equal("hi there", File.ReadAllText(Path.Combine(host, "back")));
        Assert.False(Mounts.IsMountPoint(Path.Combine(info.Path, "rootfs")));
    }
}
