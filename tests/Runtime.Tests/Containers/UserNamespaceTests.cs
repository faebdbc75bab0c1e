using Container.Runtime.Containers;
using Container.Runtime.Errors;
using Container.Runtime.Images;
using Container.Runtime.Linux;
using Container.Runtime.Volumes;
using Container.Tests.Fixtures;
using Xunit;

namespace Container.Tests.Containers;

/// <summary>
/// Containers in a user namespace (-UidMap 0:100000:65536): root inside, an unprivileged
/// range on the host, and their files (layers, writable layer, volumes, copies, commits)
/// owned as the maps say, on the host and inside.
/// </summary>
[Trait("Category", "Kernel")]
public sealed class UserNamespaceTests : IDisposable
{
    private const uint HostRoot = 100000;
    private static readonly string[] Map = ["0:100000:65536"];
    private readonly TestStore store = new();
    private readonly string host;

    public UserNamespaceTests()
    {
        host = Path.Combine(store.Root, "host");
        Directory.CreateDirectory(host);
    }

    public void Dispose()
    {
        store.Dispose();
        Assert.DoesNotContain(MountTable.Read(), m => m.MountPoint.StartsWith(store.Root, StringComparison.Ordinal));
    }

    private (ContainerInfo Container, string Output) Run(string name, string script, IReadOnlyList<ContainerMount>? mounts = null, string image = TestStore.Image,
        string? runtime = null, string? network = null)
    {
        store.Containers.Create(new ContainerSpec { Image = image, Name = name, Command = ["sh", "-c", script], Mounts = mounts, UidMap = Map, Runtime = runtime, Network = network });
        store.Containers.Start(name);
        var exited = store.Containers.Wait(name, TimeSpan.FromSeconds(60));
        return (exited, store.Output(name));
    }

    private static (uint Uid, uint Gid) OwnerOf(string path)
    {
        var fd = Libc.Open(path, Libc.O_PATH | Libc.O_NOFOLLOW | Libc.O_CLOEXEC, 0);
        Assert.True(fd >= 0, path);
        try
        {
            var metadata = FileStatus.Of(fd)!;
            return (metadata.Uid, metadata.Gid);
        }
        finally
        {
            Libc.Close(fd);
        }
    }

    [Fact]
    public void ItRunsAsRootInsideOnTheMappedRangeAndWritesItsRootfs()
    {
        var (container, output) = Run("userns", "id -u; id -g; cat /proc/self/uid_map /proc/self/gid_map | tr -s ' '; " +
            "stat -c '%u:%g' /bin/busybox /etc; echo written > /new-file; stat -c '%u:%g' /new-file");
        Assert.True(container.ExitCode == 0, output);
        Assert.Equal(["0", "0", " 0 100000 65536", " 0 100000 65536", "0:0", "0:0", "0:0"], output.Split('\n'));
        var upper = Path.Combine(container.Path, "upper");
        Assert.Equal((HostRoot, HostRoot), OwnerOf(Path.Combine(upper, "new-file")));
        Assert.Equal((HostRoot, HostRoot), OwnerOf(upper));
        // the way to its rootfs open to its root: the store's directories passed through, its own only by its root's group
        Assert.Equal((UnixFileMode)0b111_001_001, File.GetUnixFileMode(store.Root));
        Assert.Equal((UnixFileMode)0b111_001_001, File.GetUnixFileMode(store.Paths.ContainersDir));
        Assert.Equal((UnixFileMode)0b111_001_000, File.GetUnixFileMode(container.Path));
        Assert.Equal((0u, HostRoot), OwnerOf(container.Path));
    }

    [Fact]
    public void ANamedVolumeItFillsIsOwnedByTheMappedRoot()
    {
        var (container, output) = Run("writer", "stat -c '%u:%g' /v; echo data > /v/file; stat -c '%u:%g' /v/file", [MountParser.ParseVolume("mapped:/v", "/")]);
        Assert.True(container.ExitCode == 0, output);
        Assert.Equal(["0:0", "0:0"], output.Split('\n'));
        var data = store.Engine.Volumes.Get("mapped").Mountpoint;
        Assert.Equal((HostRoot, HostRoot), OwnerOf(data));
        Assert.Equal((HostRoot, HostRoot), OwnerOf(Path.Combine(data, "file")));
    }

