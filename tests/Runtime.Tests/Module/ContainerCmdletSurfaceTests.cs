using Container.Runtime.Containers;
using Xunit;

namespace Container.Tests.Module;

/// <summary>The container cmdlets' parameters, as a user's tab and pipeline find them.</summary>
public sealed class ContainerCmdletSurfaceTests : IDisposable
{
    /// <summary>The engine's limits, whose names the cmdlets' parameters bind by.</summary>
    private static readonly string[] Limits = [.. LimitTable.All.Select(l => l.Name)];

    private static readonly string[] Creation =
    [
        "Image", "Command", "Name", "Entrypoint", "Environment", "WorkingDirectory", "User", "Hostname", "Label", "Runtime",
        "ReadOnly", "Tty", "Interactive", "RestartPolicy", "HealthCommand", "HealthInterval", "HealthTimeout",
        "HealthStartPeriod", "HealthRetries", "NoHealthcheck", "AutoRemove", "CapAdd", "CapDrop", "Privileged", "StopSignal", "StopTimeout",
        "Network", "Publish", "PublishAll", "IPAddress", "Alias", "Domainname", "Dns", "DnsSearch", "DnsOption", "AddHost",
        "Volume", "Mount", "Tmpfs", "VolumesFrom", "UidMap", "GidMap", "Ipc", "Pid",
    ];

    private readonly ModuleSurface surface = new();

    public void Dispose() => surface.Dispose();

    private CmdletInfo Cmdlet(string name) => surface.Cmdlets().Single(c => c.Name == name);

    private ParameterInfo Parameter(string cmdlet, string name) => Cmdlet(cmdlet).Parameters.First(p => p.Name == name);

    [Theory]
    [InlineData("New-Container")]
    [InlineData("Invoke-ContainerImage")]
    public void CreateAndRunTakeTheSameOptions(string name)
    {
        var parameters = Cmdlet(name).Parameters.Select(p => p.Name).ToHashSet();
        Assert.Empty(Creation.Concat(Limits).Except(parameters));
        var command = Parameter(name, "Command");
        Assert.True(command.Flag("ValueFromRemainingArguments"), "the words after the image are its command");
        var aliases = Parameter(name, "AutoRemove").OtherAttributes.Single(a => a.AttributeType.Name == "AliasAttribute");
        var names = ((IEnumerable<System.Reflection.CustomAttributeTypedArgument>)aliases.ConstructorArguments[0].Value!).Select(a => (string)a.Value!);
        Assert.Contains("Remove", names); // docker run --rm, as -Remove
    }

    [Fact]
    public void SetCgroupLimitTakesEveryLimitAndEveryFormOfTarget()
    {
        var parameters = Cmdlet("Set-CgroupLimit").Parameters.Select(p => p.Name).ToHashSet();
        Assert.Empty(Limits.Except(parameters));
        Assert.Contains("InputObject", parameters);
        Assert.Contains("Id", parameters);
    }

    /// <summary>The engine reads the limits from the bound parameters by name: LimitsCmdlet declares exactly the table's.</summary>
    [Fact]
    public void TheLimitParametersAreTheEngineLimitsByName()
    {
        var declared = surface.Cmdlets().SelectMany(c => c.Parameters).Select(p => p.Property)
            .Where(p => p.DeclaringType!.Name == "LimitsCmdlet").Select(p => p.Name).ToHashSet();
        Assert.Equal(Limits.Order(), declared.Order());
    }

    [Theory]
    [InlineData("Stop-Container", "Signal", "SignalCompleter")]
    [InlineData("New-Container", "StopSignal", "SignalCompleter")]
    [InlineData("New-Container", "RestartPolicy", "RestartPolicyCompleter")]
    [InlineData("Invoke-ContainerImage", "Image", "ImageNameCompleter")]
    [InlineData("Get-ContainerStats", "Name", "ContainerNameCompleter")]
    [InlineData("New-Container", "Network", "NetworkModeCompleter")]
    [InlineData("Invoke-ContainerImage", "Network", "NetworkModeCompleter")]
    [InlineData("Get-ContainerNetwork", "Name", "NetworkNameCompleter")]
    [InlineData("Remove-ContainerNetwork", "Name", "NetworkNameCompleter")]
    [InlineData("Set-ContainerNetwork", "Name", "NetworkNameCompleter")]
    [InlineData("Get-ContainerPort", "Name", "ContainerNameCompleter")]
    [InlineData("Connect-ContainerNetwork", "Network", "NetworkNameCompleter")]
    [InlineData("Connect-ContainerNetwork", "Container", "ContainerNameCompleter")]
    [InlineData("Disconnect-ContainerNetwork", "Network", "NetworkNameCompleter")]
    [InlineData("Disconnect-ContainerNetwork", "Container", "ContainerNameCompleter")]
    public void ValuesComplete(string cmdlet, string parameter, string completer)
    {
        var attribute = Parameter(cmdlet, parameter).OtherAttributes.Single(a => a.AttributeType.Name == "ArgumentCompleterAttribute");
        Assert.Equal(completer, ((Type)attribute.ConstructorArguments[0].Value!).Name);
    }

