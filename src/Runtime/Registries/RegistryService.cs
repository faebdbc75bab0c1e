using Container.Runtime.Images;

namespace Container.Runtime.Registries;

/// <summary>
/// Images to and from registries (docker pull, push, login, logout; skopeo list-tags), over
/// the image store: a pull writes each blob straight into the blob store, verified by digest
/// and size as it streams, and unpacks the layers as an archive's import does.
/// </summary>
public sealed class RegistryService(ImageStore images, RegistryCredentials credentials, RegistryTransportOptions transport,
    Func<RegistriesConfiguration>? configuration = null)
{
    /// <summary>Layers fetched at once, as docker's max-concurrent-downloads.</summary>
    private const int ParallelDownloads = 3;

    public RegistryCredentials Credentials => credentials;

    /// <summary>This service, taking any certificate a registry shows (-SkipTlsVerify, podman's --tls-verify=false).</summary>
    public RegistryService SkippingTlsVerification() =>
        new(images, credentials, transport with { SkipTlsVerify = true }, configuration);

    /// <summary>
    /// The name to make a container by from image (a name or an id) without pulling, or null when
    /// the policy (CONTAINER_PULL_POLICY's, else missing, when null) says to pull it first: a
    /// short name is found in the store by what it may stand for (<see cref="ShortNames"/>).
    /// </summary>
    public string? Stored(string image, PullPolicy? policy = null)
    {
        var chosen = policy ?? PullPolicies.Default;
        if (chosen == PullPolicy.Always)
            return null;
        if (images.Find(image) != null)
            return image;
        if (!ImageReference.NamesRegistry(image) && ImageReference.TryParse(image, out _, out _)
            && ShortNames.Candidates(image, Configuration()).FirstOrDefault(c => images.Find(c.ToString()) != null) is { } stored)
            return stored.ToString();
        return chosen == PullPolicy.Never ? throw Errors.Errors.ImageNotFound(image) : null;
    }

    /// <summary>Pulls a container's image (docker run's pull), and gives the name it was pulled by, its short name resolved.</summary>
    public string PullForContainer(string image, ImagePlatform? platform = null, IProgress<ImportProgress>? progress = null, CancellationToken cancellation = default)
    {
        var name = ShortNames.Resolve(image, Configuration()).ToString();
        Pull(name, platform, null, progress, cancellation);
        return name;
    }

    /// <summary>
    /// Pulls an image (name:tag or name@digest; a short name as <see cref="ShortNames"/> resolves
    /// it) for a platform (this machine's by default) and names it so. Blobs the store holds are
    /// not fetched again.
    /// </summary>
    public ContainerImage Pull(string reference, ImagePlatform? platform = null, RegistryLogin? login = null,
        IProgress<ImportProgress>? progress = null, CancellationToken cancellation = default)
    {
        var name = ShortNames.Resolve(reference, Configuration());
        images.Paths.EnsureCreated();
        using var client = Client(name.Domain, login);
        var (manifest, descriptor) = ResolveManifest(client, name, platform ?? ImagePlatform.Host, cancellation);
        if (!images.Blobs.Exists(manifest.Config.Digest))
            Fetch(client, name, manifest.Config, blob => blob, cancellation);
        var (_, config) = images.ReadLayeredManifest(descriptor.Digest);
        var meter = new TransferMeter($"Pulling {name}", manifest.Layers.Where(l => !images.Blobs.Exists(l.Digest)).DistinctBy(l => l.Digest).Sum(l => l.Size), progress);
        try
        {
            // each layer unpacks once its blob is in, while the others still download
            Parallel.For(0, manifest.Layers.Count, new ParallelOptions { MaxDegreeOfParallelism = ParallelDownloads, CancellationToken = cancellation }, i =>
            {
                var layer = manifest.Layers[i];
                var what = $"Layer {Ids.Short(layer.Digest)}";
                var had = images.Blobs.Exists(layer.Digest);
                if (!had)
                    Fetch(client, name, layer, blob => meter.Measure(blob, i, what, layer.Size), cancellation);
                images.UnpackLayer(manifest, config, i);
                meter.End(i, what, had ? $"{what}: already in the store" : null);
            });
        }
        catch (AggregateException e)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.InnerExceptions[0]);
        }
        // a pull by digest alone is kept by that name, as docker keeps it; a name that has it already is left be
        if (images.Find(name.ToString()) is { } named && named.Digest == descriptor.Digest)
            return named;
        images.Tag(descriptor, name);
        return images.Get(name.ToString());
    }

    /// <summary>The manifest for the platform (from a list or index if the reference names one), written to the blob store.</summary>
    private (ImageManifest Manifest, Descriptor Descriptor) ResolveManifest(RegistryClient client, ImageReference name, ImagePlatform platform, CancellationToken cancellation)
    {
        var (content, mediaType, digest) = client.GetManifest(name.Path, name.Digest ?? name.Tag!, cancellation);
        if (name.Digest != null && digest != name.Digest)
            throw Errors.Errors.RegistryBlobRefused(name.ToString(), name.Digest, $"the manifest has digest {digest}");
        if (mediaType is MediaTypes.OciIndex or MediaTypes.DockerManifestList)
        {
            var list = Json.Deserialize<ImageIndex>(content);
            var picked = platform.Pick(list.Manifests)
                         ?? throw Errors.Errors.InvalidArgument("NoMatchingPlatform",
                             $"'{name}' has no image for {platform}; it has {string.Join(", ", list.Manifests.Select(m => m.Platform is { } p ? new ImagePlatform(p.Os, p.Architecture, p.Variant).ToString() : "?"))}.", name.ToString());
            (content, mediaType, digest) = client.GetManifest(name.Path, picked.Digest, cancellation);
            if (digest != picked.Digest)
                throw Errors.Errors.RegistryBlobRefused(name.ToString(), picked.Digest, $"the manifest has digest {digest}");
        }
        if (mediaType is not (MediaTypes.OciManifest or MediaTypes.DockerManifest))
            throw Errors.Errors.RegistryProtocol(client.Registry, $"'{name}' is a {mediaType}, not an image manifest this client reads.");
        if (!images.Blobs.Exists(digest))
            using (var stream = new MemoryStream(content))
                images.Blobs.Write(stream, mediaType, expectedDigest: digest);
        return (Json.Deserialize<ImageManifest>(content), new Descriptor { MediaType = mediaType, Digest = digest, Size = content.Length });
    }

    /// <summary>
    /// One blob into the store as it streams, resumed where a dropped connection left it:
    /// refused, and nothing kept, unless its digest and size are the descriptor's.
    /// </summary>
    private void Fetch(RegistryClient client, ImageReference name, Descriptor blob, Func<Stream, Stream> measure, CancellationToken cancellation)
    {
        var body = new ResumingBlobStream(offset => client.GetBlob(name.Path, blob.Digest, cancellation, offset), client.Registry, blob.Digest, blob.Size, cancellation);
        using var content = measure(new SizeLimitedStream(body, blob.Size, name.ToString(), blob.Digest));
        try
        {
            images.Blobs.Write(content, blob.MediaType, expectedDigest: blob.Digest);
        }
        catch (Errors.ContainerException e) when (e.ErrorId == "DigestMismatch")
        {
            throw Errors.Errors.RegistryBlobRefused(name.ToString(), blob.Digest, "its content has another digest");
        }
    }

    /// <summary>
    /// Pushes an image of the store to a reference (its own name by default), first converted to
    /// another manifest format or layer compression if asked (ManifestConverter): blobs the
    /// registry has are skipped, ones another repository of it has are mounted from there, the
    /// rest uploaded.
    /// </summary>
    public void Push(string source, string? destination = null, RegistryLogin? login = null,
        IProgress<ImportProgress>? progress = null, CancellationToken cancellation = default, ImageConversion? conversion = null)
    {
        var image = images.Get(source);
        var target = ImageReference.Parse(destination ?? image.Reference ?? throw Errors.Errors.InvalidArgument("DestinationRequired",
            $"Image '{source}' has no name to push it by: give the destination.", source));
        // the converted blobs are named by no image: collection must wait until they are up
        using var held = images.HoldAgainstCollection();
        var (manifestBytes, mediaType, manifestDigest, manifest) =
            new ManifestConverter(images).Convert(image.Digest, conversion ?? ImageConversion.None, progress, cancellation);
        using var client = Client(target.Domain, login);
        var blobs = manifest.Layers.Append(manifest.Config).DistinctBy(b => b.Digest).ToList();
        var meter = new TransferMeter($"Pushing {target}", blobs.Sum(b => b.Size), progress);
        // other repositories of the same registry this image was pulled from or pushed to: a blob can be mounted from them
        var siblings = image.Names.Select(ImageReference.Parse).Where(n => n.Domain == target.Domain && n.Path != target.Path).Select(n => n.Path).Distinct().ToList();
        try
        {
            Parallel.For(0, blobs.Count, new ParallelOptions { MaxDegreeOfParallelism = ParallelDownloads, CancellationToken = cancellation }, i =>
            {
                var blob = blobs[i];
                var what = $"{(blob == manifest.Config ? "Config" : "Layer")} {Ids.Short(blob.Digest)}";
                string? note = $"{what}: already in the registry";
                if (!client.HasBlob(target.Path, blob.Digest, cancellation))
                {
                    var from = siblings.FirstOrDefault(from => client.HasBlob(from, blob.Digest, cancellation)
                                                               && client.PutBlob(target.Path, blob.Digest, blob.Size, () => images.Blobs.Open(blob.Digest), from, cancellation));
                    note = from != null ? $"{what}: mounted from {from}" : null;
                    if (from == null)
                        client.PutBlob(target.Path, blob.Digest, blob.Size, () => meter.Measure(images.Blobs.Open(blob.Digest), i, what, blob.Size), null, cancellation);
                }
                meter.End(i, what, note);
            });
        }
        catch (AggregateException e)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.InnerExceptions[0]);
        }
        client.PutManifest(target.Path, target.Tag ?? manifestDigest, manifestBytes, mediaType, cancellation);
    }

    /// <summary>Checks a login against the registry, then stores it (docker login).</summary>
    public void Login(string registry, RegistryLogin login, CancellationToken cancellation = default)
    {
        using (var client = Client(registry, login))
            client.CheckLogin(cancellation);
        credentials.Store(registry, login);
    }

    /// <summary>Forgets a registry's login (docker logout); false when there was none.</summary>
    public bool Logout(string registry) => credentials.Remove(registry);

    /// <summary>The tags of a repository (name without a tag, as localhost:5000/team/app).</summary>
    public IReadOnlyList<string> Tags(string repository, RegistryLogin? login = null, CancellationToken cancellation = default)
    {
        var name = ShortNames.Resolve(repository, Configuration());
        using var client = Client(name.Domain, login);
        return client.Tags(name.Path, cancellation);
    }

    /// <summary>
    /// The repositories whose names match a wildcard (team/*), or hold a word, in the catalogs of registries: the
    /// registry the pattern names (localhost:5000/team/*), else the ones given, else the search
    /// registries of registries.conf (docker search's and podman search's registries).
    /// </summary>
    public IReadOnlyList<RegistryRepository> Find(string pattern, IReadOnlyList<string>? registries = null, RegistryLogin? login = null,
        CancellationToken cancellation = default)
    {
        var slash = pattern.IndexOf('/');
        if (ImageReference.NamesRegistry(pattern))
            (registries, pattern) = ([pattern[..slash]], pattern[(slash + 1)..]);
        else if (registries is not { Count: > 0 })
            registries = Configuration().SearchRegistries;
        if (registries.Count == 0)
            throw Errors.Errors.InvalidArgument("RegistryRequired",
                $"'{pattern}' names no registry and registries.conf has no search registries: name one (-Registry, or registry/{pattern}).", pattern);
        // a plain word matches within names, as docker search's term does
        var wildcard = Text.Wildcard.Parse(Text.Wildcard.IsPattern(pattern) ? pattern : $"*{pattern}*");
        var found = new List<RegistryRepository>();
        foreach (var registry in registries)
        {
            using var client = Client(registry, login);
            found.AddRange(client.Catalog(cancellation).Where(wildcard.IsMatch).Order(StringComparer.Ordinal).Select(r => new RegistryRepository(registry, r)));
        }
        return found;
    }

    /// <summary>A reference for each tag of a repository (what docker pull --all-tags pulls).</summary>
    public IReadOnlyList<string> TaggedReferences(string repository, RegistryLogin? login = null, CancellationToken cancellation = default)
    {
        var name = ShortNames.Resolve(repository, Configuration());
        return Tags(name.Repository, login, cancellation).Select(tag => $"{name.Repository}:{tag}").ToList();
    }

    /// <summary>registries.conf as it is now (read at each call: a session outlives its edits); none is docker's defaults.</summary>
    private RegistriesConfiguration Configuration() => configuration?.Invoke() ?? new RegistriesConfiguration();

    /// <summary>A client of one registry: the given login or the stored one; insecure as the options or registries.conf say.</summary>
    private RegistryClient Client(string registry, RegistryLogin? login)
    {
        var options = transport with { InsecureRegistries = [.. transport.InsecureRegistries, .. Configuration().InsecureRegistries] };
        return new(registry, login ?? credentials.Find(registry), new RegistryTransport(registry, options));
    }
}

/// <summary>A blob's stream that ends where its descriptor says it does: a longer one is refused, a shorter one fails its digest.</summary>
internal sealed class SizeLimitedStream(Stream inner, long size, string reference, string digest) : Storage.ReadOnlyStream
{
    private long read;

    public override long Length => size;
    public override long Position { get => read; set => throw new NotSupportedException(); }

    public override int Read(Span<byte> buffer)
    {
        var n = inner.Read(buffer);
        read += n;
        if (read > size)
            throw Errors.Errors.RegistryBlobRefused(reference, digest, $"it is longer than its descriptor's {size} bytes");
        return n;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            inner.Dispose();
        base.Dispose(disposing);
    }
}
