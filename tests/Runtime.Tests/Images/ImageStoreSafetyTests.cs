using System.Diagnostics;
using Container.Runtime.Images;
using Container.Tests.Fixtures;
using Xunit;

namespace Container.Tests.Images;

/// <summary>
/// Several processes importing and removing at once never corrupt the store; an import
/// killed half-way leaves nothing visible and nothing the next command does not clean.
/// </summary>
public sealed class ImageStoreSafetyTests : IDisposable
{
    private readonly TestStore store = new(withImage: false);
    private readonly string work = Directory.CreateTempSubdirectory("safety-").FullName;

    public void Dispose()
    {
        store.Dispose();
        Directory.Delete(work, recursive: true);
    }

    private Process Host(params string[] arguments) =>
        Process.Start(new ProcessStartInfo("dotnet", [Path.Combine(BuildOutput.OutputDir, "EngineHost.dll"), store.Root, .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;

    /// <summary>
    /// Every image's blobs are there and every layer unpacked; every blob and layer there is
    /// some image's; nothing is left in staging.
    /// </summary>
    private void AssertConsistent()
    {
        var blobs = new HashSet<string>();
        var layers = new HashSet<string>();
        foreach (var image in store.Engine.Images.List())
        {
            var (manifest, config) = store.Engine.Images.ReadManifest(image.Digest);
            blobs.UnionWith([image.Digest, manifest.Config.Digest, .. manifest.Layers.Select(l => l.Digest)]);
            layers.UnionWith(config.RootFs.DiffIds);
        }
        Assert.All(blobs, b => Assert.True(store.Engine.Images.Blobs.Exists(b), $"missing blob {b}"));
        Assert.All(layers, l => Assert.True(Directory.Exists(store.Engine.Images.LayerDirectory(l)), $"missing layer {l}"));
        Assert.Equal(blobs.Order(), store.Engine.Images.Blobs.All().Order());
        Assert.Equal(layers.Order(), store.Engine.Images.Layers.All().Order());
        Assert.Empty(Directory.EnumerateFileSystemEntries(store.Paths.StagingDir));
    }

    [Fact]
    public async Task ConcurrentImportsAndRemovalsKeepTheStoreWhole()
    {
        // six processes: four import (two archives, shared layers), two import then remove
        var hosts = new List<Process>();
        for (var i = 0; i < 2; i++)
        {
            hosts.Add(Host("import", PeerImages.DockerArchive, $"kept/docker:{i}"));
            hosts.Add(Host("import", PeerImages.Layout, $"kept/layout:{i}"));
        }
        foreach (var host in hosts)
            host.WaitForExit();
        var churn = Enumerable.Range(0, 2).Select(i => Task.Run(() =>
        {
            for (var round = 0; round < 3; round++)
            {
                using (var import = Host("import", PeerImages.OciArchive, $"churn/{i}:{round}"))
                    import.WaitForExit();
                using (var remove = Host("remove-image", $"churn/{i}:{round}"))
                    remove.WaitForExit();
            }
        })).ToList();
        var readers = Task.Run(() =>
        {
            // a reader meanwhile always sees a whole index
            while (!churn.All(t => t.IsCompleted))
                Assert.NotEmpty(store.Engine.Images.List());
        });
        await Task.WhenAll([.. churn, readers]);

        foreach (var host in hosts)
            Assert.Equal(0, host.ExitCode);
        var names = store.Engine.Images.List().Select(i => i.Reference).Order().ToList();
        Assert.Equal(["docker.io/kept/docker:0", "docker.io/kept/docker:1", "docker.io/kept/layout:0", "docker.io/kept/layout:1"], names);
        AssertConsistent();
    }

    [Fact]
    public void AnImportKilledHalfWayLeavesNothingTheNextCommandDoesNotClean()
    {
        // an input big enough to be caught in the middle
        var rootfs = Path.Combine(work, "big");
        Directory.CreateDirectory(rootfs);
        for (var i = 0; i < 40; i++)
            File.WriteAllBytes(Path.Combine(rootfs, $"data{i}"), System.Security.Cryptography.RandomNumberGenerator.GetBytes(4 << 20));
        var tarball = Path.Combine(work, "big.tar");
        PeerImages.Run("tar", "-C", rootfs, "-cf", tarball, ".");

        store.Engine.Importer.Import(PeerImages.Layout, ImageReference.Parse("before:1"), null);

        using var import = Host("import", tarball, "killed:1");
        // wait until it has started writing into the store, then kill it
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!Directory.EnumerateFileSystemEntries(store.Paths.StagingDir).Any() && DateTime.UtcNow < deadline)
            Thread.Sleep(1);
        Thread.Sleep(50);
        import.Kill();
        import.WaitForExit();

        // nothing visible
        Assert.Null(store.Engine.Images.Find("killed:1"));
        Assert.Equal(["docker.io/library/before:1"], store.Engine.Images.List().Select(i => i.Reference));

        // the next import cleans what it left: staging, unnamed blobs and layers
        store.Engine.Importer.Import(PeerImages.DockerArchive, ImageReference.Parse("after:1"), null);
        AssertConsistent();
    }
}
