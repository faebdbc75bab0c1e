using System.Reflection;
using System.Text;
using System.Text.Json;
using Container.Runtime;
using Container.Runtime.Images;
using Xunit;

namespace Container.Tests.Engine;

/// <summary>
/// The image format's documents are read and written by hand (ImageFormatConverters), not by
/// generated metadata: what was written before (the documents below are what the metadata
/// wrote, every property of each part set) is read and written again byte for byte, so a
/// digest of it holds; every property of each part is written; what peers add is skipped.
/// </summary>
public sealed class ImageFormatJsonTests
{
    private const string Index = """
        {"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:1111111111111111111111111111111111111111111111111111111111111111","size":5000000000,"annotations":{"org.opencontainers.image.ref.name":"busybox:latest"},"platform":{"architecture":"arm64","os":"linux","variant":"v8"}},{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"sha256:2222222222222222222222222222222222222222222222222222222222222222","size":0},{"mediaType":"m","digest":"d","size":1,"platform":{"architecture":"amd64","os":"linux"}}]}
        """;

    private const string RenamedIndex = """
        {"schemaVersion":3,"mediaType":"","manifests":[]}
        """;

    private const string NewIndex = """
        {"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[]}
        """;

    private const string Manifest = """
        {"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:3333333333333333333333333333333333333333333333333333333333333333","size":1234},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"sha256:2222222222222222222222222222222222222222222222222222222222222222","size":0}],"annotations":{"a":"b+c"}}
        """;

    private const string NewManifest = """
        {"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"","digest":"","size":0},"layers":[]}
        """;

    private const string Config = """
        {"created":"2024-05-06T14:08:09.123Z","author":"me","architecture":"arm64","os":"linux","config":{"User":"nobody","ExposedPorts":{"80/tcp":{},"53/udp":{}},"Env":["PATH=/bin"],"Entrypoint":["/init"],"Cmd":["sh"],"Volumes":{"/data":{}},"WorkingDir":"/w","Labels":{"l":"v"},"StopSignal":"SIGQUIT","Healthcheck":{"Test":["CMD-SHELL","true"],"Interval":30000000000,"Timeout":1,"StartPeriod":0,"Retries":3},"Shell":["/bin/bash","-c"],"OnBuild":["RUN true"]},"rootfs":{"type":"layers","diff_ids":["sha256:4444444444444444444444444444444444444444444444444444444444444444"]},"history":[{"created":"2024-05-06T07:08:09Z","created_by":"/bin/sh -c #(nop) ADD file:abc in / ","comment":"c","empty_layer":true},{"created_by":"x","empty_layer":false}]}
        """;

    private const string NewConfig = """
        {"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}
        """;

    // a peer's config, as the metadata read and wrote it again: its ExposedPorts' values as they were
    private const string PeerConfigWritten = """
        {"created":"2023-12-31T22:00:00.5Z","architecture":"amd64","os":"linux","config":{"ExposedPorts":{"80/tcp":{},"53/udp":{"x":[1,"a",null,true,1.5e3]}},"Cmd":["sh"],"Healthcheck":{"Test":["NONE"]}},"rootfs":{"type":"layers","diff_ids":[]},"history":[{"created":"2024-01-01T00:00:00Z","created_by":"x","empty_layer":true}]}
        """;

    private const string PeerConfig = """
        {"created":"2024-01-01T00:00:00.5+02:00","architecture":"amd64","os":"linux","config":{"ExposedPorts":{"80/tcp":{},"53/udp":{"x":[1,"a",null,true,1.5e3]}},"Env":null,"Cmd":["sh"],"Volumes":null,"Hostname":"","Labels":null,"Healthcheck":{"Test":["NONE"]}},"rootfs":{"type":"layers","diff_ids":[]},"history":[{"created":"2024-01-01T00:00:00Z","created_by":"x","empty_layer":true}]}
        """;

    [Theory]
    [InlineData(Index)]
    [InlineData(RenamedIndex)]
    [InlineData(NewIndex)]
    public void AnIndexWrittenBeforeIsWrittenAgainAsItWas(string written) => Assert.Equal(written, Again<ImageIndex>(written));

    [Theory]
    [InlineData(Manifest)]
    [InlineData(NewManifest)]
    public void AManifestWrittenBeforeIsWrittenAgainAsItWas(string written) => Assert.Equal(written, Again<ImageManifest>(written));

    [Theory]
    [InlineData(Config)]
    [InlineData(NewConfig)]
    public void AConfigWrittenBeforeIsWrittenAgainAsItWas(string written) => Assert.Equal(written, Again<ImageConfig>(written));

    [Fact]
    public void NewDocumentsAreWrittenAsBefore()
    {
        Assert.Equal(NewIndex, Text(new ImageIndex()));
        Assert.Equal(NewManifest, Text(new ImageManifest()));
        Assert.Equal(NewConfig, Text(new ImageConfig()));
    }

    [Fact]
    public void APeersConfigIsReadAndWrittenAsTheMetadataDid() => Assert.Equal(PeerConfigWritten, Again<ImageConfig>(PeerConfig));

    /// <summary>Values made in code are written as the metadata wrote them: a map as an object, a bare object as {}.</summary>
    [Fact]
    public void ValuesMadeInCodeAreWrittenAsTheMetadataWroteThem()
    {
        var config = new ContainerConfig
        {
            ExposedPorts = new() { ["80/tcp"] = new Dictionary<string, string>(), ["53/udp"] = new Dictionary<string, object> { ["a"] = "b", ["n"] = 1, ["l"] = new List<object> { true } } },
            Volumes = new() { ["/cache"] = new object() },
        };
        Assert.Equal("""
            {"ExposedPorts":{"80/tcp":{},"53/udp":{"a":"b","n":1,"l":[true]}},"Volumes":{"/cache":{}}}
            """, Text(config));
    }

