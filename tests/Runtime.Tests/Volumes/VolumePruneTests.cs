using Container.Runtime.Containers;
using Container.Runtime.Volumes;
using Container.Tests.Fixtures;
using Xunit;

namespace Container.Tests.Volumes;

/// <summary>
/// A prune's removal of each volume it found unused, decided again when its turn comes:
/// another session may have taken the volume first, or made a container that uses it.
/// </summary>
public sealed class VolumePruneTests : IDisposable
{
    private readonly TestStore store = new();

    public void Dispose() => store.Dispose();

    private VolumeService Volumes => store.Engine.Volumes;

    [Fact]
    public void AVolumeUsedSinceThePruneFoundItIsKept()
    {
        Volumes.Create(new VolumeSpec { Name = "found" });
        Assert.Equal(["found"], Volumes.Unused(includeNamed: true).Select(v => v.Name));
        store.Containers.Create(new ContainerSpec { Image = TestStore.Image, Name = "user", Command = ["true"], Mounts = [MountParser.ParseVolume("found:/data", "/")] });

        Assert.False(Volumes.RemoveIfUnused("found"));
        Assert.Equal(["user"], Volumes.Get("found").UsedBy);
    }

    [Fact]
    public void AVolumeAnotherTookFirstIsNoError()
    {
        Volumes.Create(new VolumeSpec { Name = "taken" });
        Assert.True(Volumes.RemoveIfUnused("taken"));
        Assert.False(Volumes.RemoveIfUnused("taken"));
        Assert.False(Volumes.RemoveIfUnused("../taken"));
        Assert.Empty(Volumes.List());
    }

    [Fact]
    public async Task FilesThatComeAndGoWhileAVolumeIsCountedAreNoError()
    {
        // another session's container writing and removing files while a prune sizes the volume
        var data = Volumes.Create(new VolumeSpec { Name = "busy" }).Mountpoint;
        using var stop = new CancellationTokenSource();
        var churn = Task.Run(() =>
        {
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                var file = Path.Combine(data, $"f{n % 64}");
                File.WriteAllText(file, "x");
                File.Delete(file);
            }
        });
        try
        {
            for (var pass = 0; pass < 300; pass++)
                Assert.Equal("busy", Assert.Single(Volumes.Unused(includeNamed: true)).Name);
        }
        finally
        {
            stop.Cancel();
            await churn;
        }
    }
}
