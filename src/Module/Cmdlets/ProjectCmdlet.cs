using System.Management.Automation;
using Container.Runtime.Compose;

namespace Container.Module.Cmdlets;

/// <summary>
/// What the compose cmdlets share: the project from -Path (a compose file, or a directory that
/// has one: compose.yaml, docker-compose.yml...), -File (more files, merged in order) and
/// -ProjectName, as docker compose takes -f and -p.
/// </summary>
public abstract class ProjectCmdlet : ContainerCmdlet
{
    protected const string ByPath = "ByPath";

    /// <summary>The compose file, or the directory that holds one; the current directory by default.</summary>
    [Parameter(Position = 0, ParameterSetName = ByPath)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = ".";

    /// <summary>Compose files, merged in order (docker compose -f a -f b), relative to -Path.</summary>
    [Parameter(ParameterSetName = ByPath)]
    [ValidateNotNullOrEmpty]
    public string[] File { get; set; } = [];

    /// <summary>The project's name (docker compose -p); else COMPOSE_PROJECT_NAME, the file's name:, or its directory's name.</summary>
    [Parameter(ParameterSetName = ByPath, ValueFromPipelineByPropertyName = true)]
    [Alias("Name")]
    [ValidateNotNullOrEmpty]
    public string? ProjectName { get; set; }

    /// <summary>What -Path, -File and -ProjectName point at.</summary>
    protected ProjectSelection Selection => ProjectSelections.Of(this, Path, File, ProjectName);

    /// <summary>The project the files describe.</summary>
    protected ComposeProject LoadProject() => Selection.Load();

    /// <summary>The project's name, read from its files unless -ProjectName alone names it.</summary>
    protected string ProjectNameOf() => Selection.ProjectName();
}
