using System.Text.Json;
using System.Text.Json.Serialization;
using Container.Runtime.Networks;
using Container.Runtime.Volumes;
using static Container.Runtime.JsonFields;

namespace Container.Runtime.Containers;

// The container's documents (container.json, run.json, exit.json) and their parts, read and
// written by hand (JsonFields says why): each type's converter is the one way it is read and
// written, in these documents and in any other that holds it (a NetworkSetup's ports). Unknown
// properties are skipped, as the generated metadata skipped them.

internal sealed class ContainerRecordConverter : JsonConverter<ContainerRecord>
{
    public override ContainerRecord Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => ReadValue(ref reader);

    public override void Write(Utf8JsonWriter writer, ContainerRecord value, JsonSerializerOptions options) => WriteValue(writer, value);

    public static ContainerRecord ReadValue(ref Utf8JsonReader reader)
    {
        StartObject(ref reader);
        var record = new ContainerRecord();
        while (NextProperty(ref reader) is { } name)
            switch (name)
            {
                case "id": record.Id = String(ref reader); break;
                case "name": record.Name = String(ref reader); break;
                case "image": record.Image = String(ref reader); break;
                case "imageId": record.ImageId = String(ref reader); break;
                case "created": record.Created = Time(ref reader); break;
                case "entrypoint": record.Entrypoint = Strings(ref reader)!; break;
                case "command": record.Command = Strings(ref reader)!; break;
                case "environment": record.Environment = Strings(ref reader)!; break;
                case "workingDirectory": record.WorkingDirectory = String(ref reader); break;
                case "user": record.User = NullableString(ref reader); break;
                case "hostname": record.Hostname = String(ref reader); break;
                case "labels": record.Labels = StringMap(ref reader)!; break;
                case "layers": record.Layers = Strings(ref reader)!; break;
                case "runtime": record.Runtime = String(ref reader); break;
                case "tty": record.Tty = Boolean(ref reader); break;
                case "interactive": record.Interactive = Boolean(ref reader); break;
                case "init": record.Init = Boolean(ref reader); break;
                case "restartPolicy": record.RestartPolicy = String(ref reader); break;
                case "healthcheck": record.Healthcheck = ReadPartOrNull(ref reader, HealthcheckConverter.ReadValue); break;
                case "autoRemove": record.AutoRemove = Boolean(ref reader); break;
                case "stopSignal": record.StopSignal = String(ref reader); break;
                case "stopTimeout": record.StopTimeout = NullableDuration(ref reader); break;
                case "networkMode": record.NetworkMode = String(ref reader); break;
                case "ipcMode": record.IpcMode = String(ref reader); break;
                case "pidMode": record.PidMode = String(ref reader); break;
                case "networks": record.Networks = ReadList(ref reader, NetworkEndpointConverter.ReadValue)!; break;
                case "ports": record.Ports = ReadList(ref reader, PortMappingConverter.ReadValue)!; break;
                case "domainname": record.Domainname = NullableString(ref reader); break;
                case "dns": record.Dns = Strings(ref reader); break;
                case "dnsSearch": record.DnsSearch = Strings(ref reader); break;
                case "dnsOption": record.DnsOption = Strings(ref reader); break;
                case "addHost": record.AddHost = Strings(ref reader); break;
                case "mounts": record.Mounts = ReadList(ref reader, ContainerMountConverter.ReadValue)!; break;
                case "userNamespace": record.UserNamespace = ReadPartOrNull(ref reader, UserNamespaceConverter.ReadValue); break;
                default: reader.Skip(); break;
            }
        return record;
    }

