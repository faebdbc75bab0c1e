using Container.Runtime.Compose;
using Container.Runtime.Errors;
using Xunit;

namespace Container.Tests.Compose;

/// <summary>A temporary project directory for the loader's tests: files written into it, loaded with an environment of the test's own.</summary>
public sealed class ComposeDirectory : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("compose-").FullName;

    public void Dispose() => Directory.Delete(Path, recursive: true);

    public string Write(string name, string text)
    {
        var path = System.IO.Path.Join(Path, name);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    public ComposeProject Load(params string[] files) => Load(new ComposeLoadOptions { Files = files });

    public ComposeProject Load(ComposeLoadOptions options) =>
        ComposeLoader.Load(options with
        {
            Directory = options.Directory ?? Path,
            Environment = options.Environment.Count > 0 ? options.Environment : new Dictionary<string, string> { ["HOME"] = "/home/tester" },
        });

    /// <summary>compose.yaml with the text, loaded.</summary>
    public ComposeProject LoadYaml(string yaml, IDictionary<string, string>? environment = null)
    {
        Write("compose.yaml", yaml);
        return Load(new ComposeLoadOptions { Environment = environment ?? new Dictionary<string, string>() });
    }

    public ComposeService Service(string yaml, string name = "web") => LoadYaml(yaml).Services[name];

    public ContainerException Error(string yaml, string errorId = "ComposeFileInvalid", IDictionary<string, string>? environment = null)
    {
        var error = Assert.Throws<ContainerException>(() => LoadYaml(yaml, environment));
        Assert.Equal(errorId, error.ErrorId);
        return error;
    }
}
