using Container.Runtime.Containers;
using Container.Runtime.Errors;
using Container.Runtime.Images;
using Container.Tests.Fixtures;
using Xunit;

namespace Container.Tests.Images;

/// <summary>Tags and removal as docker rmi does them, and what removal takes with it.</summary>
public sealed class ImageRemovalTests : IDisposable
{
    private readonly TestStore store = new(withImage: false);

    public void Dispose() => store.Dispose();

    private ImageStore Images => store.Engine.Images;

    private int Blobs => Directory.GetFiles(store.Paths.BlobsDir).Length;

    private int Layers => Directory.GetDirectories(store.Paths.LayersDir).Length;

    private ContainerImage Import(string name = "peer/busybox:umoci") =>
        Assert.Single(store.Engine.Importer.Import(PeerImages.Layout, ImageReference.Parse(name), null));

    [Fact]
    public void TaggingAddsANameToTheSameImage()
    {
        var image = Import();
        var tagged = Images.Tag("peer/busybox:umoci", ImageReference.Parse("mine:v2"));
        Assert.Equal(image.Id, tagged.Id);
        Assert.Equal(["docker.io/library/mine:v2", "docker.io/peer/busybox:umoci"], tagged.Names.Order());
        Assert.Equal(2, Images.List().Count);
    }

    [Fact]
    public void ATagMovesToTheImageItNowNames()
    {
        Import();
        store.Engine.Importer.Import(BusyboxRootfs.Path, ImageReference.Parse("other:1"), ImageDefaults.From(["sh"], null, null));
        Images.Tag("other:1", ImageReference.Parse("moving:tag"));
        Images.Tag("peer/busybox:umoci", ImageReference.Parse("moving:tag"));
        Assert.Equal(Images.Get("peer/busybox:umoci").Id, Images.Get("moving:tag").Id);
        Assert.DoesNotContain("docker.io/library/moving:tag", Images.Get("other:1").Names);
    }

    [Fact]
    public void AnImageWhoseLastNameMovesStaysNameless()
    {
        var left = Assert.Single(store.Engine.Importer.Import(BusyboxRootfs.Path, ImageReference.Parse("moving:tag"), ImageDefaults.From(["sh"], null, null)));
        Import();
        Images.Tag("peer/busybox:umoci", ImageReference.Parse("moving:tag"));
        Assert.Empty(Images.Get(left.Id).Names);
        Assert.Single(Images.List(), image => image.Id == left.Id);
        Images.Remove(left.Id, force: false);
        Assert.DoesNotContain(Images.List(), image => image.Id == left.Id);
    }

    [Fact]
    public void RemovingOneOfTwoNamesKeepsTheImage()
    {
        Import();
        Images.Tag("peer/busybox:umoci", ImageReference.Parse("mine:v2"));
        var blobs = Blobs;
        Images.Remove("mine:v2", force: false);
        Assert.Equal("docker.io/peer/busybox:umoci", Assert.Single(Images.List()).Reference);
        Assert.Equal(blobs, Blobs);
    }

    [Fact]
    public void RemovingTheLastNameRemovesBlobsAndLayers()
    {
        Import();
        Images.Remove("peer/busybox:umoci", force: false);
        Assert.Empty(Images.List());
        Assert.Equal(0, Blobs);
        Assert.Equal(0, Layers);
    }

    [Fact]
    public void LayersOtherImagesShareStay()
    {
        Import();
        // the same first layer, under another image
        store.Engine.Importer.Import(PeerImages.DockerArchive, null, null);
        Images.Tag("peer/busybox:docker", ImageReference.Parse("keep:1"));
        Images.Remove("peer/busybox:umoci", force: false);
        // same content, same layers and config: nothing went
        Assert.Equal(2, Layers);
        Assert.NotEmpty(Images.List());
    }

    [Fact]
    public void AnIdWithSeveralNamesNeedsForce()
    {
        var image = Import();
        Images.Tag("peer/busybox:umoci", ImageReference.Parse("mine:v2"));
        var e = Assert.Throws<ContainerException>(() => Images.Remove(image.ShortId, force: false));
        Assert.Equal("ImageHasSeveralNames", e.ErrorId);
        Images.Remove(image.ShortId, force: true);
        Assert.Empty(Images.List());
    }

