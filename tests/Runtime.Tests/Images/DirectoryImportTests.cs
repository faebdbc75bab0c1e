using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Container.Runtime.Errors;
using Container.Runtime.Images;
using Container.Tests.Fixtures;
using Xunit;

namespace Container.Tests.Images;

/// <summary>
/// Importing a directory (a root filesystem, a docker archive or an OCI layout unpacked) never
/// follows a link out of it: a link is stored as a link, and nothing of the host's (here a
/// secret file outside the directory, standing for /etc/shadow) reaches the store.
/// </summary>
public sealed partial class DirectoryImportTests : IDisposable
{
    private readonly TestStore store = new(withImage: false);
    private readonly string work = Directory.CreateTempSubdirectory("dir-import-").FullName;
    private readonly string directory;
    private readonly string secretFile;
    private readonly byte[] secret = Encoding.ASCII.GetBytes($"host secret {Guid.NewGuid():n}\n");

    public DirectoryImportTests()
    {
        directory = Path.Combine(work, "import");
        Directory.CreateDirectory(directory);
        Directory.CreateDirectory(Path.Combine(work, "outside"));
        secretFile = Path.Combine(work, "outside", "shadow");
        File.WriteAllBytes(secretFile, secret);
    }

    public void Dispose()
    {
        store.Dispose();
        Directory.Delete(work, recursive: true);
    }

