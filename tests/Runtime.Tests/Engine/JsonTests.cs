using System.Text;
using System.Text.Json;
using Container.Runtime;
using Container.Runtime.Containers;
using Container.Runtime.Images;
using Xunit;

namespace Container.Tests.Engine;

/// <summary>The one JSON setup writes what Go reads (RFC 3339 times in UTC, no needless escapes) and reads what peers write.</summary>
public sealed class JsonTests
{
    private static string Text<T>(T value) => Encoding.UTF8.GetString(Json.Serialize(value));

    [Fact]
    public void TimesAreWrittenInUtcWithAZ()
    {
        var moment = new DateTimeOffset(2026, 12, 1, 8, 57, 50, TimeSpan.FromHours(1)).AddTicks(5304999);
        Assert.Contains("\"finishedAt\":\"2026-12-01T07:57:50.5304999Z\"", Text(new ExitRecord { FinishedAt = moment }));
        // trailing zeros go, as Go's RFC3339Nano drops them
        Assert.Contains("\"created\":\"2026-12-01T07:57:50.5Z\"", Text(new ImageConfig { Created = new DateTimeOffset(2026, 12, 1, 7, 57, 50, 500, TimeSpan.Zero) }));
        Assert.Contains("\"created\":\"2026-12-01T07:57:50Z\"", Text(new ImageConfig { Created = new DateTimeOffset(2026, 12, 1, 7, 57, 50, TimeSpan.Zero) }));
    }

    [Theory]
    [InlineData("2015-10-31T22:22:56.015925234-07:00")] // Go's RFC3339Nano, with an offset
    [InlineData("2015-11-01T05:22:56.015925234Z")] // ours and the monitor's
    [InlineData("2015-11-01t05:22:56.015925234z")] // RFC 3339 allows lower case
    public void TimesAreReadWithAnyOffset(string written)
    {
        var config = Json.Deserialize<ImageConfig>(Encoding.UTF8.GetBytes($$"""{"created":"{{written}}"}"""));
        Assert.Equal(new DateTimeOffset(2015, 11, 1, 5, 22, 56, TimeSpan.Zero).AddTicks(159252), config.Created);
    }

    [Fact]
    public void WhatIsNotATimeIsAJsonError()
    {
        Assert.Throws<JsonException>(() => Json.Deserialize<ImageConfig>("""{"created":"yesterday"}"""u8));
        Assert.Throws<JsonException>(() => Json.Deserialize<ImageConfig>("""{"created":12}"""u8));
    }

    [Fact]
    public void OnlyWhatJsonNeedsIsEscaped()
    {
        var text = Text(new ImageConfig { Config = new ContainerConfig { Env = ["SUM=1+1", "HTML=<a href='x'>&</a>", "NAME=Zoë", "QUOTE=\"\\", "TAB=\t"] } });
        Assert.Contains("\"SUM=1+1\",\"HTML=<a href='x'>&</a>\",\"NAME=Zoë\",\"QUOTE=\\\"\\\\\",\"TAB=\\t\"", text);
    }

    /// <summary>The store's config.json (read by hand, StoreConfigConverter): what the metadata wrote, read and written again as it was.</summary>
    [Theory]
    [InlineData("""{"defaultNetwork":"none","bridgeAddress":"10.1.0.1/16"}""")]
    [InlineData("""{}""")]
    public void TheStoresConfigIsWrittenAgainAsItWas(string written) =>
        Assert.Equal(written, Text(Json.Deserialize<Container.Runtime.Storage.StoreConfig>(Encoding.UTF8.GetBytes(written))));

    [Fact]
    public void TheStoresConfigReadsWhatAUserWrote()
    {
        var config = Json.Deserialize<Container.Runtime.Storage.StoreConfig>("""
            {
              // loopback only
              "defaultNetwork": "none",
              "later": [1, 2],
            }
            """u8);
        Assert.Equal("none", config.NetworkMode(null));
        Assert.Null(config.BridgeAddress);
        Assert.Throws<JsonException>(() => Json.Deserialize<Container.Runtime.Storage.StoreConfig>("""{"defaultNetwork":1}"""u8));
    }
}
