using Container.Runtime.Containers;
using Container.Runtime.Errors;
using Container.Runtime.Images;
using Container.Runtime.Linux;
using Container.Runtime.Processes;
using Container.Runtime.Volumes;
using Container.Tests.Fixtures;
using Xunit;

namespace Container.Tests.Volumes;

/// <summary>
/// Binds, named and anonymous volumes and tmpfs mounts on real containers, read from inside
/// them (/proc/self/mountinfo, writes that must fail), and the volumes' lifetimes.
/// </summary>
[Trait("Category", "Kernel")]
public sealed class VolumeKernelTests : IDisposable
{
    private readonly TestStore store = new();
    private readonly string host;

    public VolumeKernelTests()
    {
        host = Path.Combine(store.Root, "host");
        Directory.CreateDirectory(host);
    }

    public void Dispose()
    {
        store.Dispose();
        Assert.DoesNotContain(MountTable.Read(), m => m.MountPoint.StartsWith(store.Root, StringComparison.Ordinal));
    }

    private (ContainerInfo Container, string Output) Run(string name, string script, IReadOnlyList<ContainerMount>? mounts = null,
        IReadOnlyList<string>? volumesFrom = null, string image = TestStore.Image, bool readOnlyRootfs = false, string? runtime = null)
    {
        store.Containers.Create(new ContainerSpec
        {
            Image = image, Name = name, Command = ["sh", "-c", script], Mounts = mounts, VolumesFrom = volumesFrom,
            ReadOnlyRootfs = readOnlyRootfs, Runtime = runtime,
        });
        store.Containers.Start(name);
        var exited = store.Containers.Wait(name, TimeSpan.FromSeconds(60));
        return (exited, store.Output(name));
    }

    private static ContainerMount Volume(string text) => MountParser.ParseVolume(text, "/");

    [Fact]
    public void ABindIsReadAndWrittenThroughAndAReadOnlyOneRefusesWrites()
    {
        File.WriteAllText(Path.Combine(host, "in.txt"), "from the host");
        var (container, output) = Run("bind", "cat /data/in.txt; echo; echo from-inside > /data/out.txt; " +
            "(echo ro-write > /ro/x) 2>/dev/null && echo WROTE || echo REFUSED; grep ' /ro ' /proc/self/mountinfo | cut -d' ' -f6",
            [Volume($"{host}:/data"), Volume($"{host}:/ro:ro")]);
        Assert.Equal(0, container.ExitCode);
        var lines = output.Split('\n');
        Assert.Equal("from the host", lines[0]);
        Assert.Equal("REFUSED", lines[1]);
        Assert.StartsWith("ro", lines[2]);
        Assert.Equal("from-inside\n", File.ReadAllText(Path.Combine(host, "out.txt")));
        Assert.Contains(container.Mounts, m => m is { Type: MountType.Bind, Target: "/ro", ReadOnly: true });
    }

    [Fact]
    public void TheShortFormMakesAMissingSourceAndTheLongFormRefusesIt()
    {
        var missing = Path.Combine(host, "made", "here");
        var (container, _) = Run("made", "touch /m/file", [Volume($"{missing}:/m")]);
        Assert.Equal(0, container.ExitCode);
        Assert.True(File.Exists(Path.Combine(missing, "file")));

        var error = Assert.Throws<ContainerException>(() => store.Containers.Create(new ContainerSpec
        {
            Image = TestStore.Image, Name = "refused", Command = ["true"], Mounts = [MountParser.ParseMount($"type=bind,source={host}/absent,target=/m")],
        }));
        Assert.Equal("BindSourceNotFound", error.ErrorId);
        Assert.DoesNotContain(store.Containers.List(), c => c.Name == "refused");
    }

    [Fact]
    public void ANamedVolumeIsMadeOnFirstUseAndKeepsItsDataForTheNextContainer()
    {
        Run("writer", "echo kept > /v/data", [Volume("keep:/v")]);
        var volume = store.Engine.Volumes.Get("keep");
        Assert.False(volume.Anonymous);
        Assert.Equal(["writer"], volume.UsedBy);
        store.Containers.Remove("writer", force: false, volumes: true);
        Assert.Equal("keep", store.Engine.Volumes.Get("keep").Name); // named: -Volumes leaves it

        var (_, output) = Run("reader", "cat /v/data", [Volume("keep:/v")]);
        Assert.Equal("kept", output);
    }

