namespace Container.Runtime.Errors;

/// <summary>
/// The engine's errors, one factory each, so that every id is written once.
/// </summary>
public static class Errors
{
    public static ContainerException ContainerNotFound(string reference) =>
        new("ContainerNotFound", ErrorKind.ObjectNotFound, $"No container named or with the id '{reference}'.", reference);

    public static ContainerException AmbiguousContainerId(string prefix) =>
        new("AmbiguousContainerId", ErrorKind.InvalidArgument, $"More than one container id starts with '{prefix}'; give more of the id.", prefix);

    public static ContainerException ImageNotFound(string reference) =>
        new("ImageNotFound", ErrorKind.ObjectNotFound, $"No image '{reference}' in the image store.", reference);

    public static ContainerException ImageInUse(string reference, IReadOnlyList<string> containers) =>
        new("ImageInUse", ErrorKind.InvalidOperation,
            $"Image '{reference}' is used by container{(containers.Count > 1 ? "s" : "")} {string.Join(", ", containers)}: remove {(containers.Count > 1 ? "them" : "it")} first, or use -Force.", reference);

    public static ContainerException ImageInUseByRunningContainer(string reference, IReadOnlyList<string> containers) =>
        new("ImageInUseByRunningContainer", ErrorKind.InvalidOperation,
            $"Image '{reference}' is used by running container{(containers.Count > 1 ? "s" : "")} {string.Join(", ", containers)}: even -Force cannot remove it; stop {(containers.Count > 1 ? "them" : "it")} first.", reference);

    public static ContainerException ImageNameRequired(string path) =>
        new("ImageNameRequired", ErrorKind.InvalidArgument, $"'{path}' does not name its image: give one with -Name.", path);

    /// <summary>A file given as an image archive (docker save, OCI, a root filesystem tarball) that is not one, or is damaged.</summary>
    public static ContainerException InvalidImageArchive(string message, object? target, Exception? inner = null) =>
        new("InvalidImageArchive", ErrorKind.InvalidArgument, message, target, inner);

    /// <summary>A layer tarball that cannot be unpacked: damaged, or an entry that would leave the layer.</summary>
    public static ContainerException InvalidLayer(string message, object? target, Exception? inner = null) =>
        new("InvalidLayer", ErrorKind.InvalidArgument, message, target, inner);

    public static ContainerException InvalidImageReference(string reference, string why) =>
        new("InvalidImageReference", ErrorKind.InvalidArgument, $"'{reference}' is not a valid image reference: {why}.", reference);

    public static ContainerException NameInUse(string name, string id) =>
        new("NameInUse", ErrorKind.ResourceExists, $"The name '{name}' is already used by container {Ids.Short(id)}.", name);

    public static ContainerException InvalidContainerName(string name) =>
        new("InvalidContainerName", ErrorKind.InvalidArgument,
            $"'{name}' is not a valid container name: use letters, digits, '_', '.' and '-', starting with a letter or digit.", name);

    public static ContainerException InvalidContainerState(string reference, string operation, object status) =>
        new("InvalidContainerState", ErrorKind.InvalidOperation, $"Cannot {operation} container '{reference}': it is {status}.", reference);

    public static ContainerException ContainerRunning(string reference, string operation) =>
        new("ContainerRunning", ErrorKind.InvalidOperation,
            $"Cannot {operation} container '{reference}' while it is running; stop it first or use -Force.", reference);

    public static ContainerException ContainerNotRunning(string reference, string operation) =>
        new("ContainerNotRunning", ErrorKind.InvalidOperation, $"Cannot {operation} container '{reference}': it is not running.", reference);

    public static ContainerException StartFailed(string reference, string message) =>
        new("ContainerStartFailed", ErrorKind.InvalidOperation, $"Container '{reference}' failed to start: {message}", reference);

    public static ContainerException RuntimeFailed(string runtime, string operation, string message, object? target) =>
        new("RuntimeFailed", ErrorKind.InvalidOperation, $"{runtime} {operation} failed: {message}", target);

