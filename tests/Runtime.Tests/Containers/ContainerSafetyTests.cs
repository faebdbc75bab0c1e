using System.Diagnostics;
using Container.Runtime.Containers;
using Container.Runtime.Linux;
using Container.Tests.Fixtures;
using Xunit;

namespace Container.Tests.Containers;

/// <summary>
/// Several processes making, running and removing containers at once never corrupt the
/// store or share a name; a process killed half-way leaves what the next command reports
/// truthfully and can clean.
/// </summary>
[Trait("Category", "Kernel")]
public sealed class ContainerSafetyTests : IDisposable
{
    private readonly TestStore store = new();

    public void Dispose() => store.Dispose();

    private Process Host(params string[] arguments) =>
        Process.Start(new ProcessStartInfo("dotnet", [Path.Combine(BuildOutput.OutputDir, "EngineHost.dll"), store.Root, .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;

    private static async Task<string> FinishAsync(Process host)
    {
        var output = host.StandardOutput.ReadToEndAsync();
        var errors = host.StandardError.ReadToEndAsync();
        using var hung = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try
        {
            await host.WaitForExitAsync(hung.Token);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail("a host hung");
        }
        return (await output + await errors).Trim();
    }

    /// <summary>
    /// Nothing left but the containers listed: no directory, name, mount or staging of any
    /// other, and no cgroup of those that were removed.
    /// </summary>
    private void AssertNothingElse(IEnumerable<string> removedIds)
    {
        var listed = store.Containers.List();
        Assert.Equal(listed.Select(c => c.Id).Order(), Directory.GetDirectories(Path.Combine(store.Root, "containers")).Select(d => Path.GetFileName(d)).Order());
        Assert.Equal(listed.Select(c => c.Name).Order(), Directory.GetFiles(Path.Combine(store.Root, "names")).Select(f => Path.GetFileName(f)).Order());
        Assert.Empty(Directory.EnumerateFileSystemEntries(store.Paths.StagingDir));
        Assert.DoesNotContain(File.ReadAllLines("/proc/self/mountinfo"), l => l.Contains(store.Root));
        var cgroups = Container.Runtime.Cgroups.CgroupHierarchy.Host;
        foreach (var id in removedIds)
            Assert.False(cgroups.Exists(Container.Runtime.Oci.BundleBuilder.CgroupPath(id)), $"the cgroup of {id} is left");
    }

    [Fact]
    public async Task EightProcessesAtOnceShareNoNameAndCorruptNothing()
    {
        // all eight want the same name: one gets it
        var claims = Enumerable.Range(0, 8).Select(_ => Host("create", TestStore.Image, "wanted", "true")).ToList();
        var results = await Task.WhenAll(claims.Select(FinishAsync));
        Assert.Single(results, r => r == "ok");
        Assert.Equal(7, results.Count(r => r.StartsWith("error NameInUse", StringComparison.Ordinal)));

        // all eight make, run and remove their own, while a reader on a thread of its own (a
        // pool starved by other tests could start it after the hosts end) lists and samples
        var hostsDone = false;
        var readsWhileHostsRan = 0;
        Exception? readerFailure = null;
        var reader = new Thread(() =>
        {
            try
            {
                while (!Volatile.Read(ref hostsDone))
                {
                    foreach (var container in store.Containers.List())
                        Assert.NotNull(container.Name);
                    foreach (var sample in store.Containers.StatsOfRunning())
                        Assert.NotNull(sample.Name);
                    if (!Volatile.Read(ref hostsDone))
                        readsWhileHostsRan++;
                }
            }
            catch (Exception e)
            {
                readerFailure = e;
            }
        });
        reader.Start();
        var hosts = Enumerable.Range(0, 8).Select(i => Host("cycle", TestStore.Image, $"worker{i}", "3")).ToList();
        var outputs = await Task.WhenAll(hosts.Select(FinishAsync));
        Volatile.Write(ref hostsDone, true);
        reader.Join();
        Assert.Null(readerFailure);
        Assert.All(outputs, o => Assert.EndsWith("ok", o));
        Assert.True(readsWhileHostsRan > 0, "the reader never read while the hosts ran");

        // each host printed the ids it made before "ok"
        var made = outputs.SelectMany(o => o.Split('\n')).Where(l => l.StartsWith("id ", StringComparison.Ordinal)).Select(l => l[3..]).ToList();
        Assert.Equal(24, made.Distinct().Count());
        Assert.Equal(["wanted"], store.Containers.List().Select(c => c.Name));
        AssertNothingElse(made);
    }

    [Fact]
    public void ACreatorKilledAnywhereLeavesNothingThatBlocks()
    {
        // killed at moments spread over a create and start: each time, the next commands see the truth and clean
        var seen = new List<string>();
        for (var attempt = 0; attempt < 12; attempt++)
        {
            using var host = Host("run", TestStore.Image, "victim", "sleep", "1000");
            Thread.Sleep(40 * attempt);
            Libc.Kill(host.Id, 9);
            host.WaitForExit();

            var found = store.Containers.List().SingleOrDefault(c => c.Name == "victim");
            if (found != null)
            {
                seen.Add(found.Id);
                // made in full: it is created or running, as it says; its removal takes everything
                Assert.True(found.Status is ContainerStatus.Created or ContainerStatus.Running, $"{found.Status}");
                store.Containers.Remove("victim", force: true);
            }
            // the name is free again, whatever moment the kill came at
            seen.Add(store.Containers.Create(new ContainerSpec { Image = TestStore.Image, Name = "victim", Command = ["true"] }).Id);
            store.Containers.Remove("victim", force: false);
            AssertNothingElse(seen);
        }
    }

    [Fact]
    public void AStartKilledHalfWayLeavesTheTruth()
    {
        var id = store.Containers.Create(new ContainerSpec { Image = TestStore.Image, Name = "halfway", Command = ["sh", "-c", "echo ran; sleep 0.5"] }).Id;
        for (var attempt = 0; attempt < 6; attempt++)
        {
            using var host = Host("start", "halfway");
            Thread.Sleep(30 * attempt);
            Libc.Kill(host.Id, 9);
            host.WaitForExit();
            // the monitor the killed start got going, if it did, runs the container: what is said is what is
            var info = store.Containers.Get("halfway");
            Assert.True(info.Status is ContainerStatus.Created or ContainerStatus.Running or ContainerStatus.Exited, $"{info.Status}");
            Assert.Equal(info.Status == ContainerStatus.Running, info.Pid > 0 && ProcessTable.Host.Exists(info.Pid));
            store.Containers.Wait("halfway", TimeSpan.FromSeconds(30));
        }
        // a start now is a start like any other
        var runsBefore = store.Containers.ReadLog("halfway").Count();
        store.Containers.Start("halfway");
        Assert.Equal(0, store.Containers.Wait("halfway", TimeSpan.FromSeconds(30)).ExitCode);
        Assert.Equal(runsBefore + 1, store.Containers.ReadLog("halfway").Count());
        store.Containers.Remove("halfway", force: false);
        AssertNothingElse([id]);
    }
}
