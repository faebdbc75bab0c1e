using System.Reflection;
using System.Text;
using System.Text.Json;
using Container.Runtime;
using Container.Runtime.Containers;
using Container.Runtime.Networks;
using Container.Runtime.Volumes;
using Xunit;

namespace Container.Tests.Engine;

/// <summary>
/// The container's documents are read and written by hand (ContainerRecordConverters), not by
/// generated metadata: what was written before reads, and is written again byte for byte (the
/// documents below are what the metadata wrote, every property of each part set); every
/// property of each part is written; what is not known is skipped.
/// </summary>
public sealed class ContainerRecordJsonTests
{
    // written by the generated metadata before: a record with every property set (three mounts
    // between them set every mount property), a new record, run and exit records
    private const string FullRecord = """
        {"id":"ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff","name":"web","image":"docker.io/library/busybox:latest","imageId":"sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","created":"2026-12-06T19:00:00.1234567Z","entrypoint":["/bin/sh"],"command":["-c","echo \"hi\" é <&> +\\u0001\t"],"environment":["PATH=/usr/bin"],"workingDirectory":"/work","user":"1000:1000","hostname":"ffff","labels":{"a":"b","c.d":""},"layers":["/var/lib/x/layers/1"],"runtime":"crun","tty":true,"interactive":true,"init":true,"restartPolicy":"on-failure:3","healthcheck":{"command":["/bin/sh","-c","curl -f localhost"],"interval":"00:00:10","timeout":"00:00:05","retries":4,"startPeriod":"00:01:30"},"autoRemove":true,"stopSignal":"SIGINT","stopTimeout":"00:00:25.5000000","networkMode":"net","ipcMode":"host","pidMode":"container:abc","networks":[{"network":"net","networkId":"abc","interface":"eth0","hostInterface":"veth12345678","address":"10.88.0.2/16","address6":"fd00::2/64","staticAddress":true,"aliases":["web","w"]}],"ports":[{"hostIp":"","hostPort":8080,"containerPort":80,"protocol":"tcp","containerSide":"80/tcp","hostSide":"0.0.0.0:8080"},{"hostIp":"::1","hostPort":0,"containerPort":53,"protocol":"udp","containerSide":"53/udp","hostSide":"[::1]:0"}],"domainname":"example.test","dns":["1.1.1.1"],"dnsSearch":["a.test"],"dnsOption":["ndots:2"],"addHost":["h:1.2.3.4"],"mounts":[{"type":"Bind","source":"/srv/da\"ta","target":"/data","readOnly":true,"propagation":"rshared","noCopy":false,"createSource":true,"anonymous":false},{"type":"Tmpfs","target":"/tmp","readOnly":false,"noCopy":false,"tmpfsSize":67108864,"tmpfsMode":1777,"tmpfsFlags":["exec"],"createSource":false,"anonymous":false},{"type":"Volume","source":"v1","target":"/v","readOnly":false,"noCopy":true,"subpath":"sub","createSource":false,"anonymous":true}],"userNamespace":{"uid":[{"containerId":0,"hostId":100000,"size":65536}],"gid":[{"containerId":0,"hostId":200000,"size":1000},{"containerId":1000,"hostId":1000,"size":1}]}}
        """;
    private const string NewRecord = """
        {"id":"","name":"","image":"","imageId":"","created":"0001-01-01T00:00:00Z","entrypoint":[],"command":[],"environment":[],"workingDirectory":"/","hostname":"","labels":{},"layers":[],"runtime":"container-runtime","tty":false,"interactive":false,"init":false,"restartPolicy":"no","autoRemove":false,"stopSignal":"SIGTERM","networkMode":"none","ipcMode":"private","pidMode":"private","networks":[],"ports":[],"mounts":[]}
        """;
    private const string Run = """
        {"bootId":"b-1","pid":123,"pidStartTime":18446744073709551615,"monitorPid":2147483647,"monitorStartTime":5,"startedAt":"2026-01-02T03:04:05Z","restartCount":2}
        """;
    private const string Exit = """
        {"exitCode":-1,"signal":9,"oomKilled":true,"restarting":true,"finishedAt":"2026-01-02T03:04:05.0000001Z"}
        """;
    private const string NewExit = """
        {"exitCode":0,"signal":0,"oomKilled":false,"restarting":false,"finishedAt":"0001-01-01T00:00:00Z"}
        """;

