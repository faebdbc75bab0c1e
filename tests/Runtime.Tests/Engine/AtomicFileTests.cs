using System.Text;
using Container.Runtime;
using Container.Runtime.Networks;
using Container.Runtime.Storage;
using Xunit;

namespace Container.Tests.Engine;

/// <summary>State written whole by rename, flushed to disk or (a record of one run) not: a reader sees the old or the new, and no temporary is left.</summary>
public sealed class AtomicFileTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("atomic-file-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_write_replaces_the_file_whole_and_leaves_no_temporary(bool durable)
    {
        var path = Path.Combine(dir, "record.json");
        File.WriteAllText(path, "{\"old\": true, \"longer\": \"than what replaces it\"}");

        AtomicFile.WriteAllBytes(path, "{\"new\":1}"u8, durable: durable);

        Assert.Equal("{\"new\":1}", File.ReadAllText(path));
        Assert.Equal(["record.json"], Directory.GetFiles(dir).Select(Path.GetFileName));
    }

    [Fact]
    public void A_temporary_a_crashed_writer_left_under_the_same_name_is_replaced()
    {
        var path = Path.Combine(dir, "record.json");
        var stale = $"{path}.tmp.{Environment.ProcessId}.{Environment.CurrentManagedThreadId}";
        File.WriteAllText(stale, "half of an old write");

        AtomicFile.WriteAllBytes(path, "{\"new\":1}"u8);

        Assert.Equal("{\"new\":1}", File.ReadAllText(path));
        Assert.Equal(["record.json"], Directory.GetFiles(dir).Select(Path.GetFileName));
    }

    [Fact]
    public void Files_written_without_the_flush_are_flushed_together_unchanged_and_a_missing_one_is_an_error()
    {
        var record = Path.Combine(dir, "container.json");
        var bundle = Path.Combine(dir, "config.json");
        AtomicFile.WriteAllBytes(record, "{\"record\":1}"u8, durable: false);
        AtomicFile.WriteAllBytes(bundle, "{\"bundle\":2}"u8, durable: false);

        AtomicFile.FlushToDisk([record, bundle]);

        Assert.Equal("{\"record\":1}", File.ReadAllText(record));
        Assert.Equal("{\"bundle\":2}", File.ReadAllText(bundle));
        var missing = Path.Combine(dir, "missing.json");
        var error = Assert.Throws<Container.Runtime.Errors.ContainerException>(() => AtomicFile.FlushToDisk([record, missing]));
        Assert.Contains("missing.json", error.Message);
    }

    [Fact]
    public void A_runs_network_setup_is_recorded_in_the_containers_directory_and_read_back()
    {
        var setup = new NetworkSetup("c0ffee", "/run/container/netns/c0ffee", [], [], null);

        ContainerNetworking.WriteSetup(dir, setup);

        Assert.Equal(setup.NamespacePath, ContainerNetworking.SetupOf(dir)!.NamespacePath);
        Assert.Equal([ContainerNetworking.SetupFile], Directory.GetFiles(dir).Select(Path.GetFileName));
        Assert.Contains("c0ffee", Encoding.UTF8.GetString(File.ReadAllBytes(Path.Combine(dir, ContainerNetworking.SetupFile))));
    }
}
