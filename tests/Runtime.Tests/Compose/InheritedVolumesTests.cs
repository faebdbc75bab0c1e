using Container.Runtime.Compose;
using Container.Runtime.Containers;
using Container.Runtime.Volumes;
using Xunit;

namespace Container.Tests.Compose;

/// <summary>Which of a replaced container's anonymous volumes the new one mounts, and where.</summary>
public sealed class InheritedVolumesTests
{
    private static ContainerMount Anonymous(string target, string? name = null) =>
        new() { Type = MountType.Volume, Source = name, Target = target, Anonymous = true };

    private static readonly ContainerMount[] Replaced =
    [
        Anonymous("/data", "old-data"), Anonymous("/db", "old-db"), Anonymous("/cache", "old-cache"), Anonymous("/gone", "old-gone"),
        new() { Type = MountType.Volume, Source = "shop_named", Target = "/named" },
        new() { Type = MountType.Bind, Source = "/srv", Target = "/srv" },
    ];

    [Fact]
    public void EachAnonymousVolumeGoesWhereTheServiceStillMountsOneWithoutASourceOrTheImageDeclaresOne()
    {
        var spec = new ContainerSpec
        {
            Image = "busybox",
            Mounts =
            [
                Anonymous("/data") with { ReadOnly = true },
                // now a named volume: the service's choice wins
                new() { Type = MountType.Volume, Source = "shop_cache", Target = "/cache" },
                new() { Type = MountType.Volume, Source = "shop_named", Target = "/named" },
            ],
        };

        var mounts = InheritedVolumes.Into(spec, Replaced, imageVolumes: ["/db/"]).Mounts!;

        Assert.Equal(
            [("/data", "old-data", true, true), ("/cache", "shop_cache", false, false), ("/named", "shop_named", false, false), ("/db", "old-db", true, false)],
            mounts.Select(m => (m.Target, m.Source, m.Anonymous, m.ReadOnly)));
    }

    [Fact]
    public void NothingIsCarriedWhenNeitherTheServiceNorTheImageAsksForAVolumeThere()
    {
        var spec = new ContainerSpec { Image = "busybox" };
        Assert.Empty(InheritedVolumes.Into(spec, Replaced, imageVolumes: []).Mounts!);
    }
}