    [Theory]
    [InlineData(FullRecord)]
    [InlineData(NewRecord)]
    public void ARecordWrittenBeforeIsReadAndWrittenAgainAsItWas(string written) =>
        Assert.Equal(written, Text(Json.Deserialize<ContainerRecord>(Encoding.UTF8.GetBytes(written))));

    [Fact]
    public void ANewRecordIsWrittenAsBefore() => Assert.Equal(NewRecord, Text(new ContainerRecord()));

    [Theory]
    [InlineData(Run)]
    public void ARunRecordWrittenBeforeIsWrittenAgainAsItWas(string written) =>
        Assert.Equal(written, Text(Json.Deserialize<RunRecord>(Encoding.UTF8.GetBytes(written))));

    [Theory]
    [InlineData(Exit)]
    [InlineData(NewExit)]
    public void AnExitRecordWrittenBeforeIsWrittenAgainAsItWas(string written) =>
        Assert.Equal(written, Text(Json.Deserialize<ExitRecord>(Encoding.UTF8.GetBytes(written))));

    [Fact]
    public void AFullRecordReadsAsItWasWritten()
    {
        var record = Json.Deserialize<ContainerRecord>(Encoding.UTF8.GetBytes(FullRecord));
        Assert.Equal(new DateTimeOffset(2026, 12, 6, 19, 0, 0, 123, TimeSpan.Zero).AddTicks(4567), record.Created);
        Assert.Equal(TimeSpan.FromSeconds(25.5), record.StopTimeout);
        Assert.Equal(new Healthcheck { Command = record.Healthcheck!.Command, Interval = TimeSpan.FromSeconds(10), Timeout = TimeSpan.FromSeconds(5), Retries = 4, StartPeriod = TimeSpan.FromSeconds(90) }, record.Healthcheck);
        Assert.Equal(["/bin/sh", "-c", "curl -f localhost"], record.Healthcheck.Command);
        Assert.Equal([new PortMapping("", 8080, 80, "tcp"), new PortMapping("::1", 0, 53, "udp")], record.Ports);
        Assert.Equal([MountType.Bind, MountType.Tmpfs, MountType.Volume], record.Mounts.Select(m => m.Type));
        Assert.Equal(67108864, record.Mounts[1].TmpfsSize);
        Assert.Equal(1777, record.Mounts[1].TmpfsMode);
        Assert.Equal(["exec"], record.Mounts[1].TmpfsFlags!);
        Assert.Equal("/srv/da\"ta", record.Mounts[0].Source);
        Assert.Equal(new IdMapping { ContainerId = 0, HostId = 100000, Size = 65536 }, Assert.Single(record.UserNamespace!.Uid));
        Assert.Equal(2, record.UserNamespace.Gid.Count);
        Assert.Equal(["web", "w"], Assert.Single(record.Networks).Aliases);
        Assert.Equal("fd00::2/64", record.Networks[0].Address6);
        Assert.Equal(["h:1.2.3.4"], record.AddHost!);
        Assert.Equal("", record.Labels["c.d"]);
    }

