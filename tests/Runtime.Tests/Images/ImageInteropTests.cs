using System.Formats.Tar;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Container.Runtime.Containers;
using Container.Runtime.Images;
using Container.Tests.Fixtures;
using Xunit;

namespace Container.Tests.Images;

/// <summary>
/// Images we make, as the Go tools read them: skopeo inspects and copies, podman loads, what
/// we export of an image made by directory import, by commit, and from an exported container's
/// files. Every JSON file a peer reads has RFC 3339 UTC times and escapes nothing JSON does not need.
/// </summary>
public sealed partial class ImageInteropTests : IDisposable
{
    private readonly TestStore store = new();
    private readonly string work = Directory.CreateTempSubdirectory("interop-").FullName;

    public void Dispose()
    {
        store.Dispose();
        Directory.Delete(work, recursive: true);
    }

    public enum Origin
    {
        DirectoryImport,
        Commit,
        ContainerExport,
    }

    // what Go's time.Time takes (RFC 3339, at most 9 fractional digits), and in UTC
    [GeneratedRegex("""^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?Z$""")]
    private static partial Regex Rfc3339Utc();

    /// <summary>An image of ours, made the way asked, with a '+' and a non-ASCII letter in its config.</summary>
    private ContainerImage Make(Origin origin)
    {
        var environment = new Dictionary<string, string> { ["SUM"] = "1+1", ["NAME"] = "Zoë" };
        switch (origin)
        {
            case Origin.DirectoryImport:
                return Assert.Single(store.Engine.Importer.Import(BusyboxRootfs.Path, ImageReference.Parse("made/by:import"),
                    ImageDefaults.From(["sh"], environment, null)));
            case Origin.Commit:
                store.Containers.Create(new ContainerSpec { Image = TestStore.Image, Name = "committed", Command = ["sh"], Environment = environment });
                return store.Containers.Commit("committed", ImageReference.Parse("made/by:commit"));
            default:
                store.Containers.Create(new ContainerSpec { Image = TestStore.Image, Name = "exported", Command = ["sh"] });
                var files = Path.Combine(work, "files.tar");
                store.Containers.ExportFilesystem("exported", files);
                return Assert.Single(store.Engine.Importer.Import(files, ImageReference.Parse("made/by:export"),
                    ImageDefaults.From(["sh"], environment, null)));
        }
    }

    private string Export(ContainerImage image, ImageArchiveFormat format)
    {
        var archive = Path.Combine(work, $"{image.Tag}-{format}.tar");
        store.Engine.Exporter.Export([image.Reference!], archive, format);
        return archive;
    }

    /// <summary>Every way we make an image, in every archive format.</summary>
    public static TheoryData<Origin, ImageArchiveFormat> Exports()
    {
        var data = new TheoryData<Origin, ImageArchiveFormat>();
        foreach (var origin in Enum.GetValues<Origin>())
            foreach (var format in Enum.GetValues<ImageArchiveFormat>())
                data.Add(origin, format);
        return data;
    }

    private static string Transport(string archive, ContainerImage image, ImageArchiveFormat format) =>
        format == ImageArchiveFormat.OciArchive ? $"oci-archive:{archive}:{image}" : $"docker-archive:{archive}";

    [Theory]
    [MemberData(nameof(Exports))]
    public void SkopeoInspectsAndCopiesIt(Origin origin, ImageArchiveFormat format)
    {
        var image = Make(origin);
        var reference = Transport(Export(image, format), image, format);

        var inspect = PeerTools.Skopeo("inspect", reference);
        Assert.True(inspect.Succeeded, inspect.StandardError);
        var seen = JsonDocument.Parse(inspect.StandardOutput).RootElement;
        Assert.Equal(image.Created, seen.GetProperty("Created").GetDateTimeOffset());
        Assert.Equal(image.Layers.Count, seen.GetProperty("Layers").GetArrayLength());
        Assert.Contains("SUM=1+1", seen.GetProperty("Env").EnumerateArray().Select(e => e.GetString()));

        var copy = PeerTools.Skopeo("copy", reference, $"oci:{Path.Combine(work, "copied")}:again");
        Assert.True(copy.Succeeded, copy.StandardError);
        Assert.Equal(image.Layers, Assert.Single(store.Engine.Importer.Import(Path.Combine(work, "copied"), ImageReference.Parse("copied/back:1"), null)).Layers);
    }

