namespace Container.Runtime.Compose;

/// <summary>
/// A compose project as the loader leaves it: its files merged, interpolated, extended and
/// included, every short form in its one typed shape, the profiles applied. Maps are sorted by
/// key (ordinal), so that two loads of the same project compare and print the same.
/// </summary>
/// <param name="Name">the project's name, normalized as docker compose does</param>
/// <param name="WorkingDirectory">the project directory: what relative paths were resolved against</param>
/// <param name="Files">every compose file read, in the order read (an included or extended file after the one that names it)</param>
/// <param name="Services">the services the active profiles enable</param>
/// <param name="DisabledServices">the services defined but left out by profiles</param>
/// <param name="Environment">the variables the files were interpolated with: .env under the environment given</param>
public sealed record ComposeProject(
    string Name,
    string WorkingDirectory,
    ValueList<string> Files,
    ValueMap<ComposeService> Services,
    ValueList<string> DisabledServices,
    ValueMap<ComposeNetwork> Networks,
    ValueMap<ComposeVolume> Volumes,
    ValueMap<ComposeFileObject> Secrets,
    ValueMap<ComposeFileObject> Configs,
    ValueMap<string> Environment);

/// <summary>A top-level network. Name is what the engine calls it: &lt;project&gt;_&lt;key&gt; unless name: or external says otherwise.</summary>
public sealed record ComposeNetwork(
    string Name,
    string? Driver,
    ValueMap<string> DriverOptions,
    NetworkIpam? Ipam,
    bool External,
    bool Internal,
    bool? EnableIpv6,
    bool Attachable,
    ValueMap<string> Labels);

public sealed record NetworkIpam(string? Driver, ValueList<IpamPool> Config);

public sealed record IpamPool(string? Subnet, string? Gateway, string? IpRange);

/// <summary>A top-level named volume; Name as for networks.</summary>
public sealed record ComposeVolume(
    string Name,
    string? Driver,
    ValueMap<string> DriverOptions,
    bool External,
    ValueMap<string> Labels);

/// <summary>A top-level secret or config: its content from a file (absolute path), an environment variable or inline content, or external.</summary>
public sealed record ComposeFileObject(
    string Name,
    string? File,
    string? Environment,
    string? Content,
    bool External,
    ValueMap<string> Labels);