    [Fact]
    public void TheImagesFilesAtTheTargetAreCopiedIntoAnEmptyVolume()
    {
        var (_, _) = Run("seed", "chown 1234:5678 /etc/passwd; chmod 600 /etc/passwd; true");
        store.Containers.Commit("seed", ImageReference.Parse("seeded:test"));
        var (first, output) = Run("copier", "stat -c '%u:%g %a' /etc/passwd; ls /etc | wc -l", [Volume("etc-copy:/etc")], image: "seeded:test");
        Assert.Equal(0, first.ExitCode);
        Assert.Equal("1234:5678 600", output.Split('\n')[0]);
        var data = store.Engine.Volumes.Get("etc-copy").Mountpoint;
        Assert.Equal(0b110_000_000, (int)File.GetUnixFileMode(Path.Combine(data, "passwd")));

        // the container's own hosts files, mounted over the volume, and nothing of the image's
        var (_, none) = Run("nocopy", "ls /etc", [Volume("etc-none:/etc:nocopy")], image: "seeded:test");
        Assert.Equal(["hostname", "hosts", "resolv.conf"], none.Split('\n'));
    }

    [Fact]
    public async Task ACopyIntoAVolumeHoldsOnlyThatVolumesLockAndTwoStartsCopyOnce()
    {
        store.Containers.Create(new ContainerSpec { Image = TestStore.Image, Name = "first", Command = ["ls", "/etc"], Mounts = [Volume("seeded:/etc")] });
        store.Containers.Create(new ContainerSpec { Image = TestStore.Image, Name = "second", Command = ["ls", "/etc"], Mounts = [Volume("seeded:/etc")] });
        Task<ContainerInfo> first, second;
        using (store.Engine.Volumes.CopyLock("seeded"))
        {
            first = Task.Run(() => store.Containers.Start("first"));
            second = Task.Run(() => store.Containers.Start("second"));
            // both starts are past the volumes' lock, blocked on the volume's own (the kernel lists them waiting)
            var inode = ProcessRunner.Run("stat", ["-c", "%i", Path.Combine(store.Root, "volumes", "seeded", "copy.lock")]).StandardOutput.Trim();
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            while (File.ReadLines("/proc/locks").Count(line => line.Contains("-> FLOCK") && line.Contains($":{inode} ")) < 2)
            {
                Assert.True(DateTime.UtcNow < deadline, "the starts never waited on the volume's lock");
                await Task.Delay(10);
            }
            store.Engine.Volumes.Create(new VolumeSpec { Name = "made-meanwhile" });
            Assert.False(first.IsCompleted || second.IsCompleted);
        }
        await Task.WhenAll(first, second);
        store.Containers.Wait("first", TimeSpan.FromSeconds(60));
        store.Containers.Wait("second", TimeSpan.FromSeconds(60));
        var listed = store.Output("first").Split('\n');
        Assert.Contains("passwd", listed);
        Assert.Equal(listed, store.Output("second").Split('\n'));
        Assert.Equal(listed.Order(StringComparer.Ordinal),
            Directory.EnumerateFileSystemEntries(store.Engine.Volumes.Get("seeded").Mountpoint).Select(p => Path.GetFileName(p)).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void ACommitLeavesTheVolumesFilesOut()
    {
        Run("committed", "echo in-volume > /v/file; echo in-layer > /layer-file", [Volume("left-out:/v")]);
        store.Containers.Commit("committed", ImageReference.Parse("committed:test"));
        var (_, output) = Run("from-commit", "cat /layer-file; ls /v | wc -l", image: "committed:test");
        Assert.Equal(["in-layer", "0"], output.Split('\n'));
    }

    [Fact]
    public void AnImagesVolumeIsAnAnonymousVolumeThatRemoveWithVolumesTakesAway()
    {
        var config = ImageDefaults.From(["sh"], null, null);
        config.Volumes = new Dictionary<string, object> { ["/cache"] = new() };
        store.Engine.Importer.Import(BusyboxRootfs.Path, ImageReference.Parse("with-volume:test"), config);
        var (container, output) = Run("anon", "grep -c ' /cache ' /proc/self/mountinfo; echo x > /cache/x", image: "with-volume:test");
        Assert.Equal("1", output.Trim());
        var mount = Assert.Single(container.Mounts);
        Assert.True(mount is { Type: MountType.Volume, Anonymous: true, Target: "/cache" });
        Assert.True(store.Engine.Volumes.Get(mount.Source!).Anonymous);

        // another container holding it keeps it from removal with the first
        Run("holder", "cat /cache/x", volumesFrom: ["anon:ro"]);
        Assert.Contains(store.Containers.Get("holder").Mounts, m => m.Source == mount.Source && m.ReadOnly);
        store.Containers.Remove("anon", force: false, volumes: true);
        Assert.Equal(["holder"], store.Engine.Volumes.Get(mount.Source!).UsedBy);
        store.Containers.Remove("holder", force: false, volumes: true);
        Assert.Equal("VolumeNotFound", Assert.Throws<ContainerException>(() => store.Engine.Volumes.Get(mount.Source!)).ErrorId);
    }

    [Fact]
    public void AVolumeInUseIsNotRemovedAndAnUnusedOneIs()
    {
        store.Containers.Create(new ContainerSpec { Image = TestStore.Image, Name = "user", Command = ["true"], Mounts = [Volume("held:/h"), Volume("/anon")] });
        store.Engine.Volumes.Create(new VolumeSpec { Name = "spare", Labels = new Dictionary<string, string> { ["tier"] = "test" } });
        var error = Assert.Throws<ContainerException>(() => store.Engine.Volumes.Remove("held"));
        Assert.Equal(("VolumeInUse", ErrorKind.InvalidOperation), (error.ErrorId, error.Kind));
        Assert.Equal("VolumeExists", Assert.Throws<ContainerException>(() => store.Engine.Volumes.Create(new VolumeSpec { Name = "spare" })).ErrorId);

        // a prune's default takes the anonymous volumes no container uses, and names them first
        Assert.Empty(store.Engine.Volumes.Unused(includeNamed: false));
        Assert.Equal(["spare"], store.Engine.Volumes.Unused(includeNamed: true).Select(v => v.Name));
        store.Containers.Remove("user", force: false);
        Assert.Single(store.Engine.Volumes.Unused(includeNamed: false));
        Assert.Equal(3, store.Engine.Volumes.Unused(includeNamed: true).Count);
        store.Engine.Volumes.Remove("held");
        Assert.Equal(2, store.Engine.Volumes.List().Count);
    }

    [Fact]
    public void ATmpfsHasItsSizeModeAndFlags()
    {
        var (container, output) = Run("tmpfs", "grep ' /scratch ' /proc/self/mountinfo; stat -c %a /scratch",
            [MountParser.ParseTmpfs("/scratch:size=8m,mode=0750")], readOnlyRootfs: true);
        Assert.Equal(0, container.ExitCode);
        var lines = output.Split('\n');
        Assert.Contains("tmpfs", lines[0]);
        Assert.Contains("size=8192k", lines[0]);
        Assert.Contains("noexec", lines[0]);
        Assert.Equal("750", lines[1]);
    }

    [Fact]
    public void ASubpathMountsOnlyThatDirectoryAndNeverALinkOut()
    {
        store.Engine.Volumes.Create(new VolumeSpec { Name = "tree" });
        var data = store.Engine.Volumes.Get("tree").Mountpoint;
        Directory.CreateDirectory(Path.Combine(data, "a", "b"));
        File.WriteAllText(Path.Combine(data, "a", "b", "f"), "deep");
        File.CreateSymbolicLink(Path.Combine(data, "out"), "/etc");
        var (_, output) = Run("sub", "cat /s/f", [MountParser.ParseMount("source=tree,target=/s,volume-subpath=a/b")]);
        Assert.Equal("deep", output);

        foreach (var subpath in new[] { "out", "missing" })
        {
            var error = Assert.Throws<ContainerException>(() => store.Containers.Create(new ContainerSpec
            {
                Image = TestStore.Image, Name = "escape", Command = ["true"], Mounts = [MountParser.ParseMount($"source=tree,target=/s,volume-subpath={subpath}")],
            }));
            Assert.Equal("InvalidSubpath", error.ErrorId);
        }
    }

    [Fact]
    public void AnAutoRemovedContainersAnonymousVolumesGoOnceNoContainerRefersToThem()
    {
        store.Containers.RunDetached(new ContainerSpec
        {
            Image = TestStore.Image, Name = "once", Command = ["sleep", "300"], AutoRemove = true,
            Mounts = [Volume("/data"), Volume("kept:/k")],
        });
        var anonymous = Assert.Single(store.Engine.Volumes.List(), v => v.Anonymous).Name;
        // another container that uses the same volume keeps it past the first's removal
        store.Containers.Create(new ContainerSpec { Image = TestStore.Image, Name = "sharer", Command = ["true"], VolumesFrom = ["once"] });
        store.Containers.Stop("once", TimeSpan.Zero);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (store.Containers.List().Any(c => c.Name == "once"))
        {
            Assert.True(DateTime.UtcNow < deadline, "the monitor never removed the container");
            Thread.Sleep(20);
        }
        Assert.Equal([anonymous, "kept"], store.Engine.Volumes.List().Select(v => v.Name).Order(StringComparer.Ordinal));

        store.Containers.Remove("sharer", force: false);
        Assert.Equal(["kept"], store.Engine.Volumes.List().Select(v => v.Name));
        Assert.False(Directory.Exists(Path.Combine(store.Root, "volumes", anonymous)));
    }

    [Fact]
    public void AVolumeOnEtcIsMountedBeforeTheContainersOwnHostsFilesAndDoesNotHideThem()
    {
        var (_, output) = Run("etc", "cut -d' ' -f5 /proc/self/mountinfo | grep -E '^/etc(/hosts|/hostname)?$'; cat /etc/hostname", [Volume("/etc")]);
        Assert.Equal(["/etc", "/etc/hosts", "/etc/hostname", "etc"], output.Split('\n'));
    }

    [Fact]
    public void AFailedCreationTakesAwayTheVolumesItMade()
    {
        var error = Assert.Throws<ContainerException>(() => store.Containers.Create(new ContainerSpec
        {
            Image = TestStore.Image, Name = "half", Command = ["true"],
            Mounts = [Volume("made-now:/a"), MountParser.ParseMount("source=made-too,target=/b,volume-subpath=none")],
        }));
        Assert.Equal("InvalidSubpath", error.ErrorId);
        Assert.Empty(store.Engine.Volumes.List());
        Assert.Empty(store.Containers.List());
    }

    [Fact]
    public void ALocalDriverTmpfsVolumeIsMountedAtFirstUseAndUnmountedAtRemoval()
    {
        store.Engine.Volumes.Create(new VolumeSpec { Name = "ram", Options = new Dictionary<string, string> { ["type"] = "tmpfs", ["device"] = "tmpfs", ["o"] = "size=4m" } });
        var (_, output) = Run("ram-user", "grep ' /r ' /proc/self/mountinfo | grep -o 'size=[0-9]*k'", [Volume("ram:/r")]);
        Assert.Equal("size=4096k", output.Trim());
        var data = store.Engine.Volumes.Get("ram").Mountpoint;
        Assert.Contains(MountTable.Read(), m => m.MountPoint == data);
        store.Containers.Remove("ram-user", force: false);
        store.Engine.Volumes.Remove("ram");
        Assert.DoesNotContain(MountTable.Read(), m => m.MountPoint == data);
        Assert.Equal("InvalidVolumeOption", Assert.Throws<ContainerException>(() =>
            store.Engine.Volumes.Create(new VolumeSpec { Name = "bad", Options = new Dictionary<string, string> { ["colour"] = "blue" } })).ErrorId);
    }

    [Fact]
    public void ACopyReadsAndWritesThroughTheMountsOfAStoppedContainerAsOfARunningOne()
    {
        File.WriteAllText(Path.Combine(host, "bound.txt"), "on the host");
        var upload = Path.Combine(store.Root, "upload.txt");
        File.WriteAllText(upload, "copied in");
        store.Containers.Create(new ContainerSpec
        {
            Image = TestStore.Image, Name = "never-run", Command = ["cat", "/v/upload.txt"],
            Mounts = [Volume($"{host}:/deep/bind:ro"), Volume("copied:/v")],
        });
        // never started: no mount point yet in its layer; the copy makes them, and binds the sources there
        store.Containers.CopyToContainer("never-run", upload, "/v/");
        Assert.Equal("copied in", File.ReadAllText(Path.Combine(store.Engine.Volumes.Get("copied").Mountpoint, "upload.txt")));
        var fetched = Path.Combine(store.Root, "fetched.txt");
        store.Containers.CopyFromContainer("never-run", "/deep/bind/bound.txt", fetched);
        Assert.Equal("on the host", File.ReadAllText(fetched));
        var readOnly = Assert.Throws<ContainerException>(() => store.Containers.CopyToContainer("never-run", upload, "/deep/bind/"));
        Assert.Equal(("ReadOnlyMount", ErrorKind.PermissionDenied), (readOnly.ErrorId, readOnly.Kind));
        Assert.False(File.Exists(Path.Combine(host, "upload.txt")));
        Assert.DoesNotContain(MountTable.Read(), m => m.MountPoint.StartsWith(store.Root, StringComparison.Ordinal));

        store.Containers.Start("never-run");
        Assert.Equal(0, store.Containers.Wait("never-run", TimeSpan.FromSeconds(60)).ExitCode);
        Assert.Equal("copied in", store.Output("never-run"));
    }

    [Theory]
    [InlineData("rslave", true)]
    [InlineData("rprivate", false)]
    public void AMountMadeOnTheHostAfterTheStartReachesASlaveBindAndNotAPrivateOne(string propagation, bool seen)
    {
        // the host side: a shared mount of the test's own, under which a mount comes later
        var shared = Path.Combine(host, "shared");
        Directory.CreateDirectory(Path.Combine(shared, "later"));
        Assert.Equal(0, ProcessRunner.Run("mount", ["--bind", shared, shared]).ExitCode);
        try
        {
            Assert.Equal(0, ProcessRunner.Run("mount", ["--make-shared", shared]).ExitCode);
            store.Containers.Create(new ContainerSpec
            {
                Image = TestStore.Image, Name = "propagation", Command = ["sh", "-c", "touch /ready; exec sleep 1000"],
                Mounts = [Volume($"{shared}:/data:{propagation}")],
            });
            store.Containers.Start("propagation");
            var ready = Path.Combine(store.Containers.Get("propagation").Path, "upper", "ready");
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (!File.Exists(ready))
            {
                Assert.True(DateTime.UtcNow < deadline, "the container never got ready");
                Thread.Sleep(10);
            }
            Assert.Equal(0, ProcessRunner.Run("mount", ["-t", "tmpfs", "-o", "size=1m", "later", Path.Combine(shared, "later")]).ExitCode);
            var lines = new List<string>();
            store.Containers.Exec("propagation", new ExecSpec { Command = ["sh", "-c", "grep -c ' /data/later ' /proc/self/mountinfo || true"] }, (_, line) => lines.Add(line));
            Assert.Equal(seen ? "1" : "0", string.Join("", lines).Trim());
            store.Containers.Remove("propagation", force: true);
        }
        finally
        {
            ProcessRunner.Run("umount", ["-R", "-l", shared]);
        }
    }

    [SkippableFact]
    public void CrunRunsTheSameBundleWithTheSameMounts()
    {
        Skip.IfNot(File.Exists("/usr/bin/crun"), "crun is not installed");
        File.WriteAllText(Path.Combine(host, "in.txt"), "bound");
        var (container, output) = Run("under-crun", "cat /data/in.txt; echo; (echo x > /data/in.txt) 2>/dev/null || echo REFUSED; grep -c ' /t ' /proc/self/mountinfo",
            [Volume($"{host}:/data:ro"), MountParser.ParseTmpfs("/t")], runtime: Conformance.Oci.Path(Conformance.Oci.Crun));
        Assert.Equal(0, container.ExitCode);
        Assert.Equal(["bound", "REFUSED", "1"], output.Split('\n'));
    }
}