    [Fact]
    public void AVolumeSubpathIsBoundForItsRootToo()
    {
        store.Engine.Volumes.Create(new VolumeSpec { Name = "tree" });
        var data = store.Engine.Volumes.Get("tree").Mountpoint;
        Directory.CreateDirectory(Path.Combine(data, "a", "b"));
        File.WriteAllText(Path.Combine(data, "a", "b", "f"), "deep");
        var (container, output) = Run("sub", "cat /s/f", [MountParser.ParseMount("source=tree,target=/s,volume-subpath=a/b")]);
        Assert.True(container.ExitCode == 0, output);
        Assert.Equal("deep", output);
    }

    [Fact]
    public void TheImagesFilesCopiedIntoAVolumeKeepTheirShiftedOwners()
    {
        Assert.Equal(0, store.Run("seed", "sh", "-c", "chown 1234:5678 /etc/passwd").Container.ExitCode);
        store.Containers.Commit("seed", ImageReference.Parse("seeded:test"));
        var (container, output) = Run("copier", "stat -c '%u:%g' /etc/passwd /etc/group", [MountParser.ParseVolume("etc-copy:/etc", "/")], image: "seeded:test");
        Assert.True(container.ExitCode == 0, output);
        Assert.Equal(["1234:5678", "0:0"], output.Split('\n'));
        var data = store.Engine.Volumes.Get("etc-copy").Mountpoint;
        Assert.Equal((HostRoot + 1234, HostRoot + 5678), OwnerOf(Path.Combine(data, "passwd")));
        Assert.Equal((HostRoot, HostRoot), OwnerOf(Path.Combine(data, "group")));
    }

    [Fact]
    public void ABindShowsItsHostFilesAsTheirMappedIdsAndATmpfsIsRootsInside()
    {
        File.WriteAllText(Path.Combine(host, "mapped"), "m");
        Libc.Check(Libc.Lchown(Path.Combine(host, "mapped"), HostRoot + 7, HostRoot + 8), "chown", null);
        File.WriteAllText(Path.Combine(host, "unmapped"), "u");
        // the bind's source must be reachable by the mapped root, as for any runtime
        File.SetUnixFileMode(host, (UnixFileMode)0b111_101_101);
        var (container, output) = Run("bind", "stat -c '%u:%g' /b/mapped /b/unmapped; stat -c '%u:%g' /scratch",
            [MountParser.ParseVolume($"{host}:/b", "/"), MountParser.ParseTmpfs("/scratch")]);
        Assert.True(container.ExitCode == 0, output);
        Assert.Equal(["7:8", "65534:65534", "0:0"], output.Split('\n'));
        Assert.Equal((0u, 0u), OwnerOf(Path.Combine(host, "unmapped"))); // a bind is never chowned, as docker leaves it
    }

    [Fact]
    public void CopiesInAndOutKeepTheContainersIds()
    {
        store.Containers.Create(new ContainerSpec { Image = TestStore.Image, Name = "copy", Command = ["sh", "-c", "stat -c '%u:%g' /in.txt"], UidMap = Map });
        var source = Path.Combine(host, "in.txt");
        File.WriteAllText(source, "in");
        Libc.Check(Libc.Lchown(source, 1000, 1001), "chown", null);
        store.Containers.CopyToContainer("copy", source, "/in.txt");
        var upper = Path.Combine(store.Containers.Get("copy").Path, "upper");
        Assert.Equal((HostRoot + 1000, HostRoot + 1001), OwnerOf(Path.Combine(upper, "in.txt")));
        store.Containers.Start("copy");
        store.Containers.Wait("copy", TimeSpan.FromSeconds(30));
        Assert.Equal("1000:1001", store.Output("copy"));

        var back = Path.Combine(host, "back.txt");
        store.Containers.CopyFromContainer("copy", "/in.txt", back);
        Assert.Equal((1000u, 1001u), OwnerOf(back));
        store.Containers.CopyFromContainer("copy", "/bin/busybox", Path.Combine(host, "busybox"));
        Assert.Equal((0u, 0u), OwnerOf(Path.Combine(host, "busybox")));
    }

