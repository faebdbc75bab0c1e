using Container.Runtime.Containers;
using Container.Runtime.Images;
using Container.Tests.Fixtures;
using Xunit;

namespace Container.Tests.Images;

/// <summary>Commit (a container's changes as a layer) and export (a container's files as a tar).</summary>
[Trait("Category", "Kernel")]
public sealed class CommitAndExportTests : IDisposable
{
    private readonly TestStore store = new();
    private readonly string work = Directory.CreateTempSubdirectory("commit-").FullName;

    public void Dispose()
    {
        store.Dispose();
        Directory.Delete(work, recursive: true);
    }

    private const string Changes = "echo new > /added; rm /etc/group; rm -rf /usr/sbin; mkdir /usr/sbin; echo only > /usr/sbin/one; mkdir -p /var/lib/x";

    private string RunIn(string image, string name, string script)
    {
        store.Containers.Create(new ContainerSpec { Image = image, Name = name, Command = ["sh", "-c", script] });
        store.Containers.Start(name);
        store.Containers.Wait(name, TimeSpan.FromSeconds(30));
        return store.Output(name);
    }

    [Fact]
    public void CommitCarriesAdditionsDeletionsAndOpaqueDirectories()
    {
        RunIn(TestStore.Image, "changer", Changes);
        var image = store.Containers.Commit("changer", ImageReference.Parse("committed:1"));

        var parent = store.Engine.Images.Get(TestStore.Image);
        Assert.Equal([.. parent.Layers, image.Layers[^1]], image.Layers);
        Assert.Equal("commit changer", image.History[^1].CreatedBy);

        var seen = RunIn("committed:1", "seer", "cat /added; test -e /etc/group && echo group || echo no-group; ls /usr/sbin; test -d /var/lib/x && echo dir");
        Assert.Equal("new\nno-group\none\ndir", seen);
    }

    [Fact]
    public void CommitKeepsTheContainersConfigAndTakesChanges()
    {
        store.Containers.Create(new ContainerSpec
        {
            Image = TestStore.Image, Name = "configured", Command = ["sh", "-c", "echo $GREETING from $(pwd)"],
            Environment = new Dictionary<string, string> { ["GREETING"] = "hello" }, WorkingDirectory = "/tmp",
        });
        var kept = store.Containers.Commit("configured", ImageReference.Parse("kept:1"));
        Assert.Equal(["sh", "-c", "echo $GREETING from $(pwd)"], kept.Config.Config!.Cmd);
        Assert.Contains("GREETING=hello", kept.Config.Config.Env!);
        Assert.Equal("/tmp", kept.Config.Config.WorkingDir);

        var changed = store.Containers.Commit("configured", ImageReference.Parse("changed:1"), new CommitOptions
        {
            Command = ["sh", "-c", "echo $GREETING $EXTRA from $(pwd)"],
            Environment = new Dictionary<string, string> { ["EXTRA"] = "world" },
            WorkingDirectory = "/etc",
            Message = "with changes",
        });
        Assert.Equal("with changes", changed.History[^1].Comment);
        store.Containers.Create(new ContainerSpec { Image = "changed:1", Name = "from-changed" });
        store.Containers.Start("from-changed");
        store.Containers.Wait("from-changed", TimeSpan.FromSeconds(30));
        Assert.Equal("hello world from /etc", store.Output("from-changed"));
    }

    [Fact]
    public void CommittingARunningContainerWorks()
    {
        store.Containers.Create(new ContainerSpec { Image = TestStore.Image, Name = "live", Command = ["sh", "-c", "echo live > /state; sleep 300"] });
        store.Containers.Start("live");
        for (var i = 0; i < 500 && !File.Exists(Path.Combine(store.Containers.Get("live").Path, "upper", "state")); i++)
            Thread.Sleep(10);
        var image = store.Containers.Commit("live", ImageReference.Parse("live:1"));
        Assert.Equal(ContainerStatus.Running, store.Containers.Get("live").Status);
        Assert.Equal("live", RunIn("live:1", "after", "cat /state"));
        Assert.NotNull(image);
    }

    [Fact]
    public void ExportedFilesImportBackAsAnImage()
    {
        RunIn(TestStore.Image, "exported", Changes);
        var tar = Path.Combine(work, "files.tar");
        store.Containers.ExportFilesystem("exported", tar);
        var names = Container.Runtime.Processes.ProcessRunner.Run("tar", ["-tf", tar]).StandardOutput.Split('\n');
        Assert.Contains("added", names);
        Assert.DoesNotContain("etc/group", names);
        Assert.DoesNotContain(names, n => n.StartsWith("proc/", StringComparison.Ordinal) && n.Length > 5);

        var image = Assert.Single(store.Engine.Importer.Import(tar, ImageReference.Parse("flat:1"), ImageDefaults.From(["sh"], null, null)));
        Assert.Single(image.Layers);
        Assert.Equal("new\nno-group", RunIn("flat:1", "flat", "cat /added; test -e /etc/group && echo group || echo no-group"));
        Assert.Empty(Directory.EnumerateFileSystemEntries(store.Paths.StagingDir));
    }

    [Fact]
    public void ARunningContainerExportsItsCurrentFiles()
    {
        store.Containers.Create(new ContainerSpec { Image = TestStore.Image, Name = "running", Command = ["sh", "-c", "echo now > /now; sleep 300"] });
        store.Containers.Start("running");
        for (var i = 0; i < 500 && !File.Exists(Path.Combine(store.Containers.Get("running").Path, "upper", "now")); i++)
            Thread.Sleep(10);
        var tar = Path.Combine(work, "running.tar");
        store.Containers.ExportFilesystem("running", tar);
        Assert.Contains("now", Container.Runtime.Processes.ProcessRunner.Run("tar", ["-tf", tar]).StandardOutput.Split('\n'));
    }
}