    public static void WriteValue(Utf8JsonWriter writer, ContainerRecord record)
    {
        writer.WriteStartObject();
        writer.WriteString("id", record.Id);
        writer.WriteString("name", record.Name);
        writer.WriteString("image", record.Image);
        writer.WriteString("imageId", record.ImageId);
        WriteTime(writer, "created", record.Created);
        WriteStrings(writer, "entrypoint", record.Entrypoint);
        WriteStrings(writer, "command", record.Command);
        WriteStrings(writer, "environment", record.Environment);
        WriteNullableString(writer, "workingDirectory", record.WorkingDirectory);
        WriteNullableString(writer, "user", record.User);
        WriteNullableString(writer, "hostname", record.Hostname);
        WriteStringMap(writer, "labels", record.Labels);
        WriteStrings(writer, "layers", record.Layers);
        WriteNullableString(writer, "runtime", record.Runtime);
        writer.WriteBoolean("tty", record.Tty);
        writer.WriteBoolean("interactive", record.Interactive);
        writer.WriteBoolean("init", record.Init);
        WriteNullableString(writer, "restartPolicy", record.RestartPolicy);
        WritePart(writer, "healthcheck", record.Healthcheck, HealthcheckConverter.WriteValue);
        writer.WriteBoolean("autoRemove", record.AutoRemove);
        WriteNullableString(writer, "stopSignal", record.StopSignal);
        if (record.StopTimeout is { } stopTimeout)
            WriteDuration(writer, "stopTimeout", stopTimeout);
        WriteNullableString(writer, "networkMode", record.NetworkMode);
        WriteNullableString(writer, "ipcMode", record.IpcMode);
        WriteNullableString(writer, "pidMode", record.PidMode);
        WriteList(writer, "networks", record.Networks, NetworkEndpointConverter.WriteValue);
        WriteList(writer, "ports", record.Ports, PortMappingConverter.WriteValue);
        WriteNullableString(writer, "domainname", record.Domainname);
        WriteStrings(writer, "dns", record.Dns);
        WriteStrings(writer, "dnsSearch", record.DnsSearch);
        WriteStrings(writer, "dnsOption", record.DnsOption);
        WriteStrings(writer, "addHost", record.AddHost);
        WriteList(writer, "mounts", record.Mounts, ContainerMountConverter.WriteValue);
        WritePart(writer, "userNamespace", record.UserNamespace, UserNamespaceConverter.WriteValue);
        writer.WriteEndObject();
    }
}

internal sealed class RunRecordConverter : JsonConverter<RunRecord>
{
    public override RunRecord Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        StartObject(ref reader);
        var run = new RunRecord();
        while (NextProperty(ref reader) is { } name)
            switch (name)
            {
                case "bootId": run.BootId = NullableString(ref reader); break;
                case "pid": run.Pid = Int32(ref reader); break;
                case "pidStartTime": run.PidStartTime = UInt64(ref reader); break;
                case "monitorPid": run.MonitorPid = Int32(ref reader); break;
                case "monitorStartTime": run.MonitorStartTime = UInt64(ref reader); break;
                case "startedAt": run.StartedAt = Time(ref reader); break;
                case "restartCount": run.RestartCount = Int32(ref reader); break;
                default: reader.Skip(); break;
            }
        return run;
    }

    public override void Write(Utf8JsonWriter writer, RunRecord run, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        WriteNullableString(writer, "bootId", run.BootId);
        writer.WriteNumber("pid", run.Pid);
        writer.WriteNumber("pidStartTime", run.PidStartTime);
        writer.WriteNumber("monitorPid", run.MonitorPid);
        writer.WriteNumber("monitorStartTime", run.MonitorStartTime);
        WriteTime(writer, "startedAt", run.StartedAt);
        writer.WriteNumber("restartCount", run.RestartCount);
        writer.WriteEndObject();
    }
}