    [Fact]
    public void ACommitHoldsTheContainersIdsNotTheHosts()
    {
        Assert.Equal(0, Run("committed", "echo x > /made; chown 42:43 /made").Container.ExitCode);
        store.Containers.Commit("committed", ImageReference.Parse("from-userns:test"));
        // outside any user namespace, the image's files have the ids the container gave them
        store.Containers.Create(new ContainerSpec { Image = "from-userns:test", Name = "plain", Command = ["stat", "-c", "%u:%g", "/made", "/etc/passwd"] });
        store.Containers.Start("plain");
        var container = store.Containers.Wait("plain", TimeSpan.FromSeconds(30));
        var output = store.Output("plain");
        Assert.True(container.ExitCode == 0, output);
        Assert.Equal(["42:43", "0:0"], output.Split('\n'));
    }

    [Fact]
    public void TheShiftedLayersAreMadeOncePerMapAndGoWithTheLastContainerOnThem()
    {
        var layer = store.Engine.Images.Get(TestStore.Image).Layers.Single();
        var shifted = Path.Combine(store.Paths.LayerDir(layer), "shifted");
        store.Containers.Create(new ContainerSpec { Image = TestStore.Image, Name = "a", Command = ["true"], UidMap = Map });
        store.Containers.Create(new ContainerSpec { Image = TestStore.Image, Name = "b", Command = ["true"], UidMap = Map, GidMap = ["0:100000:65536"] });
        store.Containers.Create(new ContainerSpec { Image = TestStore.Image, Name = "c", Command = ["true"], UidMap = ["0:200000:65536"] });
        Assert.Equal(2, Directory.GetDirectories(shifted).Length);
        var copy = Directory.GetDirectories(shifted).Single(d => OwnerOf(Path.Combine(d, "bin", "busybox")).Uid == HostRoot);
        Assert.Equal((HostRoot, HostRoot), OwnerOf(copy));

        store.Containers.Remove("c", force: false);
        Assert.Equal([copy], Directory.GetDirectories(shifted));
        store.Containers.Remove("a", force: false);
        Assert.Equal([copy], Directory.GetDirectories(shifted)); // b runs on it still
        store.Containers.Remove("b", force: false);
        Assert.Empty(Directory.GetDirectories(shifted));
        Assert.True(Directory.Exists(store.Engine.Images.LayerDirectory(layer)));
    }

    [Theory]
    [InlineData("0:100000", "give container:host:size")]
    [InlineData("a:100000:65536", "give container:host:size")]
    [InlineData("0:100000:0", "its size is 0")]
    [InlineData("0:4294967290:65536", "past the highest id")]
    [InlineData("0:100000:99999999999", "above 4294967295")]
    [InlineData("1:100000:65536", "does not map the container's root")]
    public void ABadMapIsRefusedBeforeAnythingIsMade(string map, string why)
    {
        var error = Assert.Throws<ContainerException>(() => store.Containers.Create(new ContainerSpec
        {
            Image = TestStore.Image, Name = "bad", Command = ["true"], UidMap = [map],
        }));
        Assert.Equal(("InvalidIdMapping", ErrorKind.InvalidArgument), (error.ErrorId, error.Kind));
        Assert.Contains(why, error.Message);
        Assert.Empty(store.Containers.List());
        Assert.Empty(Directory.GetFileSystemEntries(store.Paths.NamesDir));
    }

    [Theory]
    [InlineData(new[] { "0:100000:65536", "60000:300000:10" }, "container ids overlap")]
    [InlineData(new[] { "0:100000:1000", "1000:100500:10" }, "host ids overlap")]
    public void OverlappingRangesAreRefused(string[] map, string why)
    {
        var error = Assert.Throws<ContainerException>(() => store.Containers.Create(new ContainerSpec
        {
            Image = TestStore.Image, Name = "bad", Command = ["true"], GidMap = map,
        }));
        Assert.Equal("InvalidIdMapping", error.ErrorId);
        Assert.Contains(why, error.Message);
        Assert.Contains("--gidmap", error.Message);
        Assert.Empty(store.Containers.List());
    }

