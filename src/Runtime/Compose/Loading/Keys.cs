namespace Container.Runtime.Compose.Loading;

/// <summary>
/// The keys the compose specification allows where this loader checks them (top level, a
/// service, the long forms it types): another key is an error, as docker compose's schema makes
/// it; x-* extensions are allowed anywhere and ignored.
/// </summary>
internal static class Keys
{
    public static readonly HashSet<string> TopLevel = ["version", "name", "include", "services", "networks", "volumes", "secrets", "configs", "models"];

    /// <summary>What the model types (ServiceReader reads each).</summary>
    public static readonly HashSet<string> ServiceTyped =
    [
        "image", "build", "command", "entrypoint", "environment", "env_file", "labels", "ports", "expose", "volumes", "tmpfs",
        "networks", "network_mode", "ipc", "pid", "depends_on", "healthcheck", "restart", "user", "working_dir", "hostname", "domainname",
        "init", "read_only", "privileged", "tty", "stdin_open", "cap_add", "cap_drop", "dns", "dns_search", "extra_hosts",
        "security_opt", "sysctls", "stop_signal", "stop_grace_period", "deploy", "mem_limit", "mem_reservation", "cpus",
        "shm_size", "pids_limit", "secrets", "configs", "container_name", "pull_policy", "platform", "profiles",
    ];

    /// <summary>The specification's other service keys: accepted, kept as OtherFields.</summary>
    public static readonly HashSet<string> ServiceOther =
    [
        "annotations", "attach", "blkio_config", "cpu_count", "cpu_percent", "cpu_shares", "cpu_quota", "cpu_period", "cpu_rt_period",
        "cpu_rt_runtime", "cpuset", "credential_spec", "develop", "device_cgroup_rules", "devices", "dns_opt", "external_links",
        "gpus", "group_add", "isolation", "label_file", "links", "logging", "mac_address", "mem_swappiness", "memswap_limit",
        "oom_kill_disable", "oom_score_adj", "post_start", "pre_stop", "runtime", "scale", "storage_opt", "ulimits",
        "use_api_socket", "uts", "userns_mode", "volumes_from", "cgroup", "cgroup_parent", "models", "provider",
    ];

    public static readonly HashSet<string> Build =
    [
        "context", "dockerfile", "dockerfile_inline", "args", "ssh", "labels", "cache_from", "cache_to", "no_cache", "additional_contexts",
        "network", "pull", "target", "shm_size", "extra_hosts", "isolation", "privileged", "secrets", "tags", "ulimits", "platforms",
        "entitlements", "provenance", "sbom",
    ];

    public static readonly HashSet<string> Healthcheck = ["test", "interval", "timeout", "retries", "start_period", "start_interval", "disable"];

    public static readonly HashSet<string> Port = ["target", "published", "host_ip", "protocol", "mode", "name", "app_protocol"];

    public static readonly HashSet<string> ServiceVolume = ["type", "source", "target", "read_only", "consistency", "bind", "volume", "tmpfs", "image"];

    public static readonly HashSet<string> DependsOn = ["condition", "restart", "required"];

    public static readonly HashSet<string> ServiceNetwork = ["aliases", "ipv4_address", "ipv6_address", "link_local_ips", "mac_address", "driver_opts", "priority", "gw_priority", "interface_name"];

    public static readonly HashSet<string> Network = ["name", "driver", "driver_opts", "ipam", "external", "internal", "enable_ipv4", "enable_ipv6", "attachable", "labels"];

    public static readonly HashSet<string> Volume = ["name", "driver", "driver_opts", "external", "labels"];

    public static readonly HashSet<string> FileObject = ["name", "file", "environment", "content", "external", "labels", "driver", "driver_opts", "template_driver"];

    public static readonly HashSet<string> Deploy = ["mode", "replicas", "labels", "rollback_config", "update_config", "resources", "restart_policy", "placement", "endpoint_mode"];

    public static bool IsExtension(string key) => key.StartsWith("x-", StringComparison.Ordinal);

    public static void Check(Field field, HashSet<string> allowed, HashSet<string>? alsoAllowed = null)
    {
        foreach (var key in field.Mapping.Entries.Keys)
            if (!allowed.Contains(key) && alsoAllowed?.Contains(key) != true && !IsExtension(key))
                throw field.Invalid($"unknown field '{key}'");
    }
}