    /// <summary>A build's EXPOSE and VOLUME put empty maps in: they are {}, as before.</summary>
    [Fact]
    public void ABuildsPortsAndVolumesAreEmptyObjects()
    {
        var config = new ImageConfig { Config = new ContainerConfig { ExposedPorts = new() { ["80/tcp"] = new Dictionary<string, object>() }, Volumes = new() { ["/data"] = new Dictionary<string, object>() } } };
        Assert.Contains("""
            "config":{"ExposedPorts":{"80/tcp":{}},"Volumes":{"/data":{}}}
            """, Text(config));
    }

    [Fact]
    public void AConfigReadsAsItWasWritten()
    {
        var config = Json.Deserialize<ImageConfig>(Encoding.UTF8.GetBytes(Config));
        Assert.Equal(new DateTimeOffset(2024, 5, 6, 14, 8, 9, 123, TimeSpan.Zero), config.Created);
        Assert.Equal(["sh"], config.Config!.Cmd!);
        Assert.Equal(30000000000, config.Config.Healthcheck!.Interval);
        Assert.Equal(3, config.Config.Healthcheck.Retries);
        Assert.Equal(["80/tcp", "53/udp"], config.Config.ExposedPorts!.Keys);
        Assert.Equal([true, false], config.History!.Select(h => h.EmptyLayer!.Value));
        Assert.Null(config.History![1].Created);
        var index = Json.Deserialize<ImageIndex>(Encoding.UTF8.GetBytes(Index));
        Assert.Equal(5000000000, index.Manifests[0].Size);
        Assert.Equal("v8", index.Manifests[0].Platform!.Variant);
        Assert.Equal("busybox:latest", index.Manifests[0].Annotations![Annotations.RefName]);
    }

    /// <summary>A property added to a part and not to its converter would be lost: each is in a full document.</summary>
    [Fact]
    public void EveryPropertyOfEachPartIsWritten()
    {
        using var index = JsonDocument.Parse(Again<ImageIndex>(Index));
        AssertAllWritten(typeof(ImageIndex), [index.RootElement]);
        AssertAllWritten(typeof(Descriptor), [.. index.RootElement.GetProperty("manifests").EnumerateArray()]);
        AssertAllWritten(typeof(PlatformSpec), [index.RootElement.GetProperty("manifests")[0].GetProperty("platform")]);
        using var manifest = JsonDocument.Parse(Again<ImageManifest>(Manifest));
        AssertAllWritten(typeof(ImageManifest), [manifest.RootElement]);
        using var config = JsonDocument.Parse(Again<ImageConfig>(Config));
        AssertAllWritten(typeof(ImageConfig), [config.RootElement], renamed: new() { [nameof(ImageConfig.RootFs)] = "rootfs" });
        AssertAllWritten(typeof(ContainerConfig), [config.RootElement.GetProperty("config")], pascal: true);
        AssertAllWritten(typeof(HealthcheckConfig), [config.RootElement.GetProperty("config").GetProperty("Healthcheck")], pascal: true);
        AssertAllWritten(typeof(RootFsConfig), [config.RootElement.GetProperty("rootfs")], renamed: new() { [nameof(RootFsConfig.DiffIds)] = "diff_ids" });
        AssertAllWritten(typeof(HistoryEntry), [.. config.RootElement.GetProperty("history").EnumerateArray()],
            renamed: new() { [nameof(HistoryEntry.CreatedBy)] = "created_by", [nameof(HistoryEntry.EmptyLayer)] = "empty_layer" });
    }

    [Fact]
    public void WhatPeersAddIsSkipped()
    {
        var manifest = Json.Deserialize<ImageManifest>("""
            {"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","artifactType":"x","config":{"mediaType":"m","digest":"d","size":3,"urls":["u"],"data":"e30="},"layers":[],"subject":{"mediaType":"m","digest":"s","size":1}}
            """u8);
        Assert.Equal(3, manifest.Config.Size);
        var list = Json.Deserialize<ImageIndex>("""
            {"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.list.v2+json","manifests":[{"mediaType":"m","digest":"d","size":1,"platform":{"architecture":"arm","os":"linux","variant":"v7","os.features":["f"],"features":[]}}],"annotations":{"a":"b"}}
            """u8);
        Assert.Equal("v7", Assert.Single(list.Manifests).Platform!.Variant);
    }

    [Theory]
    [InlineData("""{"schemaVersion":"2"}""")]
    [InlineData("""{"manifests":{}}""")]
    [InlineData("""{"manifests":[{"size":1.5}]}""")]
    [InlineData("""{"manifests":[]""")]
    public void WhatIsNotAnIndexIsAJsonError(string text) =>
        Assert.ThrowsAny<JsonException>(() => Json.Deserialize<ImageIndex>(Encoding.UTF8.GetBytes(text)));

    private static string Text<T>(T value) => Encoding.UTF8.GetString(Json.Serialize(value));

    private static string Again<T>(string written) => Text(Json.Deserialize<T>(Encoding.UTF8.GetBytes(written)));

    private static void AssertAllWritten(Type type, JsonElement[] written, Dictionary<string, string>? renamed = null, bool pascal = false)
    {
        var names = written.SelectMany(e => e.EnumerateObject().Select(p => p.Name)).ToHashSet();
        var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(p =>
            renamed != null && renamed.TryGetValue(p.Name, out var name) ? name : pascal ? p.Name : JsonNamingPolicy.CamelCase.ConvertName(p.Name));
        Assert.Empty(properties.Except(names));
    }
}
