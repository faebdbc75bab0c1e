using System.Collections.Concurrent;
using Container.Runtime.Images;
using Xunit;

namespace Container.Tests.Registries;

/// <summary>What a pull and a push tell on the way: each layer's bytes and rate under the whole, and which blobs were not sent.</summary>
public sealed partial class RegistryPullPushTests
{
    private sealed class Recorded : IProgress<ImportProgress>
    {
        public ConcurrentQueue<ImportProgress> Reports { get; } = new();

        public void Report(ImportProgress value) => Reports.Enqueue(value);
    }

    [SkippableFact]
    public void APullTellsEachLayersBytesAndRateAndEndsEachLayersBar()
    {
        using var registry = Start();
        var image = Committed("told:1");
        var reference = $"{registry.Host}/team/told:1";
        Registries(store).Push(image, reference);
        var layers = store.Engine.Images.ReadManifest(store.Engine.Images.Get(image).Digest).Manifest.Layers;
        var told = new Recorded();

        Registries(other).Pull(reference, progress: told);
        var reports = told.Reports.ToList();
        // the layer the other store lacks (the committed one, on top of the test image's): its bytes, to its size, with a rate, then its end
        var bytes = reports.Where(r => r.Part == layers.Count - 1 && !r.Ended).ToList();
        Assert.NotEmpty(bytes);
        Assert.Equal(layers[^1].Size, bytes[^1].Done);
        Assert.All(bytes, r => Assert.True(r.BytesPerSecond > 0));
        Assert.Matches(@"^[\d.]+ ?[kMG]?B of [\d.]+ ?[kMG]?B \([\d.]+ ?[kMG]?B/s\)$", bytes[^1].Status);
        Assert.All(Enumerable.Range(0, layers.Count), part => Assert.Single(reports, r => r.Part == part && r.Ended));
        // the layers the store had are told as such, for -Verbose
        Assert.Equal(layers.Count - 1, reports.Count(r => r.Note?.EndsWith("already in the store", StringComparison.Ordinal) == true));
    }

    [SkippableFact]
    public void APushTellsWhichBlobsTheRegistryHadAndWhichItMounted()
    {
        using var registry = Start();
        var image = Committed("noted:1");
        Registries(store).Push(image, $"{registry.Host}/team/noted:1");
        var blobs = store.Engine.Images.ReadManifest(store.Engine.Images.Get(image).Digest).Manifest.Layers.Count + 1;

        var again = new Recorded();
        Registries(store).Push(image, $"{registry.Host}/team/noted:1", progress: again);
        Assert.Equal(blobs, again.Reports.Count(r => r.Note?.EndsWith("already in the registry", StringComparison.Ordinal) == true));
        Assert.DoesNotContain(again.Reports, r => r.BytesPerSecond != null);

        var mounted = new Recorded();
        store.Engine.Images.Tag(image, Runtime.Images.ImageReference.Parse($"{registry.Host}/team/noted:1"));
        Registries(store).Push(image, $"{registry.Host}/elsewhere/noted:1", progress: mounted);
        Assert.Equal(blobs, mounted.Reports.Count(r => r.Note?.EndsWith("mounted from team/noted", StringComparison.Ordinal) == true));
    }
}