    [Theory]
    [MemberData(nameof(Exports))]
    public void PodmanLoadsIt(Origin origin, ImageArchiveFormat format)
    {
        var image = Make(origin);
        var archive = Export(image, format);
        using var podman = new PodmanStore();

        var load = podman.Podman("load", "--input", archive);
        Assert.True(load.Succeeded, load.StandardError);
        var inspect = podman.Podman("image", "inspect", "--format", "{{.Created.UnixNano}} {{len .RootFS.Layers}}", image.Id["sha256:".Length..]);
        Assert.True(inspect.Succeeded, inspect.StandardError);
        Assert.Equal($"{(image.Created!.Value - DateTimeOffset.UnixEpoch).Ticks * 100} {image.Layers.Count}", inspect.StandardOutput.Trim());
    }

    /// <summary>Every JSON file of an archive, by name.</summary>
    private static Dictionary<string, string> JsonFiles(string archive)
    {
        var files = new Dictionary<string, string>();
        using var reader = new TarReader(File.OpenRead(archive));
        while (reader.GetNextEntry() is { } entry)
        {
            if (entry.DataStream == null || entry.Length > 1 << 20)
                continue;
            var text = new StreamReader(entry.DataStream, Encoding.UTF8).ReadToEnd();
            if (text.TrimStart().StartsWith('{') || text.TrimStart().StartsWith('['))
                files[entry.Name] = text;
        }
        return files;
    }

    [Theory]
    [InlineData(ImageArchiveFormat.DockerArchive, 3)] // manifest.json, repositories, the config
    [InlineData(ImageArchiveFormat.OciArchive, 4)] // oci-layout, index.json, the manifest and the config
    public void EveryJsonFileAPeerReadsHasUtcTimesAndNoNeedlessEscapes(ImageArchiveFormat format, int jsonFiles)
    {
        var image = Make(Origin.Commit);
        var files = JsonFiles(Export(image, format));
        Assert.True(files.Count == jsonFiles, string.Join(", ", files.Keys));
        var config = files.Values.Single(f => f.Contains("\"rootfs\""));
        Assert.Contains("\"SUM=1+1\"", config);
        Assert.Contains("\"NAME=Zoë\"", config);
        foreach (var (name, text) in files)
        {
            Assert.DoesNotContain("\\u", text);
            foreach (var time in Times(JsonDocument.Parse(text).RootElement))
                Assert.Matches(Rfc3339Utc(), time);
        }
        // the image's time, and its history's: the parent's entry and its own
        Assert.Equal(1 + image.History.Count, Times(JsonDocument.Parse(config).RootElement).Count());
    }

    /// <summary>The values of every "created" (the image config's and its history's).</summary>
    private static IEnumerable<string> Times(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().SelectMany(p =>
            p.Name == "created" ? [p.Value.GetString()!] : Times(p.Value)),
        JsonValueKind.Array => element.EnumerateArray().SelectMany(Times),
        _ => [],
    };

    [Fact]
    public void TheBundlesConfigEscapesNothingNeedlessly()
    {
        var created = store.Containers.Create(new ContainerSpec
        {
            Image = TestStore.Image, Name = "bundled", Command = ["sh", "-c", "echo 1+1 <&>"],
            Environment = new Dictionary<string, string> { ["NAME"] = "Zoë" },
        });
        var config = File.ReadAllText(Path.Combine(store.Paths.ContainerDir(created.Id), "config.json"));
        Assert.Contains("\"echo 1+1 <&>\"", config);
        Assert.Contains("\"NAME=Zoë\"", config);
        Assert.DoesNotContain("\\u", config);
    }
}