internal sealed class ExitRecordConverter : JsonConverter<ExitRecord>
{
    public override ExitRecord Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        StartObject(ref reader);
        var exit = new ExitRecord();
        while (NextProperty(ref reader) is { } name)
            switch (name)
            {
                case "exitCode": exit.ExitCode = Int32(ref reader); break;
                case "signal": exit.Signal = Int32(ref reader); break;
                case "oomKilled": exit.OomKilled = Boolean(ref reader); break;
                case "restarting": exit.Restarting = Boolean(ref reader); break;
                case "finishedAt": exit.FinishedAt = Time(ref reader); break;
                default: reader.Skip(); break;
            }
        return exit;
    }

    public override void Write(Utf8JsonWriter writer, ExitRecord exit, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WriteNumber("exitCode", exit.ExitCode);
        writer.WriteNumber("signal", exit.Signal);
        writer.WriteBoolean("oomKilled", exit.OomKilled);
        writer.WriteBoolean("restarting", exit.Restarting);
        WriteTime(writer, "finishedAt", exit.FinishedAt);
        writer.WriteEndObject();
    }
}

internal sealed class HealthcheckConverter : JsonConverter<Healthcheck>
{
    public override Healthcheck Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => ReadValue(ref reader);

    public override void Write(Utf8JsonWriter writer, Healthcheck value, JsonSerializerOptions options) => WriteValue(writer, value);

    public static Healthcheck ReadValue(ref Utf8JsonReader reader)
    {
        StartObject(ref reader);
        var defaults = new Healthcheck { Command = [] };
        List<string>? command = null;
        var (interval, timeout, retries, startPeriod) = (defaults.Interval, defaults.Timeout, defaults.Retries, defaults.StartPeriod);
        while (NextProperty(ref reader) is { } name)
            switch (name)
            {
                case "command": command = Strings(ref reader); break;
                case "interval": interval = Duration(ref reader); break;
                case "timeout": timeout = Duration(ref reader); break;
                case "retries": retries = Int32(ref reader); break;
                case "startPeriod": startPeriod = Duration(ref reader); break;
                default: reader.Skip(); break;
            }
        return new Healthcheck
        {
            Command = command ?? throw Missing("a healthcheck", "command"),
            Interval = interval,
            Timeout = timeout,
            Retries = retries,
            StartPeriod = startPeriod,
        };
    }

    public static void WriteValue(Utf8JsonWriter writer, Healthcheck healthcheck)
    {
        writer.WriteStartObject();
        WriteStrings(writer, "command", healthcheck.Command);
        WriteDuration(writer, "interval", healthcheck.Interval);
        WriteDuration(writer, "timeout", healthcheck.Timeout);
        writer.WriteNumber("retries", healthcheck.Retries);
        WriteDuration(writer, "startPeriod", healthcheck.StartPeriod);
        writer.WriteEndObject();
    }
}

internal sealed class NetworkEndpointConverter : JsonConverter<NetworkEndpoint>
{
    public override NetworkEndpoint Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => ReadValue(ref reader);

    public override void Write(Utf8JsonWriter writer, NetworkEndpoint value, JsonSerializerOptions options) => WriteValue(writer, value);

    public static NetworkEndpoint ReadValue(ref Utf8JsonReader reader)
    {
        StartObject(ref reader);
        var endpoint = new NetworkEndpoint();
        while (NextProperty(ref reader) is { } name)
            switch (name)
            {
                case "network": endpoint.Network = String(ref reader); break;
                case "networkId": endpoint.NetworkId = String(ref reader); break;
                case "interface": endpoint.Interface = String(ref reader); break;
                case "hostInterface": endpoint.HostInterface = String(ref reader); break;
                case "address": endpoint.Address = String(ref reader); break;
                case "address6": endpoint.Address6 = NullableString(ref reader); break;
                case "staticAddress": endpoint.StaticAddress = Boolean(ref reader); break;
                case "aliases": endpoint.Aliases = Strings(ref reader)!; break;
                default: reader.Skip(); break;
            }
        return endpoint;
    }