    public static ContainerException InvalidLimit(string limit, string value, string expected) =>
        new("InvalidLimit", ErrorKind.InvalidArgument, $"'{value}' is not a valid {limit}: give {expected}.", value);

    /// <summary>A planned change of limits (confirmed, say) whose container's limits another session changed before it was applied.</summary>
    public static ContainerException LimitsChangedSincePlanned(string container) =>
        new("LimitsChangedSincePlanned", ErrorKind.InvalidOperation,
            $"The limits of container '{container}' changed since this change was planned: plan it again.", container);

    public static ContainerException NotInstalled(string what, string hint) =>
        new("NotInstalled", ErrorKind.NotInstalled, $"{what} was not found. {hint}", what);

    public static ContainerException PathNotFound(string path) =>
        new("PathNotFound", ErrorKind.ObjectNotFound, $"The path '{path}' does not exist.", path);

    public static ContainerException InvalidArgument(string errorId, string message, object? target) =>
        new(errorId, ErrorKind.InvalidArgument, message, target);

    public static ContainerException RootRequired() =>
        new("RootRequired", ErrorKind.PermissionDenied, "Running containers needs root for now: run pwsh as root (sudo pwsh).", null);

    public static ContainerException Timeout(string what, object? target) =>
        new("OperationTimeout", ErrorKind.OperationTimeout, $"Timed out waiting for {what}.", target);

    public static ContainerException StoreCorrupt(string path, string why, Exception? inner = null) =>
        new("StoreCorrupt", ErrorKind.InvalidData, $"'{path}' cannot be read: {why}", path, inner);

    /// <summary>A published host port that something else holds: another container, or a host process.</summary>
    public static ContainerException PortInUse(string port, string reference) =>
        new("PortInUse", ErrorKind.ResourceUnavailable,
            $"Host port {port} is in use: container '{reference}' cannot publish it. Free it, or publish another host port.", port);

    /// <summary>The kernel refused a part of a container's network (a bridge, veth, address, route or firewall rule).</summary>
    public static ContainerException NetworkSetupFailed(string reference, string message) =>
        new("NetworkSetupFailed", ErrorKind.InvalidOperation, $"The network of container '{reference}' could not be set up: {message}", reference);

    public static ContainerException NetworkTeardownFailed(string reference, string message) =>
        new("NetworkTeardownFailed", ErrorKind.InvalidOperation, $"The network of container '{reference}' could not be torn down: {message}", reference);

    public static ContainerException SystemCall(string what, int errno, object? target) =>
        new("SystemCallFailed", ErrorKind.InvalidOperation, $"{what}: {Linux.Libc.Describe(errno)}", target);

    // Networks: what a user gives, refused before anything is made.

    public static ContainerException NetworkNotFound(string reference) =>
        new("NetworkNotFound", ErrorKind.ObjectNotFound, $"No network named or with the id '{reference}'.", reference);

    public static ContainerException NetworkExists(string name) =>
        new("NetworkExists", ErrorKind.ResourceExists, $"A network named '{name}' exists already.", name);

    public static ContainerException NetworkInUse(string name, IReadOnlyList<string> containers) =>
        new("NetworkInUse", ErrorKind.ResourceBusy,
            $"Network '{name}' is used by container{(containers.Count > 1 ? "s" : "")} {string.Join(", ", containers)}: remove {(containers.Count > 1 ? "them" : "it")} first, or use -Force.", name);

    public static ContainerException PredefinedNetwork(string name, string operation) =>
        new("PredefinedNetwork", ErrorKind.InvalidOperation, $"Cannot {operation} network '{name}': it is the default network.", name);

    public static ContainerException InvalidNetworkName(string name) =>
        new("InvalidNetworkName", ErrorKind.InvalidArgument,
            $"'{name}' is not a valid network name: use letters, digits, '_', '.' and '-', starting with a letter or digit (none, host and container: are modes).", name);

    public static ContainerException InvalidSubnet(string text, string what, string why) =>
        new("InvalidSubnet", ErrorKind.InvalidArgument, $"'{text}' is not a valid {what}: {why}.", text);