    [Fact]
    [Trait("Category", "Kernel")]
    public void AnImageInUseNeedsForceAndKeepsItsLayersForTheContainer()
    {
        Import();
        store.Containers.Create(new ContainerSpec { Image = "peer/busybox:umoci", Name = "user", Command = ["cat", "peer-made"] });

        var e = Assert.Throws<ContainerException>(() => Images.Remove("peer/busybox:umoci", force: false));
        Assert.Equal("ImageInUse", e.ErrorId);
        Assert.Contains("user", e.Message);

        Images.Remove("peer/busybox:umoci", force: true);
        Assert.Null(Images.Find("peer/busybox:umoci"));
        Assert.Equal(2, Layers);
        // the container still runs
        store.Containers.Start("user");
        Assert.Equal(0, store.Containers.Wait("user", TimeSpan.FromSeconds(30)).ExitCode);
        Assert.Equal("by umoci", store.Output("user"));

        // and once it goes, so do the image's layers, at the next collection
        store.Containers.Remove("user", force: false);
        Images.CollectGarbage();
        Assert.Equal(0, Layers);
        Assert.Equal(0, Blobs);
    }

    /// <summary>As docker rmi -f: a running container's image keeps existing (nameless), and its id cannot be removed.</summary>
    [Fact]
    [Trait("Category", "Kernel")]
    public void ForceTakesARunningContainersImagesNameButNotTheImage()
    {
        var image = Import();
        store.Containers.Create(new ContainerSpec { Image = "peer/busybox:umoci", Name = "runner", Command = ["sleep", "300"] });
        store.Containers.Start("runner");

        var e = Assert.Throws<ContainerException>(() => Images.Remove(image.ShortId, force: true));
        Assert.Equal("ImageInUseByRunningContainer", e.ErrorId);
        Assert.Contains("runner", e.Message);
        Assert.Equal("docker.io/peer/busybox:umoci", Assert.Single(Images.List()).Reference);

        Images.Remove("peer/busybox:umoci", force: true);
        var nameless = Assert.Single(Images.List());
        Assert.Equal((image.Id, ContainerImage.None), (nameless.Id, nameless.Repository));
        Assert.Throws<ContainerException>(() => Images.Remove(image.Id, force: true));
        Assert.Equal(ContainerStatus.Running, store.Containers.Get("runner").Status);
    }

    /// <summary>The case: an untagged image a (stopped) container uses, forced, goes; the container keeps its layers.</summary>
    [Fact]
    [Trait("Category", "Kernel")]
    public void ForceRemovesAnUntaggedImageAStoppedContainerUses()
    {
        var image = Import();
        store.Containers.Create(new ContainerSpec { Image = "peer/busybox:umoci", Name = "user", Command = ["cat", "peer-made"] });
        // untagged while a running container used it, so it stayed, nameless
        store.Containers.Create(new ContainerSpec { Image = "peer/busybox:umoci", Name = "runner", Command = ["sleep", "300"] });
        store.Containers.Start("runner");
        Images.Remove("peer/busybox:umoci", force: true);
        store.Containers.Remove("runner", force: true);
        Assert.Equal(ContainerImage.None, Assert.Single(Images.List()).Repository);

        Assert.Equal("ImageInUse", Assert.Throws<ContainerException>(() => Images.Remove(image.Id, force: false)).ErrorId);
        Images.Remove(image.Id, force: true);
        Assert.Empty(Images.List());
        Assert.Equal(2, Layers);
        // its layers are the container's still
        store.Containers.Start("user");
        Assert.Equal(0, store.Containers.Wait("user", TimeSpan.FromSeconds(30)).ExitCode);
        Assert.Equal("by umoci", store.Output("user"));
    }

    [Fact]
    public void RemovingWhatDoesNotExistSaysSo()
    {
        Assert.Equal("ImageNotFound", Assert.Throws<ContainerException>(() => Images.Remove("nothing:here", false)).ErrorId);
    }
}
