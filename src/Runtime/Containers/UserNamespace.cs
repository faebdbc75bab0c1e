using System.Text.Json.Serialization;

namespace Container.Runtime.Containers;

/// <summary>
/// A container's user namespace: its uid and gid maps, as podman's --uidmap and --gidmap give
/// them. Its files are kept on the host under the host ids the maps give (shifted): a copy in
/// shifts owners so, and a copy out, an export or a commit shifts them back to the ids the
/// container sees.
/// </summary>
[JsonConverter(typeof(UserNamespaceConverter))]
public sealed record UserNamespace
{
    public List<IdMapping> Uid { get; init; } = [];
    public List<IdMapping> Gid { get; init; } = [];

    /// <summary>
    /// The namespace of --uidmap and --gidmap, null for none. One alone stands for both, as
    /// podman takes it; the container's root must be mapped (the runtime becomes root in it).
    /// </summary>
    public static UserNamespace? From(IReadOnlyList<string>? uidMap, IReadOnlyList<string>? gidMap)
    {
        if (uidMap is not { Count: > 0 } && gidMap is not { Count: > 0 })
            return null;
        var uid = uidMap is { Count: > 0 } ? IdMapping.ParseAll(uidMap, "uidmap") : null;
        var gid = gidMap is { Count: > 0 } ? IdMapping.ParseAll(gidMap, "gidmap") : uid!;
        uid ??= gid;
        if (!uid.Any(m => m.HoldsContainerId(0)))
            throw IdMapping.Invalid("uidmap", string.Join(',', uid), "it does not map the container's root (0)");
        if (!gid.Any(m => m.HoldsContainerId(0)))
            throw IdMapping.Invalid("gidmap", string.Join(',', gid), "it does not map the container's root group (0)");
        return new UserNamespace { Uid = uid, Gid = gid };
    }

    /// <summary>What the kernel shows for an id a map does not hold (/proc/sys/kernel/overflowuid: nobody).</summary>
    public const uint OverflowId = 65534;

    /// <summary>The host's owner of a file the container sees owned by uid:gid.</summary>
    public (uint Uid, uint Gid) ToHost(uint uid, uint gid) => (ToHost(Uid, uid), ToHost(Gid, gid));

    /// <summary>The owner the container sees of a file the host's uid:gid own.</summary>
    public (uint Uid, uint Gid) ToContainer(uint uid, uint gid) => (ToContainer(Uid, uid), ToContainer(Gid, gid));

    /// <summary><see cref="ToHost(uint, uint)"/> as the owners of files written for the container.</summary>
    internal Images.OwnerMap ToHostOwners => ToHost;

    /// <summary><see cref="ToContainer(uint, uint)"/> as the owners of the container's files written out of it.</summary>
    internal Images.OwnerMap ToContainerOwners => ToContainer;

    /// <summary>The container's root, on the host.</summary>
    public (uint Uid, uint Gid) RootOnHost() => ToHost(0, 0);

    /// <summary>A name for the maps, the same for the same maps: what a shifted copy of a layer is kept under (worked out, not kept in the record).</summary>
    public string Key
    {
        get
        {
            var text = $"uid={string.Join(',', Uid)};gid={string.Join(',', Gid)}";
            return Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)))[..16].ToLowerInvariant();
        }
    }

    private static uint ToHost(List<IdMapping> map, uint id) =>
        map.FirstOrDefault(m => m.HoldsContainerId(id)) is { } m ? m.HostId + (id - m.ContainerId) : OverflowId;

    private static uint ToContainer(List<IdMapping> map, uint id) =>
        map.FirstOrDefault(m => m.HoldsHostId(id)) is { } m ? m.ContainerId + (id - m.HostId) : OverflowId;

    /// <summary>The maps as the OCI runtime spec writes them.</summary>
    internal static List<Oci.IdMappingSpec> Spec(List<IdMapping> map) =>
        map.Select(m => new Oci.IdMappingSpec { ContainerId = m.ContainerId, HostId = m.HostId, Size = m.Size }).ToList();
}