    public static ContainerException SubnetOverlaps(string subnet, string network, string theirs) =>
        new("SubnetOverlaps", ErrorKind.InvalidArgument, $"The subnet {subnet} overlaps {theirs} of network '{network}': choose another.", subnet);

    public static ContainerException AddressOutsideSubnet(string address, string what, string subnet) =>
        new("AddressOutsideSubnet", ErrorKind.InvalidArgument, $"The {what} {address} is not in the subnet {subnet}.", address);

    public static ContainerException AddressOutsideRange(string address, string range) =>
        new("AddressOutsideRange", ErrorKind.InvalidArgument, $"The address {address} is not in the network's address range {range}.", address);

    public static ContainerException AddressInUse(string address, string network, string container) =>
        new("AddressInUse", ErrorKind.ResourceExists, $"The address {address} on network '{network}' is used by container {container}.", address);

    public static ContainerException AddressesExhausted(string network) =>
        new("AddressesExhausted", ErrorKind.LimitsExceeded, $"Network '{network}' has no free address left.", network);

    public static ContainerException InvalidAddress(string text, string what) =>
        new("InvalidAddress", ErrorKind.InvalidArgument, $"'{text}' is not a valid {what}: give an IPv4 or IPv6 address.", text);

    public static ContainerException InvalidNetworkMode(string mode) =>
        new("InvalidNetworkMode", ErrorKind.InvalidArgument,
            $"'{mode}' is not a network mode: give none, host, bridge, container:<name or id>, or a network's name.", mode);

    /// <summary>An option the network mode makes meaningless (docker's "conflicting options").</summary>
    public static ContainerException NetworkModeConflict(string option, string mode) =>
        new("NetworkModeConflict", ErrorKind.InvalidArgument, $"{option} cannot be used with the network mode '{mode}'.", option);

    public static ContainerException InvalidPublish(string text, string why) =>
        new("InvalidPublish", ErrorKind.InvalidArgument,
            $"'{text}' is not a valid port to publish: {why}. Give [ip:][hostPort:]containerPort[/tcp|udp], with ranges as 8000-8010:80-90.", text);

    public static ContainerException PortPublishedTwice(string port) =>
        new("PortPublishedTwice", ErrorKind.InvalidArgument, $"The host port {port} is published twice.", port);

    public static ContainerException PortNotPublished(string container, string port) =>
        new("PortNotPublished", ErrorKind.ObjectNotFound, $"Container '{container}' publishes no port {port}.", port);

    /// <summary>No free host port could be had for a port published without one (-Publish 80).</summary>
    public static ContainerException PortUnavailable(string port, string why) =>
        new("PortUnavailable", ErrorKind.ResourceUnavailable, $"No free host port could be chosen for {port}: {why}.", port);

    public static ContainerException InvalidHostEntry(string text) =>
        new("InvalidHostEntry", ErrorKind.InvalidArgument, $"'{text}' is not a valid host entry: give name:address, as db:10.0.0.5.", text);

    public static ContainerException ContainerAlreadyConnected(string container, string network) =>
        new("ContainerAlreadyConnected", ErrorKind.ResourceExists, $"Container '{container}' is connected to network '{network}' already.", container);

    public static ContainerException ContainerNotConnected(string container, string network) =>
        new("ContainerNotConnected", ErrorKind.InvalidOperation, $"Container '{container}' is not connected to network '{network}'.", container);

    /// <summary>none, host and container:&lt;x&gt; are a container's whole network: docker refuses a connect or disconnect there too.</summary>
    public static ContainerException NetworkModeNotConnectable(string container, string mode) =>
        new("NetworkModeNotConnectable", ErrorKind.InvalidOperation,
            $"Container '{container}' has the network mode '{mode}': a container on none, host or another container's network cannot be connected to a network or disconnected from one.", container);

    /// <summary>The kernel refused a running container's firewall rules applied again (Repair-ContainerNetwork).</summary>
    public static ContainerException NetworkRepairFailed(string reference, string message) =>
        new("NetworkRepairFailed", ErrorKind.InvalidOperation, $"The firewall rules of container '{reference}' could not be applied again: {message}", reference);

