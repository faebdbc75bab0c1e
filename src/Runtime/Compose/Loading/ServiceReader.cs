using System.Globalization;

namespace Container.Runtime.Compose.Loading;

/// <summary>
/// A service's merged tree typed into a ComposeService: each field read in every form the
/// specification allows, checked, and put in its one shape. Paths are absolute already.
/// </summary>
internal static class ServiceReader
{
    private static readonly HashSet<string> PullPolicies = ["always", "never", "missing", "build", "if_not_present", "daily", "weekly"];

    public static ComposeService Read(string name, Field field, Func<string, string?> environment, string projectDirectory)
    {
        Keys.Check(field, Keys.ServiceTyped, Keys.ServiceOther);
        var networkMode = field["network_mode"]?.Text;
        var networks = field["networks"] is { } n ? Networks(n) : ValueMap<ServiceNetwork>.Empty;
        if (networkMode != null && networks.Count > 0)
            throw field.Invalid("network_mode and networks cannot both be set");
        var service = new ComposeService
        {
            Name = name,
            Image = field["image"]?.Text,
            Build = field["build"] is { } build ? Build(build, projectDirectory) : null,
            Command = field["command"] is { } command ? Command(command) : null,
            Entrypoint = field["entrypoint"] is { } entrypoint ? Command(entrypoint) : null,
            Environment = Environment(field, environment),
            Labels = field["labels"] is { } labels ? Strings(labels) : ValueMap<string>.Empty,
            Ports = field["ports"]?.Items.SelectMany(PortSyntax.Read).ToValueList() ?? [],
            Expose = field["expose"]?.Items.Select(PortSyntax.Expose).ToValueList() ?? [],
            Volumes = field["volumes"]?.Items.Select(VolumeSyntax.Read).ToValueList() ?? [],
            Tmpfs = field["tmpfs"]?.Strings ?? [],
            Networks = networkMode == null && networks.Count == 0 ? ValueMap.Of([KeyValuePair.Create("default", NoNetworkOptions)]) : networks,
            NetworkMode = networkMode,
            Ipc = field["ipc"] is { } ipc ? NamespaceMode(ipc, "private", "shareable") : null,
            Pid = field["pid"] is { } pid ? NamespaceMode(pid, "private") : null,
            DependsOn = field["depends_on"] is { } dependsOn ? DependsOn(dependsOn) : ValueMap<ServiceDependency>.Empty,
            Healthcheck = field["healthcheck"] is { } healthcheck ? Healthcheck(healthcheck) : null,
            Restart = field["restart"] is { } restart ? Restart(restart) : null,
            User = field["user"]?.Text,
            WorkingDir = field["working_dir"]?.Text,
            Hostname = field["hostname"]?.Text,
            Domainname = field["domainname"]?.Text,
            Init = field["init"]?.Bool,
            ReadOnly = field["read_only"]?.Bool ?? false,
            Privileged = field["privileged"]?.Bool ?? false,
            Tty = field["tty"]?.Bool ?? false,
            StdinOpen = field["stdin_open"]?.Bool ?? false,
            CapAdd = field["cap_add"]?.Strings.Order(StringComparer.Ordinal).ToValueList() ?? [],
            CapDrop = field["cap_drop"]?.Strings.Order(StringComparer.Ordinal).ToValueList() ?? [],
            Dns = field["dns"]?.Strings ?? [],
            DnsSearch = field["dns_search"]?.Strings ?? [],
            ExtraHosts = field["extra_hosts"] is { } hosts ? ExtraHosts(hosts) : [],
            SecurityOpt = field["security_opt"]?.Strings ?? [],
            Sysctls = field["sysctls"] is { } sysctls ? Strings(sysctls) : ValueMap<string>.Empty,
            StopSignal = field["stop_signal"]?.Text,
            StopGracePeriod = field["stop_grace_period"]?.Duration,
            Deploy = field["deploy"] is { } deploy ? Deploy(deploy) : null,
            MemLimit = field["mem_limit"]?.Bytes,
            MemReservation = field["mem_reservation"]?.Bytes,
            Cpus = field["cpus"]?.Double,
            ShmSize = field["shm_size"]?.Bytes,
            PidsLimit = field["pids_limit"]?.Int,
            Secrets = field["secrets"]?.Items.Select(s => FileReference(s, "/run/secrets/")).ToValueList() ?? [],
            Configs = field["configs"]?.Items.Select(c => FileReference(c, "/")).ToValueList() ?? [],
            ContainerName = field["container_name"]?.Text,
            PullPolicy = field["pull_policy"] is { } pull ? PullPolicy(pull) : null,
            Platform = field["platform"]?.Text,
            Profiles = field["profiles"]?.Strings ?? [],
            OtherFields = ValueMap.Of(field.Mapping.Entries.Where(e => Keys.ServiceOther.Contains(e.Key))
                .Select(e => KeyValuePair.Create(e.Key, CanonicalText.Of(e.Value)))),
        };
        if (service.Image == null && service.Build == null)
            throw field.Invalid("a service needs an image or a build");
        return service;
    }