    /// <summary>Whether any file in the store (links not followed) holds the secret.</summary>
    private bool StoreHoldsTheSecret() =>
        Directory.EnumerateFiles(store.Root, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint })
            .Where(f => new FileInfo(f).LinkTarget == null)
            // read with plain syscalls: .NET's own reads take a shared flock, which a lock file's holder refuses
            .Any(f => Container.Runtime.Linux.SmallFile.ReadBytes(f) is { } content && content.AsSpan().IndexOf(secret) >= 0);

    private ContainerException ImportFails()
    {
        var e = Assert.Throws<ContainerException>(() => store.Engine.Importer.Import(directory, null, null));
        Assert.False(StoreHoldsTheSecret());
        Assert.Empty(store.Engine.Images.List());
        return e;
    }

    [Fact]
    public void ARootFilesystemsLinksAreStoredAsLinks()
    {
        File.WriteAllText(Path.Combine(directory, "file"), "a file\n");
        File.CreateSymbolicLink(Path.Combine(directory, "shadow"), secretFile);
        File.CreateSymbolicLink(Path.Combine(directory, "host-shadow"), "/etc/shadow");
        File.CreateSymbolicLink(Path.Combine(directory, "relative"), "file");
        Directory.CreateSymbolicLink(Path.Combine(directory, "outside"), Path.GetDirectoryName(secretFile)!);

        var image = Assert.Single(store.Engine.Importer.Import(directory, ImageReference.Parse("links:1"), null));
        var layer = store.Engine.Images.LayerDirectory(Assert.Single(image.Layers));
        Assert.Equal(secretFile, new FileInfo(Path.Combine(layer, "shadow")).LinkTarget);
        Assert.Equal("/etc/shadow", new FileInfo(Path.Combine(layer, "host-shadow")).LinkTarget);
        Assert.Equal("file", new FileInfo(Path.Combine(layer, "relative")).LinkTarget);
        // a link to a directory is a link, not walked
        Assert.Equal(Path.GetDirectoryName(secretFile), new DirectoryInfo(Path.Combine(layer, "outside")).LinkTarget);
        Assert.False(StoreHoldsTheSecret());
    }

    [LibraryImport("libc", EntryPoint = "renameat2", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Renameat2(int oldDirectory, string oldPath, int newDirectory, string newPath, uint flags);

    [Fact]
    public void ALinkThatTakesAFilesPlaceWhileTheDirectoryIsReadIsStoredAsALink()
    {
        // each name swaps, atomically and as fast as the kernel can, between a file and a link to the secret
        const int names = 8;
        for (var i = 0; i < names; i++)
        {
            File.WriteAllText(Path.Combine(directory, $"name-{i}"), "harmless\n");
            File.CreateSymbolicLink(Path.Combine(work, $"swap-{i}"), secretFile);
        }
        var stop = false;
        var swaps = 0L;
        var swapping = new Thread(() =>
        {
            while (!Volatile.Read(ref stop))
                for (var i = 0; i < names; i++)
                    if (Renameat2(-100, Path.Combine(work, $"swap-{i}"), -100, Path.Combine(directory, $"name-{i}"), 2 /* RENAME_EXCHANGE */) == 0)
                        swaps++;
        });
        swapping.Start();
        try
        {
            for (var import = 0; import < 20; import++)
            {
                store.Engine.Importer.Import(directory, ImageReference.Parse($"swapping:{import}"), null);
                Assert.False(StoreHoldsTheSecret(), $"import {import} stored the secret");
            }
        }
        finally
        {
            Volatile.Write(ref stop, true);
            swapping.Join();
        }
        Assert.True(swaps > 1000, $"only {swaps} swaps: the race was not run");
    }

    [Fact]
    public void ADockerArchiveDirectoryCannotReadThroughALinkOut()
    {
        File.WriteAllText(Path.Combine(directory, "manifest.json"), """[{"Config":"config.json","RepoTags":["evil:1"],"Layers":["layer.tar"]}]""");
        File.CreateSymbolicLink(Path.Combine(directory, "config.json"), secretFile);
        File.CreateSymbolicLink(Path.Combine(directory, "layer.tar"), "/etc/shadow");
        Assert.Equal("InvalidImageArchive", ImportFails().ErrorId);
    }

    /// <summary>An OCI layout whose index names a manifest with the secret's own digest, its blob a link to the secret.</summary>
    [Fact]
    public void AnOciLayoutDirectoryCannotReadThroughALinkOut()
    {
        var hex = Convert.ToHexString(SHA256.HashData(secret)).ToLowerInvariant();
        File.WriteAllText(Path.Combine(directory, "oci-layout"), """{"imageLayoutVersion":"1.0.0"}""");
        File.WriteAllText(Path.Combine(directory, "index.json"), JsonSerializer.Serialize(new
        {
            schemaVersion = 2,
            manifests = new[] { new { mediaType = MediaTypes.OciManifest, digest = $"sha256:{hex}", size = secret.Length } },
        }));
        Directory.CreateDirectory(Path.Combine(directory, "blobs", "sha256"));
        File.CreateSymbolicLink(Path.Combine(directory, "blobs", "sha256", hex), secretFile);
        Assert.Equal("InvalidImageArchive", ImportFails().ErrorId);

        // nor through a linked directory on the way
        Directory.Delete(Path.Combine(directory, "blobs"), recursive: true);
        Directory.CreateDirectory(Path.Combine(work, "outside", "sha256"));
        File.Copy(secretFile, Path.Combine(work, "outside", "sha256", hex));
        Directory.CreateSymbolicLink(Path.Combine(directory, "blobs"), Path.Combine(work, "outside"));
        Assert.Equal("InvalidImageArchive", ImportFails().ErrorId);
    }

    [Fact]
    public void LinksInsideALayoutLeadWhereTheyWouldInItsOwnRoot()
    {
        // a layout whose blobs are links (absolute ones resolve inside the layout, as chrooted there)
        var layout = Path.Combine(work, "layout");
        PeerImages.Run("cp", "-a", PeerImages.Layout, layout);
        var blobs = Path.Combine(layout, "blobs", "sha256");
        Directory.Move(blobs, Path.Combine(layout, "store"));
        Directory.CreateDirectory(blobs);
        foreach (var blob in Directory.GetFiles(Path.Combine(layout, "store")))
            File.CreateSymbolicLink(Path.Combine(blobs, Path.GetFileName(blob)), "/store/" + Path.GetFileName(blob));
        var image = Assert.Single(store.Engine.Importer.Import(layout, ImageReference.Parse("linked:1"), null));
        Assert.Equal(2, image.Layers.Count);
    }
}
