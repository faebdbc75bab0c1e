using System.Security.Cryptography;
using System.Text.Json;
using Container.Runtime;
using Container.Runtime.Errors;
using Container.Runtime.Images;
using Container.Tests.Fixtures;
using Xunit;

namespace Container.Tests.Images;

/// <summary>
/// Which image a reference stands for, in a store of several: by name, tag, id, id prefix or
/// digest; found from the index and that image alone, so no other image's manifest or config
/// is read (a damaged one does not get in the way); and what a pattern or a literal selects.
/// </summary>
public sealed class ImageLookupTests : IDisposable
{
    private readonly TestStore store = new(withImage: false);
    private readonly string work = Directory.CreateTempSubdirectory("lookup-").FullName;
    private readonly ContainerImage alpha;
    private readonly ContainerImage beta;

    public ImageLookupTests()
    {
        alpha = Import("alpha");
        Images.Tag("alpha", ImageReference.Parse("alpha:2"));
        beta = Import("team/beta:1");
        Import("gamma:1");
    }

    public void Dispose()
    {
        store.Dispose();
        Directory.Delete(work, recursive: true);
    }

    private ImageStore Images => store.Engine.Images;

    /// <summary>A one-file image of its own (its own layer, config and manifest).</summary>
    private ContainerImage Import(string name)
    {
        var rootfs = Directory.CreateDirectory(Path.Combine(work, name.Replace('/', '-').Replace(':', '-'))).FullName;
        File.WriteAllText(Path.Combine(rootfs, "which"), name);
        return Assert.Single(store.Engine.Importer.Import(rootfs, ImageReference.Parse(name), ImageDefaults.From(["sh"], null, null)));
    }

    /// <summary>Overwrites a blob with what no JSON reader takes.</summary>
    private void Damage(string digest) => File.WriteAllText(store.Paths.BlobPath(digest), "not json");

    [Fact]
    public void FindsAnImageByNameAndByTag()
    {
        Assert.Equal(("docker.io/library/alpha:latest", alpha.Id), (Images.Get("alpha").Reference, Images.Get("alpha").Id));
        Assert.Equal(("docker.io/library/alpha:2", alpha.Id), (Images.Get("alpha:2").Reference, Images.Get("alpha:2").Id));
        Assert.Equal(["docker.io/library/alpha:2", "docker.io/library/alpha:latest"], Images.Get("library/alpha:2").Names.Order());
        var found = Images.Get("docker.io/team/beta:1");
        Assert.Equal((beta.Id, beta.Digest, "team/beta", "1"), (found.Id, found.Digest, found.Repository, found.Tag));
        Assert.Equal(beta.Size, found.Size);
        Assert.Equal(beta.Config.Config!.Cmd, found.Config.Config!.Cmd);
    }

    [Fact]
    public void AnImageIsShownByItsNameParsedOnce()
    {
        var image = Images.Get("team/beta:1");
        Assert.Equal("team/beta:1", image.ToString());
        Assert.Same(image.ToString(), image.ToString());
        Assert.Same(image.Reference, image.Reference);
    }

    [Fact]
    public void FindsAnImageByIdIdPrefixAndDigest()
    {
        // prefixes long enough that no other image's id or digest shares them (AnIdPrefixTwoImagesShareStandsForNeither has the shortest)
        foreach (var reference in new[] { beta.Id, Ids.Hex(beta.Id), beta.ShortId, beta.Id[..("sha256:".Length + 8)], Ids.Hex(beta.Id)[..8],
                     beta.Digest, Ids.Hex(beta.Digest)[..12], $"team/beta@{beta.Digest}" })
            Assert.Equal((reference, beta.Id, beta.Reference), (reference, Images.Get(reference).Id, Images.Get(reference).Reference));
        // found by id, an image with several names is the object of its first
        Assert.Equal("docker.io/library/alpha:latest", Images.Get(alpha.ShortId).Reference);
    }

    [Fact]
    public void AnIdPrefixTwoImagesShareStandsForNeither()
    {
        var (first, second) = TwoConfigsWhoseIdsShareAPrefix();
        var layer = Images.ReadManifest(alpha.Digest).Manifest.Layers;
        var one = Images.CreateImage(layer, first, ImageReference.Parse("twin:1"));
        var other = Images.CreateImage(layer, second, ImageReference.Parse("twin:2"));
        var shared = Ids.Hex(one.Id)[..4];
        Assert.Equal(shared, Ids.Hex(other.Id)[..4]);

        Assert.Null(Images.Find(shared));
        Assert.Null(Images.Find("sha256:" + shared));
        Assert.Equal(other.Id, Images.Get(other.Id).Id);
        Assert.Equal(one.Id, Images.Get(Ids.Hex(one.Id)).Id);
    }

