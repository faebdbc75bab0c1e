using System.Formats.Tar;
using System.Text;
using Container.Runtime.Errors;
using Container.Runtime.Images;
using Xunit;

namespace Container.Tests.Images;

/// <summary>
/// Layers are unpacked as root from tarballs anyone can make: these tarballs try every
/// way out of the layer's directory, and the ordinary things a layer must keep.
/// </summary>
public sealed class LayerUnpackerTests : IDisposable
{
    private readonly string work = Directory.CreateTempSubdirectory("unpack-").FullName;
    private readonly string target;
    private readonly string outside;

    public LayerUnpackerTests()
    {
        target = Path.Combine(work, "layer");
        outside = Path.Combine(work, "outside");
        Directory.CreateDirectory(target);
        Directory.CreateDirectory(outside);
    }

    public void Dispose() => Directory.Delete(work, recursive: true);

    private static MemoryStream Tar(params TarEntry[] entries)
    {
        var stream = new MemoryStream();
        using (var writer = new TarWriter(stream, TarEntryFormat.Pax, leaveOpen: true))
            foreach (var entry in entries)
                writer.WriteEntry(entry);
        stream.Position = 0;
        return stream;
    }

    private static PaxTarEntry File(string name, string content, int mode = 0b110_100_100)
    {
        return new PaxTarEntry(TarEntryType.RegularFile, name)
        {
            DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)),
            Mode = (UnixFileMode)mode,
        };
    }

    private static PaxTarEntry Link(TarEntryType type, string name, string linkName) => new(type, name) { LinkName = linkName };

    private void Unpack(params TarEntry[] entries) => LayerUnpacker.Unpack(Tar(entries), target);

    private void AssertRefused(params TarEntry[] entries)
    {
        var e = Assert.Throws<ContainerException>(() => Unpack(entries));
        Assert.Equal("InvalidLayer", e.ErrorId);
        Assert.Empty(Directory.EnumerateFileSystemEntries(outside));
        Assert.False(System.IO.File.Exists(Path.Combine(work, "escape.txt")));
    }

    [Fact]
    public void DotDotThatClimbsOutIsRefused() => AssertRefused(File("../escape.txt", "x"));

    [Fact]
    public void DotDotInTheMiddleThatClimbsOutIsRefused() => AssertRefused(File("a/../../escape.txt", "x"));

    [Fact]
    public void DotDotThatStaysInsideIsFine()
    {
        Unpack(File("a/b/../c.txt", "x"));
        Assert.True(System.IO.File.Exists(Path.Combine(target, "a/c.txt")));
    }

    [Fact]
    public void AbsoluteNamesAreContained()
    {
        Unpack(File($"{outside}/abs.txt", "x"), File("/etc/passwd", "root"));
        Assert.Empty(Directory.EnumerateFileSystemEntries(outside));
        Assert.Equal("root", System.IO.File.ReadAllText(Path.Combine(target, "etc/passwd")));
        Assert.True(System.IO.File.Exists(Path.Combine(target, outside.TrimStart('/'), "abs.txt")));
    }

    [Fact]
    public void WritingThroughAnAbsoluteSymlinkIsRefused() =>
        AssertRefused(Link(TarEntryType.SymbolicLink, "link", outside), File("link/escape.txt", "x"));

    [Fact]
    public void WritingThroughARelativeSymlinkIsRefused() =>
        AssertRefused(Link(TarEntryType.SymbolicLink, "up", "../outside"), File("up/escape.txt", "x"));

    [Fact]
    public void DirectoryEntryThroughASymlinkIsRefused() =>
        AssertRefused(Link(TarEntryType.SymbolicLink, "link", outside), new PaxTarEntry(TarEntryType.Directory, "link/sub"));

    [Fact]
    public void HardLinkOutOfTheLayerIsRefused()
    {
        System.IO.File.WriteAllText(Path.Combine(outside, "secret"), "s");
        var e = Assert.Throws<ContainerException>(() => Unpack(Link(TarEntryType.HardLink, "hl", "../outside/secret")));
        Assert.Equal("InvalidLayer", e.ErrorId);
        Assert.False(System.IO.File.Exists(Path.Combine(target, "hl")));
    }

    [Fact]
    public void HardLinkThroughASymlinkIsRefused()
    {
        System.IO.File.WriteAllText(Path.Combine(outside, "secret"), "s");
        AssertRefusedKeepingSecret(Link(TarEntryType.SymbolicLink, "link", outside), Link(TarEntryType.HardLink, "hl", "link/secret"));
    }

    private void AssertRefusedKeepingSecret(params TarEntry[] entries)
    {
        var e = Assert.Throws<ContainerException>(() => Unpack(entries));
        Assert.Equal("InvalidLayer", e.ErrorId);
        Assert.Equal(1, new FileInfo(Path.Combine(outside, "secret")).Length);
    }

    [Fact]
    public void AFileReplacesASymlinkInsteadOfWritingThroughIt()
    {
        var victim = Path.Combine(outside, "victim");
        Unpack(Link(TarEntryType.SymbolicLink, "name", victim), File("name", "overwritten?"));

        Assert.False(System.IO.File.Exists(victim));
        var replaced = new FileInfo(Path.Combine(target, "name"));
        Assert.Null(replaced.LinkTarget);
        Assert.Equal("overwritten?", System.IO.File.ReadAllText(replaced.FullName));
    }

    [Fact]
    public void SymlinksAreKeptAsTheyAre()
    {
        Unpack(Link(TarEntryType.SymbolicLink, "abs", "/etc/passwd"), Link(TarEntryType.SymbolicLink, "rel", "../../x"));
        Assert.Equal("/etc/passwd", new FileInfo(Path.Combine(target, "abs")).LinkTarget);
        Assert.Equal("../../x", new FileInfo(Path.Combine(target, "rel")).LinkTarget);
    }

    [Fact]
    public void OwnershipModesTimesAndHardLinksAreKept()
    {
        var file = File("bin/tool", "#!/bin/sh\n", 0b100_111_101_101);
        file.Uid = 1234;
        file.Gid = 5678;
        file.ModificationTime = new DateTimeOffset(2001, 2, 3, 4, 5, 6, TimeSpan.Zero);
        var dir = new PaxTarEntry(TarEntryType.Directory, "bin") { Mode = (UnixFileMode)0b111_101_000, ModificationTime = new DateTimeOffset(2002, 1, 1, 0, 0, 0, TimeSpan.Zero) };

        Unpack(dir, file, Link(TarEntryType.HardLink, "bin/alias", "bin/tool"));

        var tool = Path.Combine(target, "bin/tool");
        var stat = Stat(tool);
        Assert.Equal(("1234", "5678", "4755"), (stat.Uid, stat.Gid, stat.Mode));
        Assert.Equal(new DateTime(2001, 2, 3, 4, 5, 6, DateTimeKind.Utc), System.IO.File.GetLastWriteTimeUtc(tool));
        Assert.Equal(stat.Inode, Stat(Path.Combine(target, "bin/alias")).Inode);
        Assert.Equal("750", Stat(Path.Combine(target, "bin")).Mode);
        Assert.Equal(new DateTime(2002, 1, 1, 0, 0, 0, DateTimeKind.Utc), Directory.GetLastWriteTimeUtc(Path.Combine(target, "bin")));
    }

    [Fact]
    public void DeviceNodesAreMade()
    {
        var device = new PaxTarEntry(TarEntryType.CharacterDevice, "dev/null") { DeviceMajor = 1, DeviceMinor = 3, Mode = (UnixFileMode)0b110_110_110 };
        Unpack(device);
        Assert.Equal("character special file 1 3", Stat(Path.Combine(target, "dev/null")).Kind);
    }

    [Fact]
    public void WhiteoutsBecomeOverlayWhiteouts()
    {
        Unpack(new PaxTarEntry(TarEntryType.RegularFile, ".wh.gone"), new PaxTarEntry(TarEntryType.Directory, "dir"),
            new PaxTarEntry(TarEntryType.RegularFile, "dir/.wh..wh..opq"));

        Assert.Equal("character special file 0 0", Stat(Path.Combine(target, "gone")).Kind);
        Assert.False(System.IO.File.Exists(Path.Combine(target, ".wh.gone")));
        Assert.False(System.IO.File.Exists(Path.Combine(target, "dir/.wh..wh..opq")));
        Assert.Equal("y", Run("getfattr", "--only-values", "-n", "trusted.overlay.opaque", Path.Combine(target, "dir")));
    }

    [Fact]
    public void LaterEntriesReplaceEarlierOnes()
    {
        Unpack(new PaxTarEntry(TarEntryType.Directory, "x"), File("x/inner", "1"), File("x", "now a file"));
        Assert.Equal("now a file", System.IO.File.ReadAllText(Path.Combine(target, "x")));
    }

    private sealed record StatResult(string Uid, string Gid, string Mode, string Inode, string Kind);

    private static StatResult Stat(string path)
    {
        var fields = Run("stat", "-c", "%u|%g|%a|%i|%F %t %T", path).Split('|');
        var kind = fields[4];
        if (kind.StartsWith("character", StringComparison.Ordinal))
        {
            var parts = kind.Split(' ');
            kind = $"character special file {Convert.ToInt32(parts[^2], 16)} {Convert.ToInt32(parts[^1], 16)}";
        }
        return new StatResult(fields[0], fields[1], fields[2], fields[3], kind);
    }

    private static string Run(string program, params string[] arguments)
    {
        var result = Container.Runtime.Processes.ProcessRunner.Run(program, arguments);
        Assert.True(result.Succeeded, result.StandardError);
        return result.StandardOutput.Trim();
    }
}
