using System.Collections;
using System.Management.Automation;
using Container.Module.Completers;
using Container.Runtime.Build;
using Container.Runtime.Images;
using Container.Runtime.Registries;

namespace Container.Module.Cmdlets;

/// <summary>
/// Build-ContainerImage: an image from a Dockerfile and a build context (docker build). The
/// Dockerfile is -File (Dockerfile in the context by default), or the lines the pipeline
/// brings (Get-Content Dockerfile | Build-ContainerImage). Each step is a progress bar, what
/// RUN prints goes to the information stream, -Verbose says what the cache had.
/// </summary>
// Build is an approved verb (lifecycle) since PowerShell 6; PowerShellStandard (5.1) has no constant for it
[Cmdlet("Build", "ContainerImage", SupportsShouldProcess = true)]
[OutputType(typeof(ContainerImage))]
public sealed class BuildContainerImageCommand : ContainerCmdlet
{
    /// <summary>The build context: the directory COPY and ADD read from.</summary>
    [Parameter(Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = ".";

    /// <summary>The Dockerfile; Containerfile or Dockerfile in the context when neither this nor pipeline input is given.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? File { get; set; }

    /// <summary>A line of the Dockerfile, from the pipeline.</summary>
    [Parameter(ValueFromPipeline = true)]
    [AllowEmptyString]
    public string? InputObject { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[] Tag { get; set; } = [];

    /// <summary>Values of the Dockerfile's ARGs (docker build --build-arg).</summary>
    [Parameter]
    public Hashtable? BuildArg { get; set; }

    /// <summary>The stage to build; the last one by default.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Target { get; set; }

    [Parameter]
    public SwitchParameter NoCache { get; set; }

    /// <summary>When FROM's images are pulled: missing (the default), always (docker build --pull), never.</summary>
    [Parameter]
    public PullPolicy? Pull { get; set; }

    [Parameter]
    public Hashtable? Label { get; set; }

    /// <summary>Files RUN --mount=type=secret may mount, by id: @{ token = './token.txt' } (docker build --secret).</summary>
    [Parameter]
    public Hashtable? Secret { get; set; }

    /// <summary>The network RUN steps are on: none, host, bridge or a network's name.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(NetworkNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string? Network { get; set; }

    /// <summary>os/architecture[/variant] of FROM's images (linux/arm64); this machine's by default.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Platform { get; set; }

    private readonly List<string> lines = [];

    /// <summary>A dry run's steps, each a "What if:" line as ShouldProcess writes them.</summary>
    private sealed class WhatIfLog(Cmdlet cmdlet) : IBuildLog
    {
        public void Step(BuildStepReport step) => cmdlet.ShouldProcess(BuildPlanText.Of(step), null, null);

        public void Output(Container.Runtime.Logs.LogStream stream, string line)
        {
        }

        public void Note(string message)
        {
        }
    }

    protected override void ProcessRecord()
    {
        if (InputObject != null)
            lines.Add(InputObject);
    }

    protected override void EndProcessing()
    {
        var context = GetUnresolvedProviderPathFromPSPath(Path);
        var tags = Tag.Length > 0 ? string.Join(", ", Tag) : "an image without a name";
        if (IsWhatIf)
        {
            // what would run: each step, its cache key, and why the first the cache lacks runs again
            ForEachItem(() => Engine.Builds.Plan(Request(context), new WhatIfLog(this), Cancellation));
            return;
        }
        if (!ShouldProcess(context, $"Build {tags}"))
            return;
        ForEachItem(() =>
        {
            var request = Request(context);
            WriteObject(PipelineRelay.Run(this, log => Engine.Builds.Build(request, log, Cancellation)));
        });
    }

    private BuildRequest Request(string context)
    {
        var (dockerfile, file) = BuildRequest.FindDockerfile(context, File != null ? GetUnresolvedProviderPathFromPSPath(File) : null, lines);
        return new BuildRequest
        {
            ContextDirectory = context,
            Dockerfile = dockerfile,
            DockerfilePath = file,
            Tags = Tag.Select(ImageReference.Parse).ToList(),
            BuildArgs = HashtableConversion.ToDictionary(BuildArg) ?? new Dictionary<string, string>(),
            Target = Target,
            NoCache = NoCache,
            Pull = Pull,
            Labels = HashtableConversion.ToDictionary(Label) ?? new Dictionary<string, string>(),
            Secrets = (HashtableConversion.ToDictionary(Secret) ?? new Dictionary<string, string>())
                .ToDictionary(s => s.Key, s => GetUnresolvedProviderPathFromPSPath(s.Value)),
            Network = Network,
            Platform = Platform != null ? ImagePlatform.Parse(Platform) : null,
        };
    }
}