    /// <summary>Two image configs whose digests (the ids) start alike: found by hashing candidates, as CreateImage writes them.</summary>
    private (ImageConfig, ImageConfig) TwoConfigsWhoseIdsShareAPrefix()
    {
        var diffIds = alpha.Layers.ToList();
        ImageConfig Config(int n) => new()
        {
            Created = alpha.Created,
            Config = new ContainerConfig { Cmd = ["sh"], Env = [$"N={n}"] },
            RootFs = new RootFsConfig { DiffIds = diffIds },
        };
        var byPrefix = new Dictionary<string, int>();
        for (var n = 0; ; n++)
        {
            var prefix = Convert.ToHexString(SHA256.HashData(Json.Serialize(Config(n)))).ToLowerInvariant()[..4];
            if (byPrefix.TryGetValue(prefix, out var earlier))
                return (Config(earlier), Config(n));
            byPrefix[prefix] = n;
        }
    }

    [Fact]
    public void WhatIsNotThereIsNotFound()
    {
        Assert.Null(Images.Find("nothing:here"));
        Assert.Null(Images.Find(new string('0', 64)));
        Assert.Null(Images.Find("sha256:" + new string('0', 64)));
        Assert.Null(Images.Find($"alpha@sha256:{new string('0', 64)}"));
        // too short to be an id prefix
        Assert.Null(Images.Find(Ids.Hex(beta.Id)[..3]));
        var e = Assert.Throws<ContainerException>(() => Images.Get("nothing:here"));
        Assert.Equal(("ImageNotFound", "nothing:here"), (e.ErrorId, e.Target));
    }

    [Fact]
    public void ANameIsFoundWithoutReadingAnyOtherImage()
    {
        Damage(beta.Digest);
        Damage(beta.Id);

        Assert.Equal(alpha.Id, Images.Get("alpha:2").Id);
        Assert.Equal(alpha.Config.Config!.Cmd, Images.Get("alpha").Config.Config!.Cmd);
        Assert.Equal("docker.io/library/gamma:1", Images.Get("gamma:1").Reference);
        // the damaged one itself, and the listing, say so as they always did
        Assert.ThrowsAny<JsonException>(() => Images.Get("team/beta:1"));
        Assert.ThrowsAny<JsonException>(() => Images.List());
    }

    [Fact]
    public void AnIdIsFoundWithoutReadingAnyOtherImagesConfig()
    {
        Damage(beta.Id);

        Assert.Equal(alpha.Id, Images.Get(alpha.Id).Id);
        Assert.Equal("docker.io/library/alpha:latest", Images.Get(alpha.ShortId).Reference);
        Assert.ThrowsAny<JsonException>(() => Images.List());
    }

    [Fact]
    public void APatternSelectsTheNamesItMatchesAndALiteralWhatItNames()
    {
        Assert.Equal(["docker.io/library/alpha:2", "docker.io/library/alpha:latest"],
            Images.SelectTargets("alph?:*").Select(t => t.Reference).Order());
        Assert.Equal(["team/beta:1"], Images.SelectTargets("team/*").Select(t => t.ToString()));
        Assert.Empty(Images.SelectTargets("nothing*"));

        // a literal stands for what was typed: a name, or an id (the image, shown by its first name)
        var byId = Assert.Single(Images.SelectTargets(alpha.ShortId));
        Assert.Equal((alpha.ShortId, "alpha:latest"), (byId.Reference, byId.ToString()));
        Assert.Equal("alpha:2", Assert.Single(Images.SelectTargets("alpha`:2")).Reference);
        var e = Assert.Throws<ContainerException>(() => Images.SelectTargets("nothing:here"));
        Assert.Equal(("ImageNotFound", "nothing:here"), (e.ErrorId, e.Target));

        // an image object stands for the name it shows
        Assert.Equal("docker.io/library/alpha:2", Images.TargetOf(Images.Get("alpha:2")).Reference);
    }

    [Fact]
    public void RemovingWhatAPatternSelectsTakesThoseNamesAndNoOthers()
    {
        foreach (var target in Images.SelectTargets("alpha*"))
            Images.Remove(target.Reference, force: false);
        Assert.Null(Images.Find(alpha.Id));
        Assert.Equal(["docker.io/library/gamma:1", "docker.io/team/beta:1"], Images.List().Select(i => i.Reference).Order());

        // an id selected as typed removes the image with every name
        Images.Tag("gamma:1", ImageReference.Parse("gamma:2"));
        var gamma = Assert.Single(Images.SelectTargets(Images.Get("gamma:1").ShortId));
        Images.Remove(gamma.Reference, force: true);
        Assert.Equal(["docker.io/team/beta:1"], Images.List().Select(i => i.Reference));
    }
}