    public static void WriteValue(Utf8JsonWriter writer, NetworkEndpoint endpoint)
    {
        writer.WriteStartObject();
        WriteNullableString(writer, "network", endpoint.Network);
        WriteNullableString(writer, "networkId", endpoint.NetworkId);
        WriteNullableString(writer, "interface", endpoint.Interface);
        WriteNullableString(writer, "hostInterface", endpoint.HostInterface);
        WriteNullableString(writer, "address", endpoint.Address);
        WriteNullableString(writer, "address6", endpoint.Address6);
        writer.WriteBoolean("staticAddress", endpoint.StaticAddress);
        WriteStrings(writer, "aliases", endpoint.Aliases);
        writer.WriteEndObject();
    }
}

/// <summary>A published port; its containerSide and hostSide are written for a reader's sake and worked out again when read.</summary>
internal sealed class PortMappingConverter : JsonConverter<PortMapping>
{
    public override PortMapping Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => ReadValue(ref reader);

    public override void Write(Utf8JsonWriter writer, PortMapping value, JsonSerializerOptions options) => WriteValue(writer, value);

    public static PortMapping ReadValue(ref Utf8JsonReader reader)
    {
        StartObject(ref reader);
        string? hostIp = null, protocol = null;
        int hostPort = 0, containerPort = 0;
        while (NextProperty(ref reader) is { } name)
            switch (name)
            {
                case "hostIp": hostIp = NullableString(ref reader); break;
                case "hostPort": hostPort = Int32(ref reader); break;
                case "containerPort": containerPort = Int32(ref reader); break;
                case "protocol": protocol = NullableString(ref reader); break;
                default: reader.Skip(); break;
            }
        return new PortMapping(hostIp!, hostPort, containerPort, protocol!);
    }

    public static void WriteValue(Utf8JsonWriter writer, PortMapping port)
    {
        writer.WriteStartObject();
        WriteNullableString(writer, "hostIp", port.HostIp);
        writer.WriteNumber("hostPort", port.HostPort);
        writer.WriteNumber("containerPort", port.ContainerPort);
        WriteNullableString(writer, "protocol", port.Protocol);
        writer.WriteString("containerSide", port.ContainerSide);
        writer.WriteString("hostSide", port.HostSide);
        writer.WriteEndObject();
    }
}

internal sealed class ContainerMountConverter : JsonConverter<ContainerMount>
{
    public override ContainerMount Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => ReadValue(ref reader);

    public override void Write(Utf8JsonWriter writer, ContainerMount value, JsonSerializerOptions options) => WriteValue(writer, value);

    public static ContainerMount ReadValue(ref Utf8JsonReader reader)
    {
        StartObject(ref reader);
        var type = MountType.Bind;
        string? source = null, target = null, propagation = null, subpath = null;
        bool readOnly = false, noCopy = false, createSource = false, anonymous = false;
        long? tmpfsSize = null;
        int? tmpfsMode = null;
        List<string>? tmpfsFlags = null;
        while (NextProperty(ref reader) is { } name)
            switch (name)
            {
                case "type": type = TypeOf(ref reader); break;
                case "source": source = NullableString(ref reader); break;
                case "target": target = String(ref reader); break;
                case "readOnly": readOnly = Boolean(ref reader); break;
                case "propagation": propagation = NullableString(ref reader); break;
                case "noCopy": noCopy = Boolean(ref reader); break;
                case "subpath": subpath = NullableString(ref reader); break;
                case "tmpfsSize": tmpfsSize = NullableInt64(ref reader); break;
                case "tmpfsMode": tmpfsMode = NullableInt32(ref reader); break;
                case "tmpfsFlags": tmpfsFlags = Strings(ref reader); break;
                case "createSource": createSource = Boolean(ref reader); break;
                case "anonymous": anonymous = Boolean(ref reader); break;
                default: reader.Skip(); break;
            }
        return new ContainerMount
        {
            Type = type,
            Source = source,
            Target = target ?? "",
            ReadOnly = readOnly,
            Propagation = propagation,
            NoCopy = noCopy,
            Subpath = subpath,
            TmpfsSize = tmpfsSize,
            TmpfsMode = tmpfsMode,
            TmpfsFlags = tmpfsFlags,
            CreateSource = createSource,
            Anonymous = anonymous,
        };
    }

