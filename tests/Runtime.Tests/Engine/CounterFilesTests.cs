using Container.Runtime.Linux;
using Xunit;

namespace Container.Tests.Engine;

/// <summary>Counter files kept open between reads: each read shows the file as it is now, whatever became of the cgroup it was opened in.</summary>
[Trait("Category", "Kernel")]
public sealed class CounterFilesTests
{
    private static bool IsCgroupV2 => File.Exists("/sys/fs/cgroup/cgroup.controllers");

    [Fact]
    public void EachReadShowsTheFileAsItIsNow()
    {
        var first = CounterFiles.ReadText("/proc/uptime");
        var deadline = Environment.TickCount64 + 30_000;
        string? later;
        do
            later = CounterFiles.ReadText("/proc/uptime");
        while (later == first && Environment.TickCount64 < deadline);
        Assert.NotEqual(first, later);
        Assert.Null(CounterFiles.ReadText("/proc/no-such-file"));
    }

    [SkippableFact]
    public void ACgroupMadeAgainAtTheSamePathIsReadAfresh()
    {
        Skip.IfNot(Libc.Geteuid() == 0, "making cgroups needs root");
        var cgroup = IsCgroupV2 ? $"/sys/fs/cgroup/counter-test-{Environment.ProcessId}" : $"/sys/fs/cgroup/pids/counter-test-{Environment.ProcessId}";
        try
        {
            Directory.CreateDirectory(cgroup);
            File.WriteAllText(Path.Combine(cgroup, "pids.max"), "10");
            Assert.Equal("10", CounterFiles.ReadText(Path.Combine(cgroup, "pids.max"))?.Trim());
            Directory.Delete(cgroup);
            Assert.Null(CounterFiles.ReadText(Path.Combine(cgroup, "pids.max")));
            Directory.CreateDirectory(cgroup);
            File.WriteAllText(Path.Combine(cgroup, "pids.max"), "20");
            Assert.Equal("20", CounterFiles.ReadText(Path.Combine(cgroup, "pids.max"))?.Trim());
        }
        finally
        {
            if (Directory.Exists(cgroup))
                Directory.Delete(cgroup);
        }
    }

    [Fact]
    public void ThoseUnusedAreClosed()
    {
        Assert.NotNull(CounterFiles.ReadText("/proc/self/stat"));
        Assert.True(CounterFiles.IsOpen("/proc/self/stat"));
        CounterFiles.CloseIdle(TimeSpan.Zero);
        Assert.False(CounterFiles.IsOpen("/proc/self/stat"));
        Assert.NotNull(CounterFiles.ReadText("/proc/self/stat"));
    }
}