    [Fact]
    public void ExecJoinsItsNamespaceAndAnInitRunsInIt()
    {
        store.Containers.Create(new ContainerSpec
        {
            Image = TestStore.Image, Name = "box", Command = ["sh", "-c", "touch /ready; exec sleep 1000"], UidMap = Map, Init = true,
        });
        store.Containers.Start("box");
        var lines = new List<string>();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (store.Containers.Exec("box", new ExecSpec { Command = ["test", "-e", "/ready"] }, (_, _) => { }) != 0)
            Assert.True(DateTime.UtcNow < deadline, "the container never got ready");
        var code = store.Containers.Exec("box", new ExecSpec { Command = ["sh", "-c", "id -u; cat /proc/self/uid_map | tr -s ' '; cat /proc/1/cmdline | tr '\\0' ' '"] },
            (_, line) => lines.Add(line));
        Assert.Equal(0, code);
        Assert.Equal(["0", " 0 100000 65536", "/dev/init sh -c touch /ready; exec sleep 1000 "], lines);
        store.Containers.Stop("box", TimeSpan.Zero, force: true);
    }

    [Fact]
    public void OnTheHostsNetworkItRunsAndHasASys()
    {
        // its user namespace owns no network namespace, so may mount no sysfs: /sys is there, read-only, all the same
        var (container, output) = Run("on-host", "id -u; test -d /sys/class/net && echo SYS; (touch /sys/x) 2>/dev/null || echo READ-ONLY; " +
            "test -e /sys/fs/cgroup/cgroup.controllers -o -d /sys/fs/cgroup/memory && echo CGROUPS", network: "host");
        Assert.True(container.ExitCode == 0, output);
        Assert.Equal(["0", "SYS", "READ-ONLY", "CGROUPS"], output.Split('\n'));
    }

    [SkippableTheory]
    [InlineData(null)]
    [InlineData("crun")]
    [InlineData("runc")]
    public void OnABridgeItServesAPublishedLowPort(string? peer)
    {
        // the runtime joins the network's namespace, which the host's user namespace owns, before it makes the container's user namespace
        Skip.If(peer != null && !File.Exists($"/usr/bin/{peer}") && !File.Exists($"/usr/sbin/{peer}"), $"{peer} is not installed");
        using var host = Networks.KernelEngineHost.Create();
        host.Containers.Create(new ContainerSpec
        {
            Image = TestStore.Image, Name = "web", Network = "bridge", Publish = ["8080:80"], UidMap = Map,
            Runtime = peer != null ? Conformance.Oci.Path(peer) : null,
            Command = ["sh", "-c", "id -u > /tmp/index.html && cat /proc/self/uid_map >> /tmp/index.html && exec httpd -f -p 80 -h /tmp"],
        });
        host.Containers.Start("web");
        // its root binds port 80 in a namespace it has no privilege over
        var served = host.Get(8080);
        Assert.Contains("\r\n\r\n0\n", served);
        Assert.Contains(" 0 100000 65536", System.Text.RegularExpressions.Regex.Replace(served, " +", " "));
    }

    [SkippableTheory]
    [InlineData("crun")]
    [InlineData("runc")]
    public void APeerRuntimeRunsTheSameBundle(string runtime)
    {
        Skip.IfNot(File.Exists($"/usr/bin/{runtime}") || File.Exists($"/usr/sbin/{runtime}"), $"{runtime} is not installed");
        var path = Conformance.Oci.Path(runtime);
        var (container, output) = Run($"under-{runtime}", "id -u; cat /proc/self/uid_map | tr -s ' '; echo x > /v/f; echo y > /new; stat -c %u:%g /v/f /new",
            [MountParser.ParseVolume($"peer-{runtime}:/v", "/")], runtime: path);
        Assert.True(container.ExitCode == 0, output);
        Assert.Equal(["0", " 0 100000 65536", "0:0", "0:0"], output.Split('\n'));
        Assert.Equal((HostRoot, HostRoot), OwnerOf(Path.Combine(store.Engine.Volumes.Get($"peer-{runtime}").Mountpoint, "f")));
    }

