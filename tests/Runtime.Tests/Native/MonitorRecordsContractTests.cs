using Container.Runtime;
using Container.Runtime.Containers;
using Container.Runtime.Logs;
using Container.Runtime.Processes;
using Container.Tests.Fixtures;
using Xunit;

namespace Container.Tests.Native;

/// <summary>
/// The files the monitor writes and the engine reads, one contract in two languages: the
/// monitor's own writers (records.c, log_writer.c, driven by tests/monitor_records_sample.c)
/// write them, the engine's types read them back.
/// </summary>
public sealed class MonitorRecordsContractTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("monitor-records-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private static void Sample(params string[] arguments)
    {
        var result = ProcessRunner.Run(Path.Combine(BuildOutput.NativeBuildDir, "monitor_records_sample"), arguments);
        Assert.True(result.Succeeded, result.StandardError);
    }

    [Fact]
    public void RunRecordReadsAsWritten()
    {
        Sample("run", dir, "0b1d-\"boot\"", "4242", "123456789012", "4241", "98765", "2026-12-01T13:45:07.123456789Z", "3");

        var run = Json.ReadFile<RunRecord>(Path.Combine(dir, ContainerStore.RunFile));

        Assert.Equal("0b1d-\"boot\"", run.BootId);
        Assert.Equal(4242, run.Pid);
        Assert.Equal(123456789012UL, run.PidStartTime);
        Assert.Equal(4241, run.MonitorPid);
        Assert.Equal(98765UL, run.MonitorStartTime);
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 13, 45, 7, TimeSpan.Zero).AddTicks(1234567), run.StartedAt);
        Assert.Equal(3, run.RestartCount);
    }

    [Theory]
    [InlineData("exited", 3, 3, 0)]
    [InlineData("signaled", 9, 137, 9)]
    public void ExitRecordReadsAsWritten(string how, int number, int exitCode, int signal)
    {
        Sample("exit", dir, how, number.ToString(), "1", "1", "2026-12-01T13:45:08Z");

        var exit = Json.ReadFile<ExitRecord>(Path.Combine(dir, ContainerStore.ExitFile));

        Assert.Equal(exitCode, exit.ExitCode);
        Assert.Equal(signal, exit.Signal);
        Assert.True(exit.OomKilled);
        Assert.True(exit.Restarting);
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 13, 45, 8, TimeSpan.Zero), exit.FinishedAt);
    }

    [Fact]
    public void HealthRecordReadsAsWritten()
    {
        Sample("health", dir, "unhealthy", "2",
            "2026-12-01T13:45:00Z", "2026-12-01T13:45:01Z", "0", "ok",
            "2026-12-01T13:45:30Z", "2026-12-01T13:45:31Z", "1", "line one\nsaid \"no\"\tü...");

        var health = Json.ReadFile<HealthRecord>(Path.Combine(dir, ContainerStore.HealthFile));

        Assert.Equal(HealthStatus.Unhealthy, health.Status);
        Assert.Equal(2, health.FailingStreak);
        Assert.Equal(2, health.Log.Count);
        Assert.Equal(0, health.Log[0].ExitCode);
        Assert.Equal("ok", health.Log[0].Output);
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 13, 45, 30, TimeSpan.Zero), health.Log[1].Start);
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 13, 45, 31, TimeSpan.Zero), health.Log[1].End);
        Assert.Equal(1, health.Log[1].ExitCode);
        Assert.Equal("line one\nsaid \"no\"\tü...", health.Log[1].Output);
    }

    [Fact]
    public void LogReadsAsTheContainerWroteIt()
    {
        var log = Path.Combine(dir, ContainerStore.LogFile);
        var longLine = new string('x', 40_000);
        Sample("log", log, "1048576", "0", "stdout", "first\nsec", "stderr", "oops\n", "stdout", "ond\n" + longLine + "\nno newline at the end");

        var entries = ContainerLog.Read(log);

        Assert.Equal([(LogStream.Stdout, "first"), (LogStream.Stderr, "oops"), (LogStream.Stdout, "second"), (LogStream.Stdout, longLine),
            (LogStream.Stdout, "no newline at the end")], entries.Select(e => (e.Stream, e.Text)));
        Assert.All(entries, e => Assert.True(Math.Abs((DateTimeOffset.UtcNow - e.Time).TotalMinutes) < 10, $"{e.Time} is not now"));
    }
}
