using Container.Runtime.Containers;
using Container.Runtime.Errors;
using Container.Runtime.Networks;
using Container.Tests.Fixtures;
using Xunit;

namespace Container.Tests.Networks;

/// <summary>-Publish in every form docker takes, -PublishAll, and what docker ps shows of them.</summary>
public sealed class ModelPublishTests
{
    private static List<PortMapping> Parse(params string[] publish) => PortPublishing.Parse(publish, publishAll: false, exposed: null);

    [Theory]
    [InlineData("8080:80", "", 8080, 80, "tcp")]
    [InlineData("127.0.0.1:8080:80", "127.0.0.1", 8080, 80, "tcp")]
    [InlineData("8080:80/udp", "", 8080, 80, "udp")]
    [InlineData("8080:80/TCP", "", 8080, 80, "tcp")]
    [InlineData("80", "", 0, 80, "tcp")]
    [InlineData("53/udp", "", 0, 53, "udp")]
    [InlineData("127.0.0.1::80", "127.0.0.1", 0, 80, "tcp")]
    [InlineData("[::1]:8080:80", "::1", 8080, 80, "tcp")]
    [InlineData("[::1]::80", "::1", 0, 80, "tcp")]
    public void EachFormPublishesOnePort(string publish, string hostIp, int hostPort, int containerPort, string protocol) =>
        Assert.Equal([new PortMapping(hostIp, hostPort, containerPort, protocol)], Parse(publish));

    [Fact]
    public void RangesPublishPortForPort()
    {
        var ports = Parse("8000-8010:80-90");

        Assert.Equal(11, ports.Count);
        Assert.Equal(new PortMapping("", 8005, 85, "tcp"), ports[5]);
        Assert.Equal("0.0.0.0:8000-8010->80-90/tcp", PortMapping.Format(ports));
        Assert.Equal(["80/tcp", "81/tcp"], Parse("80-81").Select(p => p.ToString()));
    }

    [Theory]
    [InlineData("", "InvalidPublish")]
    [InlineData("abc", "InvalidPublish")]
    [InlineData("0:80", "InvalidPublish")]
    [InlineData("8080:70000", "InvalidPublish")]
    [InlineData("8080:80/sctp", "InvalidPublish")]
    [InlineData(":80", "InvalidPublish")]
    [InlineData("8000-8010:80", "InvalidPublish")] // ranges as long as each other
    [InlineData("90-80", "InvalidPublish")]
    [InlineData("300.1.1.1:8080:80", "InvalidPublish")]
    [InlineData("::1:8080:80", "InvalidPublish")] // an IPv6 address goes in brackets
    [InlineData("1:2:3:4", "InvalidPublish")]
    public void AMalformedPublishIsRefusedWithItsText(string publish, string errorId)
    {
        var e = Assert.Throws<ContainerException>(() => Parse(publish));

        Assert.Equal((errorId, ErrorKind.InvalidArgument, publish), (e.ErrorId, e.Kind, e.Target));
    }

    [Theory]
    [InlineData("8080:80", "8080:81")]
    [InlineData("8080:80", "127.0.0.1:8080:81")] // every address includes that one
    [InlineData("8000-8010:80-90", "8005:22")]
    public void AHostPortPublishedTwiceIsRefused(string first, string second)
    {
        var e = Assert.Throws<ContainerException>(() => Parse(first, second));
        Assert.Equal("PortPublishedTwice", e.ErrorId);
    }

    [Fact]
    public void TheSamePortOnOtherAddressesOrProtocolsIsNotTwice()
    {
        Assert.Equal(3, Parse("127.0.0.1:8080:80", "127.0.0.2:8080:80", "8080:80/udp").Count);
        Assert.Equal(2, Parse("80", "80").Count); // two free ports for one container port
    }

    [Fact]
    public void PublishAllAddsWhatTheImageExposesThatIsNotPublishedAlready()
    {
        var ports = PortPublishing.Parse(["8080:80"], publishAll: true, exposed: ["80/tcp", "443", "53/udp", "132/sctp"]);

        Assert.Equal(["0.0.0.0:8080->80/tcp", "443/tcp", "53/udp"], ports.Select(p => p.ToString()));
    }

    [Fact]
    public void ThePortsColumnReadsLikeDockerPs()
    {
        var ports = new[] { new PortMapping("", 8080, 80, "tcp"), new PortMapping("127.0.0.1", 9000, 9000, "udp"), new PortMapping("::1", 9001, 9001, "tcp") };

        Assert.Equal("0.0.0.0:8080->80/tcp, 127.0.0.1:9000->9000/udp, [::1]:9001->9001/tcp", PortMapping.Format(ports));
        Assert.Equal("", PortMapping.Format([]));
    }

    [Fact]
    public void ContainerSpecValidationRefusesBadNetworkOptions()
    {
        foreach (var (spec, errorId) in new (ContainerSpec, string)[]
                 {
                     (new() { Image = "x", Publish = ["nope"] }, "InvalidPublish"),
                     (new() { Image = "x", IPAddress = "10.0.0" }, "InvalidAddress"),
                     (new() { Image = "x", Dns = ["dns.example"] }, "InvalidAddress"),
                     (new() { Image = "x", AddHost = ["db"] }, "InvalidHostEntry"),
                     (new() { Image = "x", AddHost = ["db:not-an-ip"] }, "InvalidHostEntry"),
                     (new() { Image = "x", Alias = ["no spaces"] }, "InvalidAlias"),
                     (new() { Image = "x", Network = "a b" }, "InvalidNetworkMode"),
                 })
            Assert.Equal(errorId, Assert.Throws<ContainerException>(() => spec.Validate(new FakeCgroups())).ErrorId);
        Assert.Equal(("db", "fd00::5"), NetworkOptions.ParseHostEntry("db:fd00::5"));
        Assert.Equal(("db", "fd00::5"), NetworkOptions.ParseHostEntry("db:[fd00::5]"));
    }
}