    /// <summary>What Test-ContainerPort reads of the host's network (its firewall) could not be read.</summary>
    public static ContainerException NetworkStateUnreadable(string reference, string message) =>
        new("NetworkStateUnreadable", ErrorKind.ReadError, $"The host's network state for container '{reference}' could not be read: {message}", reference);

    // Volumes and mounts: what a user gives, refused before anything is made.

    public static ContainerException InvalidVolumeSpec(string text, string why) =>
        new("InvalidVolumeSpec", ErrorKind.InvalidArgument, $"'{text}' is not a valid volume: {why}.", text);

    public static ContainerException InvalidMountSpec(string text, string why) =>
        new("InvalidMountSpec", ErrorKind.InvalidArgument, $"'{text}' is not a valid mount: {why}.", text);

    public static ContainerException InvalidMountOption(string text, string option, string why) =>
        new("InvalidMountOption", ErrorKind.InvalidArgument, $"'{option}' is not a valid option of the mount '{text}': {why}.", text);

    public static ContainerException DuplicateMountTarget(string target) =>
        new("DuplicateMountTarget", ErrorKind.InvalidArgument, $"Two mounts have the target '{target}': give each target once.", target);

    /// <summary>-Mount type=bind's source must exist (the short form, -Volume, makes it, as docker does).</summary>
    public static ContainerException BindSourceNotFound(string source) =>
        new("BindSourceNotFound", ErrorKind.ObjectNotFound, $"The bind source '{source}' does not exist: make it, or use -Volume, which makes a missing one.", source);

    public static ContainerException InvalidVolumeName(string name) =>
        new("InvalidVolumeName", ErrorKind.InvalidArgument,
            $"'{name}' is not a valid volume name: use letters, digits, '_', '.' and '-', starting with a letter or digit.", name);

    public static ContainerException VolumeNotFound(string name) =>
        new("VolumeNotFound", ErrorKind.ObjectNotFound, $"No volume named '{name}'.", name);

    public static ContainerException VolumeExists(string name) =>
        new("VolumeExists", ErrorKind.ResourceExists, $"A volume named '{name}' exists already.", name);

    public static ContainerException VolumeInUse(string name, IReadOnlyList<string> containers) =>
        new("VolumeInUse", ErrorKind.InvalidOperation,
            $"Volume '{name}' is used by container{(containers.Count > 1 ? "s" : "")} {string.Join(", ", containers)}: remove {(containers.Count > 1 ? "them" : "it")} first.", name);

    public static ContainerException VolumeDriverNotSupported(string driver) =>
        new("VolumeDriverNotSupported", ErrorKind.NotImplemented, $"The volume driver '{driver}' is not supported: the one driver is local.", driver);

    public static ContainerException InvalidVolumeOption(string name, string option, string why) =>
        new("InvalidVolumeOption", ErrorKind.InvalidArgument, $"'{option}' is not a valid option of volume '{name}': {why}.", option);

    /// <summary>An archive given to Import-ContainerVolume that cannot be unpacked: damaged, or an entry that would leave the volume.</summary>
    public static ContainerException InvalidVolumeArchive(string path, string why, Exception inner) =>
        new("InvalidVolumeArchive", ErrorKind.InvalidArgument, $"'{path}' cannot be imported as a volume: {why}", path, inner);

    /// <summary>A copy into a container whose destination is on a read-only bind or volume.</summary>
    public static ContainerException ReadOnlyMount(string container, string path, string mount) =>
        new("ReadOnlyMount", ErrorKind.PermissionDenied, $"'{path}' in container '{container}' is on the read-only mount '{mount}': nothing can be copied there.", path);

    /// <summary>volume-subpath names what is not a directory or file in the volume, or leaves it through a link.</summary>
    public static ContainerException InvalidSubpath(string volume, string subpath, string why) =>
        new("InvalidSubpath", ErrorKind.InvalidArgument, $"The subpath '{subpath}' of volume '{volume}' cannot be mounted: {why}.", subpath);

    /// <summary>A registry refused the credentials (or asked for some and had none).</summary>
    public static ContainerException RegistryAuthentication(string registry, string message) =>
        new("RegistryAuthenticationFailed", ErrorKind.AuthenticationError, $"Registry '{registry}' refused the request: {message}", registry);

