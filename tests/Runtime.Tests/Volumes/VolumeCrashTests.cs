using System.Diagnostics;
using Container.Runtime.Containers;
using Container.Runtime.Errors;
using Container.Runtime.Linux;
using Container.Runtime.Networks;
using Container.Runtime.Storage;
using Container.Runtime.Volumes;
using Container.Tests.Fixtures;
using Xunit;

namespace Container.Tests.Volumes;

/// <summary>
/// The engine in a process of its own (EngineHost) killed with SIGKILL at the steps of a
/// volume's life that matter: while volumes are made, mid-way through an import, after a
/// container's volumes were made but before its record, after a start's local-driver mount.
/// What it leaves is never a half volume, never a volume lost that a container refers to,
/// never a second mount, and the next command cleans the rest.
/// </summary>
[Trait("Category", "Kernel")]
public sealed class VolumeCrashTests : IDisposable
{
    private readonly TestStore store = new();

    public void Dispose()
    {
        store.Dispose();
        Assert.DoesNotContain(MountTable.Read(), m => m.MountPoint.StartsWith(store.Root, StringComparison.Ordinal));
    }

    private VolumeService Volumes => store.Engine.Volumes;

    private Process Host(params string[] arguments) =>
        Process.Start(new ProcessStartInfo("dotnet", [Path.Combine(BuildOutput.OutputDir, "EngineHost.dll"), store.Root, .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;

    /// <summary>Kills the host (SIGKILL: nothing of its own runs after) once the condition holds.</summary>
    private static void KillWhen(Process host, Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (!condition())
        {
            if (host.HasExited)
                Assert.Fail($"the host ended before {what}: {host.StandardOutput.ReadToEnd()}{host.StandardError.ReadToEnd()}");
            Assert.True(DateTime.UtcNow < deadline, $"never: {what}");
            Thread.Sleep(1);
        }
        host.Kill();
        host.WaitForExit();
    }

    private IEnumerable<string> Staged() =>
        Directory.Exists(store.Paths.StagingDir) ? Directory.EnumerateFileSystemEntries(store.Paths.StagingDir) : [];

    private int MountsAt(string path) => MountTable.Read().Count(m => m.MountPoint == path);

    [Fact]
    public void VolumesMadeUntilAKillAreWholeAndTheNextCreationCleansWhatWasStaged()
    {
        using var host = Host("volumes", "made", "1000000");
        KillWhen(host, () => Directory.Exists(store.Paths.VolumesDir) && Directory.EnumerateDirectories(store.Paths.VolumesDir).Count() >= 20, "twenty volumes");

        // every volume there is whole (its record and its data), and the list is what is there
        var there = Directory.EnumerateDirectories(store.Paths.VolumesDir).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(there, Volumes.List().Select(v => v.Name));
        Assert.All(there, name => Assert.True(Directory.Exists(Volumes.DataPath(name!)), $"{name} has no data"));
        Assert.DoesNotContain(Staged(), entry => !Path.GetFileName(entry).StartsWith($"{host.Id}-", StringComparison.Ordinal));

        Volumes.Create(new VolumeSpec { Name = "after" });
        Assert.Empty(Staged());
        Assert.Equal(there.Count + 1, Volumes.List().Count);
    }

    [Fact]
    public void AnImportKilledMidUnpackShowsNoVolumeAndTheNextImportCleansItsStaging()
    {
        // an archive big enough to be caught in the middle of its unpacking
        var source = Path.Combine(store.Root, "big");
        Directory.CreateDirectory(source);
        for (var i = 0; i < 20; i++)
            File.WriteAllBytes(Path.Combine(source, $"data{i}"), System.Security.Cryptography.RandomNumberGenerator.GetBytes(4 << 20));
        var archive = Path.Combine(store.Root, "big.tar");
        PeerImages.Run("tar", "-C", source, "-cf", archive, ".");

        using var host = Host("import-volume", archive, "half");
        KillWhen(host, () => Staged().Any(entry => Directory.Exists(Path.Combine(entry, "_data")) && Directory.EnumerateFileSystemEntries(Path.Combine(entry, "_data")).Any()),
            "the unpacking begun");

        Assert.Empty(Volumes.List());
        Assert.Equal("VolumeNotFound", Assert.Throws<ContainerException>(() => Volumes.Get("half")).ErrorId);
        Assert.NotEmpty(Staged());

        var volume = Volumes.Import(archive, "half");
        Assert.Equal(20L * (4 << 20), volume.Size);
        Assert.Empty(Staged());
    }

    [Fact]
    public void ACreationKilledAfterItsVolumesLeavesTheAnonymousOneToThePruneAndKeepsTheNamedOne()
    {
        // the network's lease lock, held here, keeps the creation after its volumes, before its record
        store.Engine.Networks.Create(new NetworkSpec { Name = "held", Subnet = "10.93.0.0/24" });
        string anonymous;
        using (FileLock.Acquire(Path.Combine(store.Paths.LocksDir, "network-held.lock")))
        {
            using var host = Host("create-mounted", TestStore.Image, "half", "held", "kept:/kept", "/anon");
            KillWhen(host, () => Volumes.List().Count == 2, "its two volumes made");
            anonymous = Volumes.List().Single(v => v.Anonymous).Name;
        }

        Assert.Empty(store.Containers.List());
        Assert.Equal("ContainerNotFound", Assert.Throws<ContainerException>(() => store.Containers.Get("half")).ErrorId);
        // no container refers to either: a prune takes the anonymous one, the named one stays (docker's)
        Assert.Equal([anonymous], Volumes.Unused(includeNamed: false).Select(v => v.Name));
        Assert.True(Volumes.RemoveIfUnused(anonymous));
        Assert.Equal(["kept"], Volumes.List().Select(v => v.Name));
        // its name is free again, and what it staged is cleaned by the next creation
        store.Containers.Create(new ContainerSpec { Image = TestStore.Image, Name = "half", Command = ["true"], Mounts = [MountParser.ParseVolume("kept:/kept", "/")] });
        Assert.Empty(Staged());
        Assert.Equal(["half"], Volumes.Get("kept").UsedBy);
    }

    [Fact]
    public void AStartKilledAfterALocalDriverMountStacksNoSecondMountAndTheVolumeRemovalUnmountsIt()
    {
        Volumes.Create(new VolumeSpec { Name = "scratch", Options = new Dictionary<string, string> { ["type"] = "tmpfs", ["device"] = "tmpfs", ["o"] = "size=4m" } });
        var data = Volumes.DataPath("scratch");
        var spec = new ContainerSpec { Image = TestStore.Image, Command = ["sh", "-c", "touch /scratch/$HOSTNAME"], Mounts = [MountParser.ParseVolume("scratch:/scratch", "/")] };
        var first = store.Containers.Create(spec with { Name = "first" });

        using (var host = Host("start", "first"))
            KillWhen(host, () => MountsAt(data) > 0, "the volume mounted");

        // started again (or found running, when the kill came after the start), then another on the same volume
        store.Containers.Start("first");
        Assert.Equal(0, store.Containers.Wait("first", TimeSpan.FromSeconds(60)).ExitCode);
        store.Containers.Create(spec with { Name = "second" });
        store.Containers.Start("second");
        Assert.Equal(0, store.Containers.Wait("second", TimeSpan.FromSeconds(60)).ExitCode);
        Assert.Equal(1, MountsAt(data));
        Assert.InRange(MountsAt(Path.Combine(first.Path, ContainerStore.RootfsDir)), 0, 1);

        store.Containers.Remove("first", force: false);
        store.Containers.Remove("second", force: false);
        Assert.Equal(1, MountsAt(data));
        Volumes.Remove("scratch");
        Assert.Equal(0, MountsAt(data));
    }
}
