using System.Collections;
using Container.Runtime.Containers;
using Container.Runtime.Errors;
using Container.Runtime.Linux;
using Container.Runtime.Logs;
using Container.Runtime.Text;
using Xunit;

namespace Container.Tests.Engine;

/// <summary>What users type, read as docker and PowerShell read it.</summary>
public sealed class ArgumentTests
{
    [Theory]
    [InlineData("30s", 30)]
    [InlineData("1m30s", 90)]
    [InlineData("500ms", 0.5)]
    [InlineData("2h", 7200)]
    [InlineData("1.5h", 5400)]
    [InlineData("00:01:30", 90)]
    [InlineData("45", 45)]
    public void DurationsReadAsDockerAndTimeSpanWriteThem(string text, double seconds)
    {
        Assert.True(HumanDuration.TryParse(text, out var duration));
        Assert.Equal(TimeSpan.FromSeconds(seconds), duration);
    }

    [Theory]
    [InlineData("")]
    [InlineData("10x")]
    [InlineData("m")]
    [InlineData("-5")]
    public void NonsenseIsNoDuration(string text) => Assert.False(HumanDuration.TryParse(text, out _));

    [Fact]
    public void SinceIsADateOrASpanBack()
    {
        var now = new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);
        Assert.Equal(now.AddMinutes(-10), LogQuery.ParseSince("10m", now));
        Assert.Equal(now.AddHours(-1), LogQuery.ParseSince("01:00:00", now));
        Assert.Equal(new DateTimeOffset(2026, 11, 21, 8, 0, 0, TimeSpan.Zero), LogQuery.ParseSince("2026-11-21T08:00:00Z", now));
        Assert.Equal("InvalidSince", Assert.Throws<ContainerException>(() => LogQuery.ParseSince("yesterday-ish", now)).ErrorId);
    }

    [Fact]
    public void SinceTakesWhatPowerShellMakesOfWhatIsTyped()
    {
        var now = new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);
        // -Since 30s typed bare: PowerShell's 's' suffix makes it the short 30
        Assert.Equal(now.AddSeconds(-30), LogQuery.ParseSince((object)(short)30, now));
        Assert.Equal(now.AddSeconds(-90), LogQuery.ParseSince((object)90, now));
        Assert.Equal(now.AddSeconds(-1.5), LogQuery.ParseSince((object)1.5, now));
        Assert.Equal(now.AddMinutes(-10), LogQuery.ParseSince((object)TimeSpan.FromMinutes(10), now));
        Assert.Equal(now.AddMinutes(-10), LogQuery.ParseSince((object)"10m", now));
        var utc = new DateTime(2026, 11, 21, 8, 0, 0, DateTimeKind.Utc);
        Assert.Equal(new DateTimeOffset(utc), LogQuery.ParseSince((object)utc, now));
        Assert.Equal("InvalidSince", Assert.Throws<ContainerException>(() => LogQuery.ParseSince((object)double.NaN, now)).ErrorId);
        Assert.Equal("InvalidSince", Assert.Throws<ContainerException>(() => LogQuery.ParseSince((object)(-5), now)).ErrorId);
        Assert.Equal("InvalidSince", Assert.Throws<ContainerException>(() => LogQuery.ParseSince(new object(), now)).ErrorId);
    }

    [Theory]
    [InlineData("TERM", "SIGTERM")]
    [InlineData("sigkill", "SIGKILL")]
    [InlineData("1", "SIGHUP")]
    [InlineData("SIGUSR1", "SIGUSR1")]
    [InlineData("40", "40")]
    public void SignalsAreNamedAsKillNamesThem(string text, string signal) => Assert.Equal(signal, Signals.Normalize(text));

    [Theory]
    [InlineData("SIGNOPE")]
    [InlineData("0")]
    [InlineData("99")]
    public void UnknownSignalsAreRefused(string text) =>
        Assert.Equal("InvalidSignal", Assert.Throws<ContainerException>(() => Signals.Normalize(text)).ErrorId);

    [Theory]
    [InlineData("web:/etc/hosts", "web", "/etc/hosts")]
    [InlineData("web:relative", "web", "relative")]
    [InlineData("/abs/path", null, "/abs/path")]
    [InlineData("./a:b", null, "./a:b")]
    [InlineData("file", null, "file")]
    [InlineData("dir/x:y", null, "dir/x:y")]
    public void CopySidesReadAsDockerCpReadsThem(string text, string? container, string path) =>
        Assert.Equal(new CopyEndpoint(container, path), CopyEndpoint.Parse(text));

    [Fact]
    public void ACopyHasExactlyOneSideInAContainer()
    {
        Assert.Equal("CopyNeedsOneContainer", Assert.Throws<ContainerException>(() => CopyEndpoint.ParsePair("a:/x", "b:/y")).ErrorId);
        Assert.Equal("CopyNeedsOneContainer", Assert.Throws<ContainerException>(() => CopyEndpoint.ParsePair("/x", "/y")).ErrorId);
        Assert.Equal("CopyNeedsOneContainer", Assert.Throws<ContainerException>(() => CopyEndpoint.ParsePair("web:", "/y")).ErrorId);
        var (source, destination) = CopyEndpoint.ParsePair("web:/etc", "out");
        Assert.Equal("web", source.Container);
        Assert.False(destination.IsContainer);
    }

    [Theory]
    [InlineData("dir/.", "/home/u/dir/.")]
    [InlineData("dir/", "/home/u/dir/")]
    [InlineData("dir", "/home/u/dir")]
    [InlineData("/", "/")]
    public void HostPathsResolveKeepingWhatDockerCpReads(string path, string resolved) =>
        Assert.Equal(resolved, new CopyEndpoint(null, path).ResolveHostPath(p => p == "/" ? "/" : "/home/u/" + p).Path);

    /// <summary>Limits as a cmdlet's bound parameters give them: by name, as the parameters' types hold them.</summary>
    private static LimitArguments Given(params (string Name, object Value)[] parameters) =>
        new(parameters.ToDictionary(p => p.Name, p => p.Value));

    [Fact]
    public void LimitsReadFromPowerShellAndDockerUnits()
    {
        var limits = Given(
            ("Memory", "67108864"), ("MemorySwap", "128m"), ("Cpus", 1.5), ("CpuShares", 512L), ("PidsLimit", 20L),
            ("DeviceReadBps", new Hashtable { ["/dev/vda"] = "1mb" }),
            ("DeviceWriteIops", new Hashtable { ["/dev/vda"] = 100 }),
            ("Name", "not a limit")).ToLimits()!;
        Assert.Equal(64L << 20, limits.Memory);
        Assert.Equal(128L << 20, limits.MemorySwap);
        Assert.Equal(1UL << 20, limits.DeviceReadBps!["/dev/vda"]);
        Assert.Equal(100UL, limits.DeviceWriteIops!["/dev/vda"]);
        Assert.Null(Given().ToLimits());
        Assert.Equal("NoLimitGiven", Assert.Throws<ContainerException>(() => Given().ToChange()).ErrorId);
        Assert.Equal(20, Given(("PidsLimit", 20L)).ToChange().PidsLimit);
        Assert.Equal("InvalidLimit", Assert.Throws<ContainerException>(() => Given(("Memory", "lots")).ToLimits()).ErrorId);
        Assert.Equal("InvalidLimit", Assert.Throws<ContainerException>(() => Given(("BlkioWeight", -5L)).ToLimits()).ErrorId);
        Assert.Equal("InvalidLimit", Assert.Throws<ContainerException>(() =>
            Given(("DeviceReadIops", new Hashtable { ["/dev/vda"] = "fast" })).ToLimits()).ErrorId);
    }

    [Fact]
    public void AHealthcheckReadsAShellCommandAndDurations()
    {
        var check = Healthcheck.Parse("test -e /ready", interval: "5s", timeout: "00:00:02", retries: 2);
        Assert.Equal(["/bin/sh", "-c", "test -e /ready"], check.Command);
        Assert.Equal(TimeSpan.FromSeconds(5), check.Interval);
        Assert.Equal(TimeSpan.FromSeconds(2), check.Timeout);
        Assert.Equal(TimeSpan.Zero, check.StartPeriod);
        Assert.Equal(2, check.Retries);
        Assert.Equal("InvalidHealthcheck", Assert.Throws<ContainerException>(() => Healthcheck.Parse("true", interval: "often")).ErrorId);
        Assert.Equal("InvalidHealthcheck", Assert.Throws<ContainerException>(() => Healthcheck.Parse("true", retries: 0)).ErrorId);
    }
}
