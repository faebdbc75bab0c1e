using Container.Runtime.Oci;
using Container.Runtime.Processes;
using Xunit;
using Xunit.Abstractions;

namespace Container.Tests.Conformance;

/// <summary>
/// A mount's destination is resolved inside the rootfs: a symlink in the image (absolute,
/// relative, a chain) or a `..` can only lead to a place in the rootfs, as with runc and crun
/// on the same bundle, and the host's path of that name is left as it was. A bind source that
/// does not fit its destination is a clear error that leaves no mount behind.
/// </summary>
[Trait("Category", "Kernel")]
public sealed class MountTargetSafetyTests(ITestOutputHelper output) : IDisposable
{
    private static readonly string[] All = [Oci.Ours, Oci.Runc, Oci.Crun];

    private readonly WritableRootfs rootfs = new();
    private readonly string source = Directory.CreateTempSubdirectory("mount-source-").FullName;
    private readonly string marker = $"mount-safety-{Guid.NewGuid():N}";

    public void Dispose()
    {
        rootfs.Dispose();
        Directory.Delete(source, recursive: true);
    }

    private RuntimeSpec Spec(string script, params MountSpec[] mounts)
    {
        var spec = Bundle.DefaultSpec("sh", "-c", script);
        spec.Root!.Path = rootfs.Path;
        spec.Mounts.AddRange(mounts);
        return spec;
    }

    private static MountSpec BindAt(string source, string destination) =>
        new() { Destination = destination, Type = "bind", Source = source, Options = ["rbind"] };

    private ProcessResult Run(Bundle bundle, string runtime)
    {
        var result = bundle.Run(runtime);
        output.WriteLine($"{runtime} ({result.ExitCode}):\n{result.StandardOutput}{result.StandardError}");
        return result;
    }

    /// <param name="links">name=target pairs made in the rootfs, in order, separated by ;</param>
    /// <param name="destination">the mount's destination in the bundle</param>
    /// <param name="lands">where in the rootfs the bind must land</param>
    [Theory]
    [InlineData("data=/etc", "/data", "/etc")]
    [InlineData("data=../../etc", "/data", "/etc")]
    [InlineData("data=l1;l1=../l2;l2=/etc", "/data", "/etc")]
    [InlineData("data=/etc", "/data/mount-safety-new", "/etc/mount-safety-new")]
    [InlineData("", "/../../../tmp/mount-safety-up", "/tmp/mount-safety-up")]
    [InlineData("tmp/up=../../..", "/tmp/up/tmp/up/mount-safety-up", "/mount-safety-up")]
    public void TheBindLandsInsideTheRootfsAsWithThePeers(string links, string destination, string lands)
    {
        foreach (var link in links.Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            var (name, target) = (link[..link.IndexOf('=')], link[(link.IndexOf('=') + 1)..]);
            File.CreateSymbolicLink(rootfs.At(name), target);
        }
        File.WriteAllText(Path.Combine(source, marker), "marked\n");
        var hostHadIt = Path.Exists(lands);
        var hostMounts = WritableRootfs.HostMountsUnder(lands);

        // the container finds the source at the place the destination leads to, mounted there
        using var bundle = new Bundle(Spec($"cat {lands}/{marker}; awk '$5 == \"{lands}\"' /proc/self/mountinfo | wc -l",
            BindAt(source, destination)));
        foreach (var runtime in All)
        {
            var result = Run(bundle, runtime);
            Assert.Equal((0, "marked\n1\n", runtime), (result.ExitCode, result.StandardOutput, runtime));

            // and the host's path of that name is as it was
            Assert.Equal(hostHadIt, Path.Exists(lands));
            Assert.False(File.Exists(Path.Combine(lands, marker)));
            Assert.Equal(hostMounts, WritableRootfs.HostMountsUnder(lands));
            Assert.Empty(WritableRootfs.HostMountsUnder(rootfs.Path));
        }
        Assert.True(Directory.Exists(rootfs.At(lands)));
    }

    [Fact]
    public void AFileSourceIsMountedOnAFileAndADirectoryOnADirectory()
    {
        var file = Path.Combine(source, "file");
        File.WriteAllText(file, "a file\n");
        using var bundle = new Bundle(Spec("cat /etc/bound-file; [ -f /etc/bound-file ] && echo file; [ -d /new/dir ] && echo dir; ls /new/dir",
            BindAt(file, "/etc/bound-file"), BindAt(source, "/new/dir")));
        foreach (var runtime in All)
        {
            var result = Run(bundle, runtime);
            Assert.Equal((0, "a file\nfile\ndir\nfile\n", runtime), (result.ExitCode, result.StandardOutput, runtime));
        }
        Assert.True(File.Exists(rootfs.At("/etc/bound-file")));
        Assert.True(Directory.Exists(rootfs.At("/new/dir")));
    }

    public static TheoryData<string, string, bool, string> Misfits => new()
    {
        // the destination's parent is a file
        { "dir", "/etc/passwd/x", true, "Not a directory" },
        { "file", "/etc/passwd/x", true, "Not a directory" },
        // a file on a directory, a directory on a file
        { "file", "/etc", true, "Is a directory" },
        { "dir", "/etc/passwd", true, "Not a directory" },
        // the same, in the host's mount namespace, where a mount left behind would stay
        { "dir", "/etc/passwd/x", false, "Not a directory" },
        { "file", "/etc", false, "Is a directory" },
        { "dir", "/etc/passwd", false, "Not a directory" },
    };

    [Theory]
    [MemberData(nameof(Misfits))]
    public void ABindThatDoesNotFitIsAClearErrorAndLeavesNoMount(string kind, string destination, bool ownMountNamespace, string reason)
    {
        var file = Path.Combine(source, "file");
        File.WriteAllText(file, "a file\n");
        // a mount made before the one that does not fit: it must go too
        var spec = Spec("echo ran", new MountSpec { Destination = "/tmp", Type = "tmpfs", Source = "tmpfs" },
            BindAt(kind == "file" ? file : source, destination));
        if (!ownMountNamespace)
        {
            spec.Linux.Namespaces.RemoveAll(n => n.Type == "mount");
            spec.Hostname = null;
        }
        using var bundle = new Bundle(spec);
        // runc 1.1.5 refuses masked paths without a mount namespace, crun runs in one of its own (see Oci)
        foreach (var runtime in ownMountNamespace ? All : [Oci.Ours])
        {
            var result = Run(bundle, runtime);
            Assert.NotEqual(0, result.ExitCode);
            Assert.DoesNotContain("ran", result.StandardOutput);
            Assert.Empty(WritableRootfs.HostMountsUnder(rootfs.Path));
            Assert.Empty(WritableRootfs.HostMountsUnder(source));
            if (runtime == Oci.Ours)
            {
                Assert.Contains($"`{destination}`", result.StandardError);
                Assert.Contains(reason, result.StandardError);
            }
        }
        Assert.Equal("a file\n", File.ReadAllText(file));
        Assert.False(Directory.Exists(rootfs.At("/etc/passwd")));
    }
}
