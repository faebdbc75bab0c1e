using System.Runtime.InteropServices;
using Container.Runtime.Linux;
using Container.Runtime.Oci;
using Xunit;
using Xunit.Abstractions;

namespace Container.Tests.Conformance;

/// <summary>
/// The runc mount race (CVE-2021-30465): while the core starts containers with bind mounts
/// under /race, a thread swaps /race between a directory and a symlink to a host directory,
/// so that a destination resolved in one state is mounted or made in the other. Whenever it
/// is looked at, no mount and no new file may be found in that host directory: everything
/// lands in the rootfs. In the host's mount namespace a mount that escaped is seen by the
/// host; in a namespace of the container's own, what the core makes outside is.
/// </summary>
[Trait("Category", "Kernel")]
public sealed partial class MountTargetRaceTests(ITestOutputHelper output) : IDisposable
{
    private const int Runs = 150;

    private readonly WritableRootfs rootfs = new();
    private readonly string source = Directory.CreateTempSubdirectory("race-source-").FullName;
    // the host directory the swapped link points to: the test's own, never a real one
    private readonly string outside = Directory.CreateTempSubdirectory("race-outside-").FullName;

    public void Dispose()
    {
        // a mount that escaped is detached before anything is removed through it
        WritableRootfs.DetachMountsUnder(outside);
        rootfs.Dispose();
        Directory.Delete(outside, recursive: true);
        Directory.Delete(source, recursive: true);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ASwappedDestinationNeverTakesAMountOutOfTheRootfs(bool ownMountNamespace)
    {
        // /race/mnt exists in both states (a mount there is the race on the mount), /race/new-N
        // and /race/file-N in neither (the race on making them); /race/ro-N is read-only (the
        // race on finding the mount again to make it so); /race/tmpfs-N is not a bind
        File.WriteAllText(Path.Combine(source, "from-source"), "");
        var file = Path.Combine(source, "file");
        File.WriteAllText(file, "");
        Directory.CreateDirectory(Path.Combine(outside, "mnt"));
        File.WriteAllText(Path.Combine(outside, "keep"), "");
        Directory.CreateDirectory(rootfs.At("race/mnt"));
        File.CreateSymbolicLink(rootfs.At("race-link"), outside);
        var before = Contents(outside);

        var spec = Bundle.DefaultSpec("true");
        spec.Root!.Path = rootfs.Path;
        if (!ownMountNamespace)
        {
            spec.Linux.Namespaces.RemoveAll(n => n.Type == "mount");
            spec.Hostname = null;
        }
        var defaults = spec.Mounts.ToList();
        using var bundle = new Bundle(spec);
        var failures = new List<string>();
        long swaps;
        using (var swapper = new Swapper(rootfs.Path, "race", "race-link"))
        {
            for (var run = 0; run < Runs; run++)
            {
                spec.Mounts = [.. defaults, Bind(source, "/race/mnt"), Bind(source, $"/race/new-{run}"), Bind(file, $"/race/file-{run}"),
                    Bind(source, $"/race/ro-{run}", "ro"), new MountSpec { Destination = $"/race/tmpfs-{run}", Type = "tmpfs", Source = "tmpfs" }];
                var result = bundle.Run(Oci.Ours);
                if (!result.Succeeded)
                    failures.Add(result.StandardError);
                var escaped = WritableRootfs.HostMountsUnder(outside);
                var now = Contents(outside);
                Assert.True(escaped.Count == 0 && now.SequenceEqual(before),
                    $"run {run}: mounted outside the rootfs: [{string.Join(", ", escaped)}]; made there: [{string.Join(", ", now.Except(before))}]");
            }
            swaps = swapper.Stop();
        }
        output.WriteLine($"{swaps} swaps in {Runs} runs; {failures.Count} failed:\n{string.Join('\n', failures.Distinct())}");
        // the race ran all along, and no run was refused for it: the core resolves a destination
        // in whichever state it finds it, inside the rootfs, and a bind is read-only before it
        // is attached, so nothing has to find it again
        Assert.True(swaps > Runs, $"{swaps} swaps");
        Assert.Empty(failures);
        Assert.Empty(WritableRootfs.HostMountsUnder(rootfs.Path));
    }

    private static MountSpec Bind(string source, string destination, params string[] options) =>
        new() { Destination = destination, Type = "bind", Source = source, Options = ["rbind", .. options] };

    private static List<string> Contents(string dir) =>
        [.. Directory.EnumerateFileSystemEntries(dir, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)];

    /// <summary>
    /// Exchanges two names in a directory (renameat2's RENAME_EXCHANGE: both always exist) in a
    /// tight loop until stopped. The directory is held open from before any container starts:
    /// the renames reach it directly, not through the bind of it the core makes (a rename there
    /// would hold that mount busy when the core makes it read-only).
    /// </summary>
    private sealed partial class Swapper : IDisposable
    {
        private const uint RenameExchange = 2;

        private readonly Thread thread;
        private readonly int directory;
        private volatile bool stopping;
        private long swaps;

        public Swapper(string directoryPath, string first, string second)
        {
            directory = Libc.Open(directoryPath, Libc.O_PATH | Libc.O_DIRECTORY | Libc.O_CLOEXEC, 0);
            Assert.True(directory >= 0, $"open {directoryPath}: errno {Marshal.GetLastPInvokeError()}");
            thread = new Thread(() =>
            {
                while (!stopping)
                    if (Renameat2(directory, first, directory, second, RenameExchange) == 0)
                        swaps++;
            }) { IsBackground = true };
            thread.Start();
        }

        /// <summary>Stops the loop; returns how many exchanges it made.</summary>
        public long Stop()
        {
            if (!stopping)
            {
                stopping = true;
                thread.Join();
                Libc.Close(directory);
            }
            return swaps;
        }

        public void Dispose() => Stop();

        [LibraryImport("libc", EntryPoint = "renameat2", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        private static partial int Renameat2(int oldDirectory, string oldPath, int newDirectory, string newPath, uint flags);
    }
}
