using System.Formats.Tar;
using Container.Runtime.Errors;
using Container.Runtime.Linux;
using Container.Runtime.Processes;
using Container.Runtime.Volumes;
using Container.Tests.Fixtures;
using Xunit;

namespace Container.Tests.Volumes;

/// <summary>Export-ContainerVolume and Import-ContainerVolume: what a volume holds goes through an archive whole, and nothing in an archive leaves the volume.</summary>
[Trait("Category", "Kernel")]
public sealed class VolumeArchiveTests : IDisposable
{
    private readonly TestStore store = new(withImage: false);

    public void Dispose() => store.Dispose();

    private VolumeService Volumes => store.Engine.Volumes;

    private string Archive(string name) => Path.Combine(store.Root, name);

    /// <summary>
    /// A volume with a file of another owner and mode, a text and a binary user xattr, a hard
    /// link, links in and out, a directory of its own mode, and names past ustar's 100 bytes
    /// and outside ASCII.
    /// </summary>
    private string Filled(string name)
    {
        var data = Volumes.Create(new VolumeSpec { Name = name }).Mountpoint;
        Directory.CreateDirectory(Path.Combine(data, "dir"));
        File.SetUnixFileMode(Path.Combine(data, "dir"), (UnixFileMode)0b111_101_000);
        var file = Path.Combine(data, "dir", "file");
        File.WriteAllText(file, "content");
        Libc.Lchown(file, 1234, 5678);
        File.SetUnixFileMode(file, (UnixFileMode)0b110_100_000);
        var xattr = ProcessRunner.Run("setfattr", ["-n", "user.origin", "-v", "volume-test", file]);
        // tmpfs holds user xattrs only from Linux 6.6 (the cgroup v2 VM's store is on one, under 6.1)
        Skip.If(xattr.StandardError.Contains("not supported", StringComparison.OrdinalIgnoreCase),
            $"the store's file system ({store.Root}) holds no user extended attributes");
        Assert.Equal(0, xattr.ExitCode);
        Assert.Equal(0, ProcessRunner.Run("setfattr", ["-n", "user.binary", "-v", BinaryXattr, file]).ExitCode);
        Assert.Equal(0, ProcessRunner.Run("ln", [file, Path.Combine(data, "second-name")]).ExitCode);
        File.WriteAllText(Path.Combine(data, "dir", LongName), "long");
        File.WriteAllText(Path.Combine(data, "dir", "naïve"), "unicode");
        File.CreateSymbolicLink(Path.Combine(data, "out"), "/etc/passwd");
        File.CreateSymbolicLink(Path.Combine(data, "in"), "dir/file");
        return data;
    }

    // bytes no string record can hold: a NUL, and ones that are not UTF-8
    private const string BinaryXattr = "0x00ff10c3";
    private static readonly string LongName = new('n', 120);

    private static string Describe(string path) =>
        ProcessRunner.Run("stat", ["-c", "%u:%g %a %h %F %Y", path]).StandardOutput.Trim();

    private static string BinaryXattrOf(string path) =>
        ProcessRunner.Run("getfattr", ["-n", "user.binary", "-e", "hex", "--absolute-names", path]).StandardOutput.Split('\n')[1];

    [SkippableFact]
    public void OwnersModesXattrsHardLinksAndLinksGoThroughWhole()
    {
        var source = Filled("source");
        var archive = Archive("source.tar");
        Volumes.Export("source", archive);
        var copy = Volumes.Import(archive, "copy").Mountpoint;

        foreach (var name in new[] { "dir", "dir/file", "second-name", "out", "in", "dir/" + LongName, "dir/naïve" })
            Assert.Equal(Describe(Path.Combine(source, name)), Describe(Path.Combine(copy, name)));
        Assert.Equal($"user.binary={BinaryXattr}", BinaryXattrOf(Path.Combine(copy, "dir", "file")));
        Assert.Equal("2", ProcessRunner.Run("stat", ["-c", "%h", Path.Combine(copy, "second-name")]).StandardOutput.Trim());
        Assert.Equal(FileStatus.Inode(Path.Combine(copy, "dir", "file")), FileStatus.Inode(Path.Combine(copy, "second-name")));
        Assert.Equal("volume-test", ProcessRunner.Run("getfattr", ["--only-values", "-n", "user.origin", Path.Combine(copy, "dir", "file")]).StandardOutput);
        Assert.Equal("/etc/passwd", new FileInfo(Path.Combine(copy, "out")).LinkTarget);
        Assert.Equal("content", File.ReadAllText(Path.Combine(copy, "in")));
        Assert.Equal("copy", Volumes.Get("copy").Name);
    }

