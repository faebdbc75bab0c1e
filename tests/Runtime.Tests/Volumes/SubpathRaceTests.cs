using Container.Runtime.Containers;
using Container.Runtime.Errors;
using Container.Runtime.Linux;
using Container.Runtime.Volumes;
using Container.Tests.Fixtures;
using Xunit;

namespace Container.Tests.Volumes;

/// <summary>
/// The mount race from the source's side (CVE-2021-30465's, as a volume-subpath): a container
/// that shares a volume swaps a directory on the subpath's way with a link to a host directory,
/// while another container mounts that subpath, start after start. A start may be refused
/// (InvalidSubpath: it saw the link), but no run may ever see the host directory: the subpath
/// is bound by the descriptor it was resolved to inside the volume, not by its path.
/// </summary>
[Trait("Category", "Kernel")]
public sealed class SubpathRaceTests : IDisposable
{
    private const int Starts = 40;

    private readonly TestStore store = new();

    public void Dispose()
    {
        store.Dispose();
        Assert.DoesNotContain(MountTable.Read(), m => m.MountPoint.StartsWith(store.Root, StringComparison.Ordinal));
    }

    [Fact]
    public void ASubpathSwappedForALinkByAnotherContainerNeverMountsTheHostDirectory()
    {
        // the host directory the link points to: the test's own
        var secret = Path.Combine(store.Root, "secret");
        Directory.CreateDirectory(Path.Combine(secret, "b"));
        File.WriteAllText(Path.Combine(secret, "b", "f"), "HOST");
        store.Engine.Volumes.Create(new VolumeSpec { Name = "shared" });
        var data = store.Engine.Volumes.Get("shared").Mountpoint;
        Directory.CreateDirectory(Path.Combine(data, "a", "b"));
        File.WriteAllText(Path.Combine(data, "a", "b", "f"), "VOLUME");
        store.Containers.Create(new ContainerSpec
        {
            Image = TestStore.Image, Name = "victim", Command = ["cat", "/s/f"],
            Mounts = [MountParser.ParseMount("source=shared,target=/s,volume-subpath=a/b")],
        });
        store.Containers.Create(new ContainerSpec
        {
            Image = TestStore.Image, Name = "swapper",
            Command = ["sh", "-c", $"cd /v && while :; do mv a real; ln -s {secret} a; rm a; mv real a; done"],
            Mounts = [MountParser.ParseVolume("shared:/v", "/")],
        });
        store.Containers.Start("swapper");

        var ran = 0;
        var refused = 0;
        for (var start = 0; start < Starts; start++)
        {
            try
            {
                store.Containers.Start("victim");
            }
            catch (ContainerException e) when (e.ErrorId == "InvalidSubpath")
            {
                refused++;
                continue;
            }
            store.Containers.Wait("victim", TimeSpan.FromSeconds(60));
            ran++;
        }
        store.Containers.Remove("swapper", force: true);

        var output = store.Output("victim");
        Assert.DoesNotContain("HOST", output);
        // the race ran: the swapper moved the directory away under some of the starts
        Assert.Equal(Starts, ran + refused);
        Assert.True(ran > 0, $"no start of {Starts} got past the swapper");
        Assert.True(refused + output.Split('\n').Count(line => line != "VOLUME") > 0, "the swapper never got in a start's way");
    }
}