    private static readonly ServiceNetwork NoNetworkOptions = new([], null, null, null);

    private static ServiceBuild Build(Field field, string projectDirectory)
    {
        if (field.Node is YamlScalar)
            return new ServiceBuild(field.Text, null, ValueMap<string?>.Empty, null, ValueMap<string>.Empty, null, []);
        Keys.Check(field, Keys.Build);
        return new ServiceBuild(
            field["context"]?.Text ?? projectDirectory,
            field["dockerfile"]?.Text,
            field["args"] is { } args ? ValueMap.Of(args.Pairs()) : ValueMap<string?>.Empty,
            field["target"]?.Text,
            field["labels"] is { } labels ? Strings(labels) : ValueMap<string>.Empty,
            field["network"]?.Text,
            field["cache_from"]?.Strings ?? []);
    }

    private static ServiceCommand Command(Field field)
    {
        if (field.Node is YamlSequence)
            return new ServiceCommand(field.Items.Select(i => i.Text).ToValueList(), null);
        var text = field.Text;
        return new ServiceCommand(ShellWords.Split(text)?.ToValueList() ?? throw field.Invalid($"unterminated quote in '{text}'"), text);
    }

    /// <summary>env_file's variables first (in order), environment's over them; a key without a value is the environment's.</summary>
    private static ValueMap<string?> Environment(Field field, Func<string, string?> environment)
    {
        var result = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var file in field["env_file"] is { } envFiles ? envFiles.Node is YamlSequence ? envFiles.Items : [envFiles] : [])
        {
            if (file.Node is YamlMapping)
                Keys.Check(file, ["path", "required", "format"]);
            var (path, required) = file.Node is YamlMapping
                ? ((file["path"] ?? throw file.Invalid("an env_file needs its path")).Text, file["required"]?.Bool ?? true)
                : (file.Text, true);
            if (!File.Exists(path))
            {
                if (required)
                    throw file.Invalid($"the env file '{path}' does not exist");
                continue;
            }
            foreach (var (key, value) in DotEnv.Parse(File.ReadAllText(path), path, environment))
                result[key] = value;
        }
        if (field["environment"] is { } variables)
            foreach (var (key, value) in variables.Pairs())
                result[key] = value ?? environment(key);
        return ValueMap.Of(result);
    }

    private static ValueMap<string> Strings(Field field) =>
        ValueMap.Of(field.Pairs().Select(p => KeyValuePair.Create(p.Key, p.Value ?? "")));

    private static ValueList<string> ExtraHosts(Field field) =>
        field.Node is YamlMapping
            ? field.Entries.SelectMany(e => e.Value.Strings.Select(address => $"{e.Key}={address}")).ToValueList()
            : field.Strings;

    private static ValueMap<ServiceNetwork> Networks(Field field)
    {
        if (field.Node is YamlSequence)
            return ValueMap.Of(field.Items.Select(i => KeyValuePair.Create(i.Text, NoNetworkOptions)));
        return ValueMap.Of(field.Entries.Select(e =>
        {
            if (e.Value.Node is YamlScalar { IsNull: true })
                return KeyValuePair.Create(e.Key, NoNetworkOptions);
            Keys.Check(e.Value, Keys.ServiceNetwork);
            return KeyValuePair.Create(e.Key, new ServiceNetwork(
                e.Value["aliases"]?.Strings ?? [], e.Value["ipv4_address"]?.Text, e.Value["ipv6_address"]?.Text, e.Value["priority"]?.Int));
        }));
    }

    private static ValueMap<ServiceDependency> DependsOn(Field field)
    {
        if (field.Node is YamlSequence)
            return ValueMap.Of(field.Items.Select(i => KeyValuePair.Create(i.Text, new ServiceDependency(DependencyCondition.ServiceStarted, false, true))));
        return ValueMap.Of(field.Entries.Select(e =>
        {
            Keys.Check(e.Value, Keys.DependsOn);
            var condition = e.Value["condition"] is { } c
                ? c.Text switch
                {
                    "service_started" => DependencyCondition.ServiceStarted,
                    "service_healthy" => DependencyCondition.ServiceHealthy,
                    "service_completed_successfully" => DependencyCondition.ServiceCompletedSuccessfully,
                    _ => throw c.Invalid($"invalid condition '{c.Text}': service_started, service_healthy or service_completed_successfully"),
                }
                : DependencyCondition.ServiceStarted;
            return KeyValuePair.Create(e.Key, new ServiceDependency(condition, e.Value["restart"]?.Bool ?? false, e.Value["required"]?.Bool ?? true));
        }));
    }

    private static ServiceHealthcheck Healthcheck(Field field)
    {
        Keys.Check(field, Keys.Healthcheck);
        ValueList<string> test = [];
        if (field["test"] is { } t)
        {
            test = t.Node is YamlScalar ? ["CMD-SHELL", t.Text] : t.Items.Select(i => i.Text).ToValueList();
            if (test.Count == 0 || test[0] is not ("CMD" or "CMD-SHELL" or "NONE"))
                throw t.Invalid("a healthcheck's test is a string, or a list that starts with CMD, CMD-SHELL or NONE");
        }
        // disable: true wins over a test (one an extended service or an earlier file gave, say)
        var disable = field["disable"]?.Bool ?? false;
        return new ServiceHealthcheck(
            disable ? ["NONE"] : test,
            field["interval"]?.Duration, field["timeout"]?.Duration, field["start_period"]?.Duration, field["start_interval"]?.Duration,
            field["retries"]?.Int, disable || test is ["NONE", ..]);
    }

    private static string Restart(Field field)
    {
        var text = field.Text;
        var valid = text is "no" or "always" or "unless-stopped" or "on-failure"
            || (text.StartsWith("on-failure:", StringComparison.Ordinal) && int.TryParse(text[11..], NumberStyles.None, CultureInfo.InvariantCulture, out _));
        return valid ? text : throw field.Invalid($"invalid restart policy '{text}': no, always, on-failure[:N] or unless-stopped");
    }

    /// <summary>ipc: or pid: as the specification gives them: host, service:NAME, container:NAME, or one of the field's own.</summary>
    private static string NamespaceMode(Field field, params string[] own)
    {
        var text = field.Text;
        var valid = text == "host" || own.Contains(text)
            || (text.StartsWith(ServiceReferences.ServicePrefix, StringComparison.Ordinal) && text.Length > ServiceReferences.ServicePrefix.Length)
            || (text.StartsWith("container:", StringComparison.Ordinal) && text.Length > "container:".Length);
        return valid ? text : throw field.Invalid($"invalid mode '{text}': host, {string.Join(", ", own)}, service:<name> or container:<name>");
    }

    private static string PullPolicy(Field field)
    {
        var text = field.Text;
        return PullPolicies.Contains(text) || (text.StartsWith("every_", StringComparison.Ordinal) && Runtime.Text.HumanDuration.TryParse(text[6..], out _))
            ? text : throw field.Invalid($"invalid pull policy '{text}'");
    }

    private static ServiceDeploy Deploy(Field field)
    {
        Keys.Check(field, Keys.Deploy);
        var resources = field["resources"];
        return new ServiceDeploy(field["replicas"]?.Int, Resources(resources?["limits"]), Resources(resources?["reservations"]));
    }

    private static ServiceResources? Resources(Field? field)
    {
        if (field == null)
            return null;
        Keys.Check(field, ["memory", "cpus", "pids", "devices", "generic_resources"]);
        return new ServiceResources(field["memory"]?.Bytes, field["cpus"]?.Double, field["pids"]?.Int);
    }

    private static ServiceFileReference FileReference(Field field, string directory)
    {
        if (field.Node is YamlScalar)
            return new ServiceFileReference(field.Text, directory + field.Text, null, null, null);
        Keys.Check(field, ["source", "target", "uid", "gid", "mode"]);
        var source = (field["source"] ?? throw field.Invalid("needs its source")).Text;
        var target = field["target"]?.Text ?? source;
        return new ServiceFileReference(source, target.StartsWith('/') ? target : directory + target,
            field["uid"]?.Text, field["gid"]?.Text, field["mode"] is { } mode ? Mode(mode) : null);
    }

    private static int Mode(Field field)
    {
        var text = field.Text;
        var octal = text.StartsWith("0o", StringComparison.Ordinal) ? text[2..] : text.Length > 1 && text[0] == '0' ? text[1..] : null;
        try
        {
            return octal != null ? Convert.ToInt32(octal, 8) : int.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is FormatException or OverflowException or ArgumentException)
        {
            throw field.Invalid($"invalid mode '{text}'");
        }
    }
}
