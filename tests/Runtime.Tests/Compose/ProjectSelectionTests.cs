using Container.Runtime.Compose;
using Xunit;

namespace Container.Tests.Compose;

/// <summary>Which project the compose cmdlets' -Path, -File and -ProjectName point at.</summary>
public sealed class ProjectSelectionTests : IDisposable
{
    private readonly ComposeDirectory directory = new();

    public void Dispose() => directory.Dispose();

    [Fact]
    public void ANameAloneNamesTheProjectWithoutReadingAnyFile()
    {
        // the directory has no compose file: reading one would fail
        var selection = new ProjectSelection(directory.Path, Path: null, Files: [], Name: "shop");
        Assert.Equal((false, true, "shop"), (selection.NamesNothing, selection.IsNameAlone, selection.ProjectName()));
    }

    [Fact]
    public void APathOrFileIsReadForTheNameAndNothingGivenNamesNothing()
    {
        var file = directory.Write("compose.yaml", "name: fromfile\nservices:\n  web: { image: busybox }\n");
        Assert.Equal("fromfile", new ProjectSelection("/", file, [], null).ProjectName());
        Assert.Equal("fromfile", new ProjectSelection(directory.Path, null, [file], null).ProjectName());
        // a name given with the files wins over name:
        Assert.Equal("given", new ProjectSelection(directory.Path, directory.Path, [], "given").Load().Name);
        var nothing = new ProjectSelection(directory.Path, null, [], null);
        Assert.True(nothing.NamesNothing);
        Assert.Equal("fromfile", nothing.ProjectName());
    }
}
