using Container.Runtime.Images;
using Container.Runtime.Registries;

namespace Container.Runtime.Build;

/// <summary>What Build-ContainerImage (docker build) asks for.</summary>
public sealed record BuildRequest
{
    /// <summary>The build context: the directory COPY and ADD read from.</summary>
    public required string ContextDirectory { get; init; }

    /// <summary>The Dockerfile's text.</summary>
    public required string Dockerfile { get; init; }

    /// <summary>Where the Dockerfile is, if it is a file (its own <c>&lt;name&gt;.dockerignore</c> beside it is read first).</summary>
    public string? DockerfilePath { get; init; }

    /// <summary>The names the image gets; none leaves it nameless, kept until removed by id.</summary>
    public IReadOnlyList<ImageReference> Tags { get; init; } = [];

    /// <summary>--build-arg: values of the ARGs the Dockerfile declares.</summary>
    public IReadOnlyDictionary<string, string> BuildArgs { get; init; } = new Dictionary<string, string>();

    /// <summary>The stage to build (--target); the last one when null.</summary>
    public string? Target { get; init; }

    /// <summary>Every step runs again (--no-cache); what they make still goes into the cache.</summary>
    public bool NoCache { get; init; }

    /// <summary>When FROM's images are pulled (--pull: Always); null takes the default.</summary>
    public PullPolicy? Pull { get; init; }

    /// <summary>Labels set on the image, over the Dockerfile's.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>The files RUN --mount=type=secret may mount, by id (docker build --secret id=...,src=...): never in a layer or a cache key.</summary>
    public IReadOnlyDictionary<string, string> Secrets { get; init; } = new Dictionary<string, string>();

    /// <summary>The network RUN steps are on (none, host, bridge...); null takes the store's default.</summary>
    public string? Network { get; init; }

    /// <summary>The platform FROM's images are pulled for; this host's when null.</summary>
    public ImagePlatform? Platform { get; init; }

    /// <summary>The names a context's own Dockerfile goes by, in the order podman looks for them (docker knows only the second).</summary>
    public static readonly IReadOnlyList<string> DefaultDockerfiles = ["Containerfile", "Dockerfile"];

    /// <summary>
    /// The Dockerfile as docker build and podman build find it: the file named (which must be
    /// there), else the lines piped in (docker build -f -), else Containerfile or Dockerfile in
    /// the context; its text, and its path when it is a file.
    /// </summary>
    public static (string Text, string? Path) FindDockerfile(string contextDirectory, string? file, IReadOnlyList<string> pipedLines)
    {
        if (file == null && pipedLines.Count > 0)
            return (string.Join('\n', pipedLines), null);
        file ??= DefaultDockerfiles.Select(name => Path.Combine(contextDirectory, name)).FirstOrDefault(File.Exists)
            ?? Path.Combine(contextDirectory, DefaultDockerfiles[^1]);
        return File.Exists(file) ? (File.ReadAllText(file), file) : throw Errors.Errors.DockerfileNotFound(file);
    }
}
