using Container.Runtime.Compose;
using Container.Runtime.Volumes;
using Xunit;

namespace Container.Tests.Compose;

/// <summary>What up decides for a project's named volumes, from the file and what the store holds.</summary>
public sealed class VolumePlanTests : IDisposable
{
    private readonly ComposeDirectory directory = new();

    public void Dispose() => directory.Dispose();

    private ComposeProject Project() => directory.LoadYaml("""
        name: app
        services:
          db: { image: busybox, volumes: ["data:/data", "logs:/logs", "theirs:/theirs", "shared:/shared"] }
        volumes:
          data: { driver_opts: { type: tmpfs, device: tmpfs }, labels: { tier: db } }
          logs: {}
          theirs: {}
          shared: { external: true }
        """);

    private static ContainerVolume Stored(string name, string? project, Dictionary<string, string>? options = null, Dictionary<string, string>? labels = null,
        params string[] users)
    {
        var all = new Dictionary<string, string>(labels ?? [], StringComparer.Ordinal);
        if (project != null)
            (all[ComposeLabels.Project], all[ComposeLabels.Volume], all[ComposeLabels.Version]) = (project, name, ComposeLabels.SpecificationVersion);
        return new ContainerVolume { Name = name, Options = options ?? [], Labels = all, UsedBy = users };
    }

    [Fact]
    public void AMissingVolumeIsMadeAMatchingOneKeptAndAnExternalOneNeverTouched()
    {
        var plan = VolumePlan.Of(Project(), [
            Stored("app_data", "app", new() { ["type"] = "tmpfs", ["device"] = "tmpfs" }, new() { ["tier"] = "db" }),
            Stored("shared", "other", labels: new() { ["anything"] = "else" }),
        ]);
        Assert.Equal([("data", VolumeActionKind.Keep), ("logs", VolumeActionKind.Create), ("theirs", VolumeActionKind.Create)],
            plan.Select(a => (a.Key, a.Kind)));
    }

    [Fact]
    public void TheProjectsVolumeWhoseOptionsOrLabelsChangedIsOneToRecreateNamingWhatChangedAndItsUsers()
    {
        var plan = VolumePlan.Of(Project(), [
            Stored("app_data", "app", new() { ["type"] = "tmpfs" }, new() { ["tier"] = "cache" }, "app-db-1"),
            Stored("app_logs", "app", labels: new() { ["added"] = "since" }),
        ]);
        var data = plan.Single(a => a.Key == "data");
        Assert.Equal(VolumeActionKind.Recreate, data.Kind);
        Assert.Equal(["driver_opts", "labels"], data.Changed);
        Assert.Equal(["app-db-1"], data.Users);
        Assert.Contains("app-db-1 made anew", data.Question, StringComparison.Ordinal);
        var logs = plan.Single(a => a.Key == "logs");
        Assert.Equal(VolumeActionKind.Recreate, logs.Kind);
        Assert.Equal(["labels"], logs.Changed);
    }

    [Fact]
    public void AVolumeOfTheSameNameTheProjectDidNotMakeIsKeptWhateverItHolds()
    {
        var plan = VolumePlan.Of(Project(), [Stored("app_data", project: null, labels: new() { ["tier"] = "hand-made" }, users: "someone")]);
        Assert.Equal(VolumeActionKind.Keep, plan.Single(a => a.Key == "data").Kind);
    }
}