    /// <summary>A registry that could not be reached: refused, no route, a TLS handshake that failed.</summary>
    public static ContainerException RegistryUnreachable(string registry, string message, Exception? inner = null) =>
        new("RegistryUnreachable", ErrorKind.ConnectionError, $"Registry '{registry}' cannot be reached: {message}", registry, inner);

    /// <summary>A registry's answer that breaks the distribution API: an unexpected status, a manifest that is not one.</summary>
    public static ContainerException RegistryProtocol(string registry, string message) =>
        new("RegistryProtocolError", ErrorKind.ProtocolError, $"Registry '{registry}': {message}", registry);

    /// <summary>A docker-credential-* program that failed to store, read or erase a login.</summary>
    public static ContainerException CredentialHelperFailed(string program, string verb, string why) =>
        new("CredentialHelperFailed", ErrorKind.InvalidOperation, $"The credential helper {program} failed to {verb} a login: {why}.", program);

    /// <summary>A short name that more than one search registry may serve: which one is the user's to say, never a guess.</summary>
    public static ContainerException AmbiguousShortName(string name, IReadOnlyList<string> candidates) =>
        new("AmbiguousShortName", ErrorKind.InvalidArgument,
            $"'{name}' is a short name that more than one search registry may serve ({string.Join(", ", candidates)}): name one, or give it an alias in registries.conf.", name);

    /// <summary>What a registry does not have: a repository, a tag, a manifest.</summary>
    public static ContainerException RegistryImageNotFound(string reference) =>
        new("RegistryImageNotFound", ErrorKind.ObjectNotFound, $"The registry has no image '{reference}'.", reference);

    /// <summary>A blob from a registry that is not what its descriptor says (its digest, its size): nothing of it is kept.</summary>
    public static ContainerException RegistryBlobRefused(string reference, string digest, string why) =>
        new("RegistryBlobRefused", ErrorKind.InvalidData, $"A blob of '{reference}' ({digest}) is refused: {why}; nothing of it was kept.", reference);

    // Build: the Dockerfile, its words, and the build

    /// <summary>A Dockerfile that docker's parser refuses: the message names the line.</summary>
    public static ContainerException DockerfileParse(int line, string why) =>
        new("DockerfileParseError", ErrorKind.InvalidArgument, $"Dockerfile line {line}: {why}.", line);

    /// <summary>A word whose variables cannot be expanded: <c>${VAR:?message}</c>, a bad substitution, an unclosed quote.</summary>
    public static ContainerException DockerfileVariable(string word, string why) =>
        new("DockerfileVariableError", ErrorKind.InvalidArgument, $"Cannot expand '{word}': {why}.", word);

    /// <summary>An instruction whose arguments docker would refuse (the parser read it, the build cannot run it).</summary>
    public static ContainerException InvalidInstruction(Build.Parsing.Instruction instruction, string why) =>
        new("InvalidInstruction", ErrorKind.InvalidArgument, $"Line {instruction.Line}: {instruction.Original}: {why}.", instruction.Original);

    public static ContainerException DockerfileNotFound(string path) =>
        new("DockerfileNotFound", ErrorKind.ObjectNotFound, $"There is no Dockerfile at '{path}': give one with -File, or pipe its lines in.", path);

    public static ContainerException BuildTargetNotFound(string target, IReadOnlyList<Build.BuildStage> stages) =>
        new("BuildTargetNotFound", ErrorKind.ObjectNotFound,
            $"The Dockerfile has no stage '{target}'; its stages: {string.Join(", ", stages.Select(s => s.Label))}.", target);

    /// <summary>A RUN step whose command failed: its line, its command and its exit code, as docker build reports it.</summary>
    public static ContainerException BuildStepFailed(Build.Parsing.Instruction instruction, string stage, int exitCode) =>
        new ContainerException("BuildStepFailed", ErrorKind.InvalidOperation,
            $"Stage {stage}, line {instruction.Line}: {instruction.Original}: the command exited with code {exitCode}.", instruction.Original)
        .WithExitCode(exitCode);

