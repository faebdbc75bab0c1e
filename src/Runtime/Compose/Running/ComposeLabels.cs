namespace Container.Runtime.Compose;

/// <summary>
/// The labels docker compose puts on what it makes, which users' scripts filter on
/// (docker ps --filter label=com.docker.compose.project=web): ours carry the same, and the
/// engine finds a project's containers, networks and volumes by them.
/// </summary>
public static class ComposeLabels
{
    /// <summary>What every label of docker compose's starts with.</summary>
    public const string Prefix = "com.docker.compose.";

    public const string Project = "com.docker.compose.project";
    public const string Service = "com.docker.compose.service";
    public const string ContainerNumber = "com.docker.compose.container-number";
    public const string ConfigHash = "com.docker.compose.config-hash";
    public const string OneOff = "com.docker.compose.oneoff";
    public const string WorkingDirectory = "com.docker.compose.project.working_dir";
    public const string ConfigFiles = "com.docker.compose.project.config_files";
    public const string DependsOn = "com.docker.compose.depends_on";
    public const string Image = "com.docker.compose.image";
    public const string Version = "com.docker.compose.version";
    public const string Network = "com.docker.compose.network";
    public const string Volume = "com.docker.compose.volume";

    /// <summary>Not docker's: the service's configuration as the container was made from it (canonical JSON), so a change can say which fields changed.</summary>
    public const string Config = "io.container.compose.config";

    /// <summary>The compose version the labels say made the container: the specification's, as docker compose v2 writes its own.</summary>
    public const string SpecificationVersion = "2.0.0";
}