    [SkippableFact]
    public void GnuTarReadsTheArchiveAsItWasWrittenAndItsOwnArchiveImports()
    {
        var source = Filled("by-us");
        Volumes.Export("by-us", Archive("ours.tar"));
        var listing = ProcessRunner.Run("tar", ["--xattrs", "--xattrs-include=user.*", "-tvf", Archive("ours.tar")]).StandardOutput;
        Assert.Contains("1234/5678", listing);
        Assert.Contains("second-name link to dir/file", listing);
        Assert.Contains("out -> /etc/passwd", listing);
        Assert.Contains("dir/" + LongName, listing);
        var unpacked = Path.Combine(store.Root, "unpacked-by-tar");
        Directory.CreateDirectory(unpacked);
        Assert.Equal(0, ProcessRunner.Run("tar", ["--xattrs", "--xattrs-include=user.*", "-xf", Archive("ours.tar"), "-C", unpacked]).ExitCode);
        Assert.Equal($"user.binary={BinaryXattr}", BinaryXattrOf(Path.Combine(unpacked, "dir", "file")));
        Assert.Equal(Describe(Path.Combine(source, "dir", "naïve")), Describe(Path.Combine(unpacked, "dir", "naïve")));

        Assert.Equal(0, ProcessRunner.Run("tar", ["--xattrs", "--xattrs-include=user.*", "-czf", Archive("theirs.tar.gz"), "-C", source, "."]).ExitCode);
        var imported = Volumes.Import(Archive("theirs.tar.gz"), "by-tar").Mountpoint;
        Assert.Equal(Describe(Path.Combine(source, "dir", "file")), Describe(Path.Combine(imported, "dir", "file")));
        Assert.Equal("volume-test", ProcessRunner.Run("getfattr", ["--only-values", "-n", "user.origin", Path.Combine(imported, "dir", "file")]).StandardOutput);
    }

    [Theory]
    [InlineData("climb")]
    [InlineData("through-link")]
    [InlineData("damaged")]
    public void AnArchiveThatWouldLeaveTheVolumeOrIsDamagedMakesNoVolume(string kind)
    {
        var archive = Archive(kind + ".tar");
        var outside = Path.Combine(store.Root, "outside");
        Directory.CreateDirectory(outside);
        using (var file = File.Create(archive))
        {
            if (kind == "damaged")
                file.Write(new byte[700]);
            else
            {
                using var writer = new TarWriter(file, TarEntryFormat.Pax);
                if (kind == "climb")
                    writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "../../outside/escaped") { DataStream = new MemoryStream("x"u8.ToArray()) });
                else
                {
                    writer.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, "hop") { LinkName = outside });
                    writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "hop/escaped") { DataStream = new MemoryStream("x"u8.ToArray()) });
                }
            }
        }
        var error = Assert.Throws<ContainerException>(() => Volumes.Import(archive, "refused"));
        Assert.Equal(("InvalidVolumeArchive", ErrorKind.InvalidArgument), (error.ErrorId, error.Kind));
        Assert.Empty(Directory.EnumerateFileSystemEntries(outside));
        Assert.Empty(Volumes.List());
        Assert.Empty(Directory.EnumerateFileSystemEntries(store.Paths.StagingDir));
    }

    [Fact]
    public void AnImportNeverReplacesAVolume()
    {
        File.WriteAllText(Path.Combine(Volumes.Create(new VolumeSpec { Name = "taken" }).Mountpoint, "file"), "content");
        Volumes.Export("taken", Archive("taken.tar"));
        Assert.Equal("VolumeExists", Assert.Throws<ContainerException>(() => Volumes.Import(Archive("taken.tar"), "taken")).ErrorId);
        Assert.Equal("PathNotFound", Assert.Throws<ContainerException>(() => Volumes.Import(Archive("missing.tar"), "other")).ErrorId);
        Assert.Equal("VolumeNotFound", Assert.Throws<ContainerException>(() => Volumes.Export("missing", Archive("x.tar"))).ErrorId);
    }
}