    /// <summary>Get-ContainerNetwork | Remove-ContainerNetwork, 'a','b' | Remove-ContainerNetwork, and wildcards.</summary>
    [Theory]
    [InlineData("Get-ContainerNetwork", false)]
    [InlineData("Remove-ContainerNetwork", true)]
    public void NetworkNamesComeFromThePipelineWithWildcards(string cmdlet, bool mandatory)
    {
        var name = Parameter(cmdlet, "Name");
        Assert.True(name.ValueFromPipeline && name.ValueFromPipelineByPropertyName);
        Assert.True(name.HasAttribute("SupportsWildcardsAttribute"));
        Assert.Equal(mandatory, name.Flag("Mandatory"));
    }

    [Fact]
    public void NewContainerNetworkTakesWhatDockerNetworkCreateTakes() =>
        Assert.Empty(new[] { "Name", "Subnet", "Gateway", "IPRange", "Internal", "Label", "Mtu", "IPv6Subnet", "IPv6Gateway" }
            .Except(Cmdlet("New-ContainerNetwork").Parameters.Select(p => p.Name)));

    /// <summary>docker network connect NETWORK CONTAINER: the network first, then the containers, which come from the pipeline too.</summary>
    [Theory]
    [InlineData("Connect-ContainerNetwork", "IPAddress", "Alias")]
    [InlineData("Disconnect-ContainerNetwork", "Force")]
    public void ConnectionsTakeTheNetworkThenTheContainers(string cmdlet, params string[] options)
    {
        var network = Parameter(cmdlet, "Network");
        Assert.True(network.Flag("Mandatory") && !network.ValueFromPipeline);
        var container = Parameter(cmdlet, "Container");
        Assert.True(container.ValueFromPipeline && container.ValueFromPipelineByPropertyName && container.Flag("Mandatory"));
        var positions = Cmdlet(cmdlet).Parameters.ToDictionary(p => p.Name, p => p.Property.GetCustomAttributesData()
            .SelectMany(a => a.NamedArguments).Where(a => a.MemberName == "Position").Select(a => (int?)a.TypedValue.Value).FirstOrDefault());
        Assert.Equal((0, 1), (positions["Network"], positions["Container"]));
        Assert.Empty(options.Append("PassThru").Except(Cmdlet(cmdlet).Parameters.Select(p => p.Name)));
    }

    [Fact]
    public void ExecTakesTheWordsAfterTheContainerAsItsCommand()
    {
        var command = Parameter("Invoke-ContainerCommand", "Command");
        Assert.True(command.Flag("ValueFromRemainingArguments"));
        Assert.True(command.Flag("Mandatory"));
    }

    [Fact]
    public void StatsListEveryRunningContainerWithoutAName() =>
        Assert.False(Parameter("Get-ContainerStats", "Name").Flag("Mandatory"));

    [Theory]
    [InlineData("Get-ContainerLog")]
    [InlineData("Get-ContainerProjectLog")]
    public void SinceTakesDatesAndSpans(string cmdlet) =>
        Assert.Contains(Parameter(cmdlet, "Since").OtherAttributes, a => a.AttributeType.Name == "SinceTransformationAttribute");

    /// <summary>docker compose logs takes what docker logs takes, and the services: names or wildcards.</summary>
    [Fact]
    public void ProjectLogsTakeWhatContainerLogsTakeAndTheServices()
    {
        var project = Cmdlet("Get-ContainerProjectLog").Parameters.Select(p => p.Name).ToHashSet();
        Assert.Empty(new[] { "Follow", "Tail", "Since", "Timestamps", "Path", "File", "ProjectName", "Service" }.Except(project));
        Assert.True(Parameter("Get-ContainerProjectLog", "Service").HasAttribute("SupportsWildcardsAttribute"));
    }
}