    public static void WriteValue(Utf8JsonWriter writer, ContainerMount mount)
    {
        writer.WriteStartObject();
        writer.WriteString("type", NameOf(mount.Type));
        WriteNullableString(writer, "source", mount.Source);
        WriteNullableString(writer, "target", mount.Target);
        writer.WriteBoolean("readOnly", mount.ReadOnly);
        WriteNullableString(writer, "propagation", mount.Propagation);
        writer.WriteBoolean("noCopy", mount.NoCopy);
        WriteNullableString(writer, "subpath", mount.Subpath);
        WriteNullableNumber(writer, "tmpfsSize", mount.TmpfsSize);
        WriteNullableNumber(writer, "tmpfsMode", mount.TmpfsMode);
        WriteStrings(writer, "tmpfsFlags", mount.TmpfsFlags);
        writer.WriteBoolean("createSource", mount.CreateSource);
        writer.WriteBoolean("anonymous", mount.Anonymous);
        writer.WriteEndObject();
    }

    /// <summary>The enum's name, as the one setup's string enums are written; read in any case, as they were.</summary>
    private static string NameOf(MountType type) => type switch
    {
        MountType.Bind => "Bind",
        MountType.Volume => "Volume",
        MountType.Tmpfs => "Tmpfs",
        _ => throw new JsonException($"no mount type {(int)type}"),
    };

    private static MountType TypeOf(ref Utf8JsonReader reader) => String(ref reader).ToLowerInvariant() switch
    {
        "bind" => MountType.Bind,
        "volume" => MountType.Volume,
        "tmpfs" => MountType.Tmpfs,
        var other => throw new JsonException($"'{other}' is not a mount type"),
    };
}

internal sealed class UserNamespaceConverter : JsonConverter<UserNamespace>
{
    public override UserNamespace Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => ReadValue(ref reader);

    public override void Write(Utf8JsonWriter writer, UserNamespace value, JsonSerializerOptions options) => WriteValue(writer, value);

    public static UserNamespace ReadValue(ref Utf8JsonReader reader)
    {
        StartObject(ref reader);
        List<IdMapping>? uid = null, gid = null;
        while (NextProperty(ref reader) is { } name)
            switch (name)
            {
                case "uid": uid = ReadList(ref reader, ReadMapping); break;
                case "gid": gid = ReadList(ref reader, ReadMapping); break;
                default: reader.Skip(); break;
            }
        return new UserNamespace { Uid = uid ?? [], Gid = gid ?? [] };
    }

    public static void WriteValue(Utf8JsonWriter writer, UserNamespace userNamespace)
    {
        writer.WriteStartObject();
        WriteList(writer, "uid", userNamespace.Uid, WriteMapping);
        WriteList(writer, "gid", userNamespace.Gid, WriteMapping);
        writer.WriteEndObject();
    }

    private static IdMapping ReadMapping(ref Utf8JsonReader reader)
    {
        StartObject(ref reader);
        uint container = 0, host = 0, size = 0;
        while (NextProperty(ref reader) is { } name)
            switch (name)
            {
                case "containerId": container = UInt32(ref reader); break;
                case "hostId": host = UInt32(ref reader); break;
                case "size": size = UInt32(ref reader); break;
                default: reader.Skip(); break;
            }
        return new IdMapping { ContainerId = container, HostId = host, Size = size };
    }

    private static void WriteMapping(Utf8JsonWriter writer, IdMapping mapping)
    {
        writer.WriteStartObject();
        writer.WriteNumber("containerId", mapping.ContainerId);
        writer.WriteNumber("hostId", mapping.HostId);
        writer.WriteNumber("size", mapping.Size);
        writer.WriteEndObject();
    }
}
