using System.Text.Json.Serialization;

namespace Container.Runtime.Oci;

// config.json of the OCI runtime specification: what the engine writes into every
// bundle, and the native core (or crun, or runc) runs. Names follow the spec.

public sealed class RuntimeSpec
{
    public string OciVersion { get; set; } = "1.0.2";
    public ProcessSpec? Process { get; set; }
    public RootSpec Root { get; set; } = new();
    public string? Hostname { get; set; }
    public string? Domainname { get; set; }
    public List<MountSpec> Mounts { get; set; } = [];
    public HooksSpec? Hooks { get; set; }
    public Dictionary<string, string>? Annotations { get; set; }
    public LinuxSpec Linux { get; set; } = new();
}

public sealed class RootSpec
{
    public string Path { get; set; } = "rootfs";
    public bool Readonly { get; set; }
}

public sealed class ProcessSpec
{
    public bool Terminal { get; set; }
    public ConsoleSizeSpec? ConsoleSize { get; set; }
    public UserSpec User { get; set; } = new();
    public List<string> Args { get; set; } = [];
    public List<string> Env { get; set; } = [];
    public string Cwd { get; set; } = "/";
    public CapabilitiesSpec? Capabilities { get; set; }
    public List<RlimitSpec>? Rlimits { get; set; }
    public bool NoNewPrivileges { get; set; }
    public int? OomScoreAdj { get; set; }
    public string? ApparmorProfile { get; set; }
    public string? SelinuxLabel { get; set; }
}

public sealed class ConsoleSizeSpec
{
    public uint Height { get; set; }
    public uint Width { get; set; }
}

public sealed class UserSpec
{
    public uint Uid { get; set; }
    public uint Gid { get; set; }
    public uint? Umask { get; set; }
    public List<uint>? AdditionalGids { get; set; }
}

public sealed class CapabilitiesSpec
{
    public List<string> Bounding { get; set; } = [];
    public List<string> Effective { get; set; } = [];
    public List<string> Permitted { get; set; } = [];
    public List<string>? Inheritable { get; set; }
    public List<string>? Ambient { get; set; }
}

public sealed class RlimitSpec
{
    public string Type { get; set; } = "";
    public ulong Hard { get; set; }
    public ulong Soft { get; set; }
}

public sealed class MountSpec
{
    public string Destination { get; set; } = "";
    public string? Type { get; set; }
    public string? Source { get; set; }
    public List<string>? Options { get; set; }
}

public sealed class HooksSpec
{
    public List<HookSpec>? Prestart { get; set; }
    public List<HookSpec>? CreateRuntime { get; set; }
    public List<HookSpec>? CreateContainer { get; set; }
    public List<HookSpec>? StartContainer { get; set; }
    public List<HookSpec>? Poststart { get; set; }
    public List<HookSpec>? Poststop { get; set; }
}

public sealed class HookSpec
{
    public string Path { get; set; } = "";
    public List<string>? Args { get; set; }
    public List<string>? Env { get; set; }
    public int? Timeout { get; set; }
}

public sealed class LinuxSpec
{
    public List<NamespaceSpec> Namespaces { get; set; } = [];
    public List<IdMappingSpec>? UidMappings { get; set; }
    public List<IdMappingSpec>? GidMappings { get; set; }
    public List<DeviceSpec>? Devices { get; set; }
    public string? CgroupsPath { get; set; }
    public ResourcesSpec? Resources { get; set; }
    public string? RootfsPropagation { get; set; }
    public List<string>? MaskedPaths { get; set; }
    public List<string>? ReadonlyPaths { get; set; }
    public Dictionary<string, string>? Sysctl { get; set; }
    public SeccompSpec? Seccomp { get; set; }
    public Dictionary<string, TimeOffsetSpec>? TimeOffsets { get; set; }
}

public sealed class TimeOffsetSpec
{
    public long Secs { get; set; }
    public uint Nanosecs { get; set; }
}