    [Fact]
    public async Task ConcurrentMakersOfOneShiftedCopyAllGetTheOneCopy()
    {
        var layer = store.Engine.Images.Get(TestStore.Image).Layers.Single();
        var users = UserNamespace.From(Map, null)!;
        using var start = new Barrier(4);
        var made = Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            start.SignalAndWait();
            return store.Engine.Images.Shifted.Ensure(layer, users.Key, users.ToHostOwners);
        })).ToArray();
        var copies = await Task.WhenAll(made);
        var copy = Assert.Single(copies.Distinct());
        Assert.Equal((HostRoot, HostRoot), OwnerOf(Path.Combine(copy, "bin", "busybox")));
        Assert.Equal(Directory.GetFileSystemEntries(store.Engine.Images.LayerDirectory(layer), "*", SearchOption.AllDirectories).Length,
            Directory.GetFileSystemEntries(copy, "*", SearchOption.AllDirectories).Length);
        Assert.Empty(Directory.GetFileSystemEntries(store.Paths.StagingDir));
    }

    [Fact]
    public void AShiftedCopyKeepsALayersDeletionsAndOpaqueDirectories()
    {
        // a second layer that deletes a file and replaces a directory whole
        Assert.Equal(0, store.Run("layered", "sh", "-c", "rm /etc/group; rm -r /usr; mkdir /usr; touch /usr/only").Container.ExitCode);
        store.Containers.Commit("layered", ImageReference.Parse("layered:test"));
        Assert.Equal(2, store.Engine.Images.Get("layered:test").Layers.Count);
        var (container, output) = Run("shifted", "test -e /etc/group && echo GROUP; ls /usr; stat -c %u:%g /usr/only /etc/passwd", image: "layered:test");
        Assert.True(container.ExitCode == 0, output);
        Assert.Equal(["only", "0:0", "0:0"], output.Split('\n'));
    }

    [Fact]
    public void AnExportHoldsTheContainersIds()
    {
        Assert.Equal(0, Run("exported", "echo x > /made; chown 42:43 /made").Container.ExitCode);
        var archive = Path.Combine(host, "exported.tar");
        store.Containers.ExportFilesystem("exported", archive);
        using var reader = new System.Formats.Tar.TarReader(File.OpenRead(archive));
        var owners = new Dictionary<string, (int, int)>();
        while (reader.GetNextEntry() is { } entry)
            owners[entry.Name.TrimStart('.', '/')] = (entry.Uid, entry.Gid);
        Assert.Equal((42, 43), owners["made"]);
        Assert.Equal((0, 0), owners["bin/busybox"]);
    }

    [Fact]
    public void AFilesCapabilitiesGoWithItsShiftedCopy()
    {
        // cap_setuid+ep (v2): a binary value (0x80 is no text), which no tar of ours carries
        byte[] v2 = [0x01, 0x00, 0x00, 0x02, 0x80, 0x00, 0x00, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        var layer = store.Engine.Images.Get(TestStore.Image).Layers.Single();
        var busybox = Path.Combine(store.Engine.Images.LayerDirectory(layer), "bin", "busybox");
        Libc.Check(Libc.Lsetxattr(busybox, "security.capability", v2, (nuint)v2.Length, 0), "set a capability", busybox);
        // without no_new_privs (privileged), as a user that has no capability of its own
        store.Containers.Create(new ContainerSpec
        {
            Image = TestStore.Image, Name = "capable", User = "1000", Privileged = true, UidMap = Map,
            Command = ["/bin/busybox", "grep", "CapEff", "/proc/self/status"],
        });
        store.Containers.Start("capable");
        Assert.Equal(0, store.Containers.Wait("capable", TimeSpan.FromSeconds(30)).ExitCode);
        Assert.Equal("CapEff:\t0000000000000080", store.Output("capable"));
    }
}