    /// <summary>A COPY or ADD source that names nothing in the build context (or only what .dockerignore leaves out).</summary>
    public static ContainerException BuildSourceNotFound(string source) =>
        new("BuildSourceNotFound", ErrorKind.ObjectNotFound, $"The COPY/ADD source '{source}' is not in the build context (or .dockerignore excludes it).", source);

    /// <summary>A .dockerignore line that is no pattern: a bare '!', or a malformed character class.</summary>
    public static ContainerException InvalidIgnorePattern(string pattern, string why) =>
        new("InvalidIgnorePattern", ErrorKind.InvalidArgument, $"The .dockerignore pattern '{pattern}' is invalid: {why}.", pattern);

    // Compose: the files of a project, read before anything is made

    /// <summary>A compose file (or a field of one) that the compose specification refuses: the message names the file and the field.</summary>
    public static ContainerException ComposeFileInvalid(string file, string field, string why) =>
        new("ComposeFileInvalid", ErrorKind.InvalidArgument, field.Length == 0 ? $"{file}: {why}." : $"{file}: {field}: {why}.", field.Length == 0 ? file : field);

    /// <summary>A service's network_mode, ipc or pid joins container:NAME, and the store has no such container: said before up makes anything.</summary>
    public static ContainerException ComposeJoinedContainerNotFound(string service, string field, string container) =>
        new("ContainerNotFound", ErrorKind.ObjectNotFound,
            $"services.{service}.{field}: container:{container} names no container, so nothing was made: start it first, or name one that exists.", container);

    /// <summary>${VAR:?message} or ${VAR?message} whose variable is unset (or empty).</summary>
    public static ContainerException ComposeVariableRequired(string file, string variable, string message) =>
        new("ComposeVariableRequired", ErrorKind.InvalidArgument,
            $"{file}: required variable {variable} is missing a value{(message.Length > 0 ? ": " + message : "")}.", variable);

    public static ContainerException ComposeFileNotFound(string path) =>
        new("ComposeFileNotFound", ErrorKind.ObjectNotFound,
            $"No compose file at '{path}': give one, or a directory with compose.yaml, compose.yml, docker-compose.yaml or docker-compose.yml.", path);

    public static ContainerException InvalidProjectName(string name) =>
        new("InvalidProjectName", ErrorKind.InvalidArgument,
            $"'{name}' is not a valid project name: use lower-case letters, digits, '_' and '-', starting with a letter or digit.", name);

    // Compose: a project brought up

    /// <summary>A secret or config whose file: is not there: up makes nothing (docker compose refuses it too).</summary>
    public static ContainerException ComposeFileObjectNotFound(string kind, string key, string file) =>
        new($"Compose{Singular(kind)}FileNotFound", ErrorKind.ObjectNotFound, $"{kind}.{key}: its file '{file}' does not exist: up made nothing.", file);

    /// <summary>An external secret or config: a swarm's (or a cluster's) to hold, and this engine has no store of them.</summary>
    public static ContainerException ComposeFileObjectExternal(string kind, string key) =>
        new($"Compose{Singular(kind)}External", ErrorKind.NotImplemented,
            $"{kind}.{key} is external: this engine has no store of {kind} to take it from; give it a file, environment or content instead.", key);

    private static string Singular(string kind) => kind == "configs" ? "Config" : "Secret";

    /// <summary>A dependency that did not meet the condition its dependant waits for (healthy, completed with 0): up stops there, as docker compose does.</summary>
    public static ContainerException ComposeDependencyFailed(string service, string container, string condition, string state) =>
        new("ComposeDependencyFailed", ErrorKind.InvalidOperation,
            $"The service {service} did not meet its condition {condition} (its container {container}: {state}): what depends on it was not started.", service);

    /// <summary>A service named literally (no wildcard) that the project neither declares nor has a container of.</summary>
    public static ContainerException ComposeServiceNotFound(string service, string project) =>
        new("ComposeServiceNotFound", ErrorKind.ObjectNotFound, $"The project {project} has no service '{service}'.", service);
}