public sealed class NamespaceSpec
{
    public string Type { get; set; } = "";
    public string? Path { get; set; }
}

public sealed class IdMappingSpec
{
    [JsonPropertyName("containerID")] public uint ContainerId { get; set; }
    [JsonPropertyName("hostID")] public uint HostId { get; set; }
    public uint Size { get; set; }
}

public sealed class DeviceSpec
{
    public string Path { get; set; } = "";
    public string Type { get; set; } = "c";
    public long Major { get; set; }
    public long Minor { get; set; }
    public uint? FileMode { get; set; }
    public uint? Uid { get; set; }
    public uint? Gid { get; set; }
}

public sealed class ResourcesSpec
{
    public List<DeviceRuleSpec>? Devices { get; set; }
    public MemorySpec? Memory { get; set; }
    public CpuSpec? Cpu { get; set; }
    public PidsSpec? Pids { get; set; }
    [JsonPropertyName("blockIO")] public BlockIoSpec? BlockIo { get; set; }
    public List<HugepageLimitSpec>? HugepageLimits { get; set; }
    public Dictionary<string, string>? Unified { get; set; }
}

public sealed class HugepageLimitSpec
{
    public string PageSize { get; set; } = "";
    public ulong Limit { get; set; }
}

public sealed class DeviceRuleSpec
{
    public bool Allow { get; set; }
    public string? Type { get; set; }
    public long? Major { get; set; }
    public long? Minor { get; set; }
    public string? Access { get; set; }
}

public sealed class MemorySpec
{
    public long? Limit { get; set; }
    public long? Reservation { get; set; }
    public long? Swap { get; set; }
    public ulong? Swappiness { get; set; }
    [JsonPropertyName("disableOOMKiller")] public bool? DisableOomKiller { get; set; }
}

public sealed class CpuSpec
{
    public ulong? Shares { get; set; }
    public long? Quota { get; set; }
    public ulong? Period { get; set; }
    public string? Cpus { get; set; }
    public string? Mems { get; set; }
}

public sealed class PidsSpec
{
    public long Limit { get; set; }
}

public sealed class BlockIoSpec
{
    public ushort? Weight { get; set; }
    public List<WeightDeviceSpec>? WeightDevice { get; set; }
    public List<ThrottleDeviceSpec>? ThrottleReadBpsDevice { get; set; }
    public List<ThrottleDeviceSpec>? ThrottleWriteBpsDevice { get; set; }
    [JsonPropertyName("throttleReadIOPSDevice")] public List<ThrottleDeviceSpec>? ThrottleReadIopsDevice { get; set; }
    [JsonPropertyName("throttleWriteIOPSDevice")] public List<ThrottleDeviceSpec>? ThrottleWriteIopsDevice { get; set; }
}

public sealed class WeightDeviceSpec
{
    public long Major { get; set; }
    public long Minor { get; set; }
    public ushort? Weight { get; set; }
}

public sealed class ThrottleDeviceSpec
{
    public long Major { get; set; }
    public long Minor { get; set; }
    public ulong Rate { get; set; }
}

public sealed class SeccompSpec
{
    public string DefaultAction { get; set; } = "SCMP_ACT_ERRNO";
    public uint? DefaultErrnoRet { get; set; }
    public List<string>? Architectures { get; set; }
    public List<SyscallSpec> Syscalls { get; set; } = [];
}

public sealed class SyscallSpec
{
    public List<string> Names { get; set; } = [];
    public string Action { get; set; } = "SCMP_ACT_ALLOW";
    public uint? ErrnoRet { get; set; }
    public List<SyscallArgSpec>? Args { get; set; }
}

public sealed class SyscallArgSpec
{
    public uint Index { get; set; }
    public ulong Value { get; set; }
    public ulong? ValueTwo { get; set; }
    public string Op { get; set; } = "SCMP_CMP_EQ";
}
