using Container.Runtime.Build;
using Container.Runtime.Images;
using Container.Runtime.Logs;
using Container.Tests.Fixtures;

namespace Container.Tests.Build;

/// <summary>A build context of a test's own (a directory under its store), and what a build told as it went.</summary>
internal sealed class BuildContextFixture
{
    public BuildContextFixture(TestStore store)
    {
        Store = store;
        Directory = System.IO.Directory.CreateDirectory(Path.Combine(store.Root, "context")).FullName;
    }

    public TestStore Store { get; }

    public string Directory { get; }

    public void Write(string relativePath, string content)
    {
        var path = Path.Combine(Directory, relativePath);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }

    public string PathOf(string relativePath) => Path.Combine(Directory, relativePath);

    public (ContainerImage Image, RecordingBuildLog Log) Build(string dockerfile, string? tag = "built:1", IReadOnlyDictionary<string, string>? args = null,
        string? target = null, bool noCache = false)
    {
        var log = new RecordingBuildLog();
        var image = Store.Engine.Builds.Build(new BuildRequest
        {
            ContextDirectory = Directory,
            Dockerfile = dockerfile.Replace("$IMAGE", TestStore.Image, StringComparison.Ordinal),
            Tags = tag == null ? [] : [ImageReference.Parse(tag)],
            BuildArgs = args ?? new Dictionary<string, string>(),
            Target = target,
            NoCache = noCache,
            Network = "none",
        }, log);
        return (image, log);
    }

    /// <summary>What a container of the image prints, run with the given command in place of its entrypoint and command (its own when none).</summary>
    public string Run(string image, params string[] command)
    {
        var name = "run-" + Guid.NewGuid().ToString("n")[..8];
        Store.Containers.Create(new Container.Runtime.Containers.ContainerSpec { Image = image, Name = name, Command = command.Length > 0 ? command : null, Entrypoint = command.Length > 0 ? [] : null });
        Store.Containers.Start(name);
        Store.Containers.Wait(name, TimeSpan.FromSeconds(60));
        var output = Store.Output(name);
        Store.Containers.Remove(name, force: true);
        return output;
    }
}

internal sealed class RecordingBuildLog : IBuildLog
{
    public List<BuildStepReport> Steps { get; } = [];

    public List<string> Lines { get; } = [];

    public List<string> Notes { get; } = [];

    public void Step(BuildStepReport step) => Steps.Add(step);

    public void Output(LogStream stream, string line) => Lines.Add(line);

    public void Note(string message) => Notes.Add(message);

    /// <summary>The instructions of the steps that made a layer (RUN, COPY, ADD), each with whether the cache had it.</summary>
    public IEnumerable<(string Instruction, bool Cached)> LayerSteps =>
        Steps.Where(s => s.Instruction.Split(' ')[0].ToUpperInvariant() is "RUN" or "COPY" or "ADD").Select(s => (s.Instruction, s.Cached));
}