    /// <summary>A property added to a part and not to its converter would be lost: each is in the full record.</summary>
    [Fact]
    public void EveryPropertyOfEachPartIsWritten()
    {
        using var document = JsonDocument.Parse(Text(Json.Deserialize<ContainerRecord>(Encoding.UTF8.GetBytes(FullRecord))));
        var record = document.RootElement;
        AssertAllWritten(typeof(ContainerRecord), [record]);
        AssertAllWritten(typeof(Healthcheck), [record.GetProperty("healthcheck")]);
        AssertAllWritten(typeof(NetworkEndpoint), [.. record.GetProperty("networks").EnumerateArray()]);
        AssertAllWritten(typeof(PortMapping), [.. record.GetProperty("ports").EnumerateArray()]);
        AssertAllWritten(typeof(ContainerMount), [.. record.GetProperty("mounts").EnumerateArray()], workedOut: [nameof(ContainerMount.Mode)]);
        AssertAllWritten(typeof(UserNamespace), [record.GetProperty("userNamespace")], workedOut: [nameof(UserNamespace.Key)]);
        AssertAllWritten(typeof(IdMapping), [.. record.GetProperty("userNamespace").GetProperty("gid").EnumerateArray()]);
        using var run = JsonDocument.Parse(Run);
        AssertAllWritten(typeof(RunRecord), [run.RootElement]);
        using var exit = JsonDocument.Parse(Exit);
        AssertAllWritten(typeof(ExitRecord), [exit.RootElement]);
    }

    [Fact]
    public void WhatIsNotKnownIsSkipped()
    {
        var exit = Json.Deserialize<ExitRecord>("""{"later":{"a":[1,{"b":null}]},"exitCode":3, /* a comment */ "finishedAt":"2026-01-02T03:04:05Z",}"""u8);
        Assert.Equal(3, exit.ExitCode);
        Assert.Equal(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero), exit.FinishedAt);
        var record = Json.Deserialize<ContainerRecord>("""{"name":"a","mounts":[{"type":"tmpfs","target":"/t","size":1}],"extra":[]}"""u8);
        Assert.Equal(MountType.Tmpfs, Assert.Single(record.Mounts).Type);
        Assert.Equal("/", record.WorkingDirectory);
    }

    /// <summary>What the monitor writes (records.c), in its order, with a time of nanoseconds.</summary>
    [Fact]
    public void TheMonitorsRecordsAreRead()
    {
        var run = Json.Deserialize<RunRecord>("""{"bootId":"b","pid":12,"pidStartTime":345,"monitorPid":11,"monitorStartTime":344,"startedAt":"2026-01-02T03:04:05.123456789Z","restartCount":1}"""u8);
        Assert.Equal((12, 345UL, 11, 344UL, 1), (run.Pid, run.PidStartTime, run.MonitorPid, run.MonitorStartTime, run.RestartCount));
        Assert.Equal(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero).AddTicks(1234567), run.StartedAt);
        var exit = Json.Deserialize<ExitRecord>("""{"exitCode":137,"signal":9,"oomKilled":true,"restarting":false,"finishedAt":"2026-01-02T03:04:06Z"}"""u8);
        Assert.Equal((137, 9, true, false), (exit.ExitCode, exit.Signal, exit.OomKilled, exit.Restarting));
    }

    [Theory]
    [InlineData("""{"pid":"12"}""")]
    [InlineData("""{"startedAt":"yesterday"}""")]
    [InlineData("""{"pid":1""")]
    [InlineData("""[]""")]
    public void WhatIsNotARunRecordIsAJsonError(string text) =>
        Assert.ThrowsAny<JsonException>(() => Json.Deserialize<RunRecord>(Encoding.UTF8.GetBytes(text)));

    [Fact]
    public void ABadMountTypeOrDurationIsAJsonError()
    {
        Assert.Throws<JsonException>(() => Json.Deserialize<ContainerRecord>("""{"mounts":[{"type":"nfs"}]}"""u8));
        Assert.Throws<JsonException>(() => Json.Deserialize<ContainerRecord>("""{"stopTimeout":"10s"}"""u8));
        Assert.Throws<JsonException>(() => Json.Deserialize<ContainerRecord>("""{"healthcheck":{"interval":"00:00:10"}}"""u8));
    }

    private static string Text<T>(T value) => Encoding.UTF8.GetString(Json.Serialize(value));

    private static void AssertAllWritten(Type type, JsonElement[] written, string[]? workedOut = null)
    {
        var names = written.SelectMany(e => e.EnumerateObject().Select(p => p.Name)).ToHashSet();
        var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Select(p => p.Name).Except(workedOut ?? []).Select(JsonNamingPolicy.CamelCase.ConvertName);
        Assert.Empty(properties.Except(names));
    }
}
