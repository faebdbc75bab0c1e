using System.Collections;
using Container.Runtime.Errors;
using Container.Runtime.Volumes;
using Xunit;

namespace Container.Tests.Volumes;

/// <summary>-Volume, -Mount and -Tmpfs read as docker reads them, and bad input refused before anything is made.</summary>
public sealed class MountParserTests
{
    [Fact]
    public void TheShortFormTellsBindsFromNamedAndAnonymousVolumes()
    {
        Assert.Equal(new ContainerMount { Type = MountType.Bind, Source = "/srv/web", Target = "/data", CreateSource = true },
            MountParser.ParseVolume("/srv/web:/data", "/home/u"));
        Assert.Equal(new ContainerMount { Type = MountType.Bind, Source = "/home/u/site", Target = "/site", ReadOnly = true, CreateSource = true },
            MountParser.ParseVolume("./site:/site:ro", "/home/u"));
        Assert.Equal(new ContainerMount { Type = MountType.Volume, Source = "data", Target = "/var/lib/db", NoCopy = true },
            MountParser.ParseVolume("data:/var/lib/db/:nocopy,rw", "/"));
        Assert.Equal(new ContainerMount { Type = MountType.Volume, Target = "/cache", Anonymous = true },
            MountParser.ParseVolume("/cache", "/"));
        Assert.Equal(new ContainerMount { Type = MountType.Volume, Target = "/cache", ReadOnly = true, Anonymous = true },
            MountParser.ParseVolume("/cache:ro", "/"));
        Assert.Equal("rshared", MountParser.ParseVolume("/mnt:/mnt:rshared", "/").Propagation);
    }

    [Fact]
    public void SelinuxLabelsAreIgnoredWithAWarning()
    {
        var warnings = new List<string>();
        var mount = MountParser.ParseVolume("/srv:/srv:Z", "/", warnings.Add);
        Assert.Equal("/srv", mount.Target);
        Assert.Contains("'Z'", Assert.Single(warnings));
    }

    [Theory]
    [InlineData("/a:/b:/c:/d", "InvalidVolumeSpec")]
    [InlineData(":/data", "InvalidVolumeSpec")]
    [InlineData("/srv:data", "InvalidMountOption")]
    [InlineData("/srv:/", "InvalidMountSpec")]
    [InlineData("/srv:/data:ro,rw", "InvalidMountOption")]
    [InlineData("/srv:/data:nocopy", "InvalidMountOption")]
    [InlineData("data:/data:rshared", "InvalidMountOption")]
    [InlineData("/srv:/data:exec", "InvalidMountOption")]
    [InlineData("-bad:/data", "InvalidVolumeName")]
    public void ABadShortFormIsRefused(string text, string errorId) =>
        Assert.Equal(errorId, Assert.Throws<ContainerException>(() => MountParser.ParseVolume(text, "/")).ErrorId);

    [Fact]
    public void TheLongFormTakesDockersKeys()
    {
        Assert.Equal(new ContainerMount { Type = MountType.Bind, Source = "/srv", Target = "/data", ReadOnly = true, Propagation = "rslave" },
            MountParser.ParseMount("type=bind,src=/srv,dst=/data,readonly,bind-propagation=rslave"));
        Assert.Equal(new ContainerMount { Type = MountType.Volume, Source = "db", Target = "/db", Subpath = "a/b", NoCopy = true },
            MountParser.ParseMount("source=db,target=/db,volume-subpath=./a/b,volume-nocopy=true"));
        var tmpfs = MountParser.ParseMount("type=tmpfs,target=/scratch,tmpfs-size=64m,tmpfs-mode=0700");
        Assert.Equal((64L << 20, 0b111_000_000), (tmpfs.TmpfsSize!.Value, tmpfs.TmpfsMode!.Value));
        Assert.Equal("/a,b", MountParser.ParseMount("type=bind,source=/srv,\"target=/a,b\"").Target);
    }

    [Fact]
    public void TheLongFormComesAsAHashtableToo()
    {
        var mount = MountParser.FromDictionary(new Hashtable { ["type"] = "bind", ["source"] = "/srv", ["target"] = "/data", ["readonly"] = true });
        Assert.Equal(new ContainerMount { Type = MountType.Bind, Source = "/srv", Target = "/data", ReadOnly = true }, mount);
        Assert.Equal("InvalidMountOption",
            Assert.Throws<ContainerException>(() => MountParser.FromDictionary(new Hashtable { ["target"] = "/x", ["readonly"] = "maybe" })).ErrorId);
    }

    [Theory]
    [InlineData("type=bind,target=/data", "InvalidMountSpec")]
    [InlineData("type=bind,source=srv,target=/data", "InvalidMountSpec")]
    [InlineData("type=volume,source=db", "InvalidMountSpec")]
    [InlineData("type=volume,target=data", "InvalidMountSpec")]
    [InlineData("type=nfs,target=/data", "InvalidMountSpec")]
    [InlineData("type=tmpfs,source=x,target=/data", "InvalidMountSpec")]
    [InlineData("type=volume,source=db,target=/db,volume-subpath=../etc", "InvalidMountSpec")]
    [InlineData("type=volume,source=db,target=/db,volume-subpath=/etc", "InvalidMountSpec")]
    [InlineData("type=volume,target=/db,volume-subpath=a", "InvalidMountSpec")]
    [InlineData("type=bind,source=/srv,target=/data,volume-nocopy", "InvalidMountOption")]
    [InlineData("type=bind,source=/srv,target=/data,bind-propagation=sideways", "InvalidMountOption")]
    [InlineData("type=tmpfs,target=/t,tmpfs-size=lots", "InvalidMountOption")]
    [InlineData("type=tmpfs,target=/t,tmpfs-mode=999", "InvalidMountOption")]
    [InlineData("type=volume,source=db,target=/db,colour=blue", "InvalidMountOption")]
    [InlineData("type=bind,source=/srv,target=/data,target=/other", "InvalidMountOption")]
    [InlineData("type=bind,source=/srv,target=/data,dst=/other", "InvalidMountOption")]
    [InlineData("type=bind,source=/srv,\"target=/data", "InvalidMountSpec")]
    public void ABadLongFormIsRefused(string text, string errorId) =>
        Assert.Equal(errorId, Assert.Throws<ContainerException>(() => MountParser.ParseMount(text)).ErrorId);

    [Fact]
    public void ATmpfsIsNoexecNosuidNodevUnlessItSaysOtherwise()
    {
        var tmpfs = MountParser.ParseTmpfs("/run:size=1g,mode=1777,exec");
        Assert.Equal((1L << 30, 0b1_111_111_111), (tmpfs.TmpfsSize!.Value, tmpfs.TmpfsMode!.Value));
        Assert.Equal(["exec", "nosuid", "nodev"], tmpfs.TmpfsFlags!);
        Assert.Equal(["noexec", "nosuid", "nodev"], MountParser.ParseTmpfs("/tmp").TmpfsFlags!);
        Assert.Equal("InvalidMountOption", Assert.Throws<ContainerException>(() => MountParser.ParseTmpfs("/t:size=big")).ErrorId);
        Assert.Equal("InvalidMountOption", Assert.Throws<ContainerException>(() => MountParser.ParseTmpfs("/t:colour=blue")).ErrorId);
        Assert.Equal("InvalidMountSpec", Assert.Throws<ContainerException>(() => MountParser.ParseTmpfs("relative")).ErrorId);
    }
}
