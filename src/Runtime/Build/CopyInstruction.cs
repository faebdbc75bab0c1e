using Container.Runtime.Build.Parsing;
using Container.Runtime.Containers;
using Container.Runtime.Images;
using Container.Runtime.Linux;

namespace Container.Runtime.Build;

/// <summary>
/// COPY and ADD: files from the build context (less what .dockerignore excludes), or from an
/// earlier stage or an image (--from), into the stage's root as docker places them: a
/// directory's contents into the destination, a file at the destination's name or in it when
/// it ends with '/' (as it must for several sources); the destination's missing directories
/// are made. Files from the context are owned by root, those from --from keep their owners;
/// --chown and --chmod set them. The step's layer is what the copy changed in the root; with
/// --link, what the copy makes in an empty root (the destination's directories and the files),
/// laid over the state as buildkit links it: what the state has at those paths is not read.
/// </summary>
internal sealed class CopyInstruction
{
    private readonly Instruction instruction;
    private readonly IReadOnlyList<CopyItem> items;
    private readonly string destination;
    private readonly string sourceKey;
    private readonly (uint Uid, uint Gid)? owner;
    private readonly uint? mode;
    private readonly Func<Action<string>, Action>? fromRoot;
    private readonly bool lone;
    private readonly bool linked;

    /// <param name="lone">Whether the copy is of one source alone, which a destination without '/' names (when it is a file).</param>
    private CopyInstruction(Instruction instruction, IReadOnlyList<CopyItem> items, string destination, string sourceKey,
        (uint, uint)? owner, uint? mode, Func<Action<string>, Action>? fromRoot, bool lone)
    {
        this.lone = lone;
        this.instruction = instruction;
        this.items = items;
        this.destination = destination;
        this.sourceKey = sourceKey;
        this.owner = owner;
        this.mode = mode;
        this.fromRoot = fromRoot;
        linked = instruction.IsOn("link");
    }

    /// <summary>The flags buildkit has that this builder does not do: refused, not ignored.</summary>
    private static readonly string[] NotDone = ["exclude", "parents", "keep-git-dir", "unpack"];

    public static CopyInstruction Plan(BuildService service, StageState state, Instruction instruction, BuildRun run, int stageIndex,
        BuiltStages built)
    {
        if (instruction.Flags.FirstOrDefault(f => NotDone.Contains(f.Name)) is { } notDone)
            throw Errors.Errors.InvalidInstruction(instruction, $"--{notDone.Name} is not supported by this builder");
        var words = instruction.Exec?.Select(w => run.Lexer.ProcessWord(w, state.Lookup)).ToList()
                    ?? run.Lexer.ProcessWords(instruction.Arguments, state.Lookup).ToList();
        if (words.Count < 2 && instruction.Heredocs.Count == 0)
            throw Errors.Errors.InvalidInstruction(instruction, $"{instruction.Keyword} needs a source and a destination");
        var destination = Destination(state, words[^1]);
        var sources = words.Take(words.Count - 1).ToList();
        var owner = instruction.Flag("chown") is { } chown ? Owner(service, state, instruction, run.Lexer.ProcessWord(chown, state.Lookup)) : ((uint, uint)?)null;
        var mode = instruction.Flag("chmod") is { } chmod ? Mode(instruction, chmod) : (uint?)null;
        if (instruction.Flag("from") is { } from)
        {
            var source = SourceStates.Of(service, run, built, run.Lexer.ProcessWord(from, state.Lookup), stageIndex);
            var items = sources.Select(s => new CopyItem(s, Root: null, s)).ToList();
            // a dry run's stage that would run again has no key yet: the copy would run too
            var sourceKey = source.Pending ? $"from a stage that runs again ({Ids.New()})" : $"from {source.CacheKey}";
            return new CopyInstruction(instruction, items, destination, $"{sourceKey}: {string.Join(' ', sources)}", owner, mode,
                copy => () => StepContainer.InRootOf(service, source, copy), lone: sources.Count == 1);
        }
        var staged = new List<(CopyItem Item, string Key)>();
        var fromContext = new List<string>();
        foreach (var source in sources)
        {
            if (StagedSources.HeredocNamed(instruction, source) is { } heredoc)
                staged.Add(StagedSources.Heredoc(heredoc, state, run.Scratch()));
            else if (instruction.Keyword == "ADD" && StagedSources.IsUrl(source))
                staged.Add(run.DryRun
                    ? StagedSources.Unfetched(source, instruction.Flag("checksum"))
                    : StagedSources.Download(instruction, source, instruction.Flag("checksum"), run.Scratch(), run.Cancellation));
            else
                fromContext.Add(source);
        }
        var selection = fromContext.Count > 0 ? run.Context.Select(instruction, fromContext) : new CopySelection([], "", LoneFile: false);
        var lone = sources.Count == 1 && (staged.Count == 1 || selection.LoneFile);
        return new CopyInstruction(instruction, [.. staged.Select(s => s.Item), .. selection.Items], destination,
            string.Join('\n', staged.Select(s => s.Key).Append(selection.Checksum)), owner, mode, null, lone);
    }

    public StepDescription Describe()
    {
        var flags = string.Join(' ', instruction.Flags.Where(f => f.Name != "from").Select(f => f.Value == null ? $"--{f.Name}" : $"--{f.Name}={f.Value}"));
        return new StepDescription($"{instruction.Keyword} {flags}\n{sourceKey}\n{destination}",
            $"{instruction.Original} # buildkit", linked);
    }

    /// <summary>The step's layer: a container of the stage's state, not started, the files copied into its root; with --link, an empty root of its own.</summary>
    public Descriptor Make(BuildService service, StageState state, string scratch) => linked
        ? MakeLinked(service, scratch)
        : StepContainer.MakeLayer(service, state, spec =>
        {
            service.Containers.Create(spec with { Command = ["true"], Entrypoint = [], Network = "none" });
            service.Containers.InRoot(spec.Name!, (root, _) => CopyInto(root));
        });

    private Descriptor MakeLinked(BuildService service, string scratch)
    {
        var directory = Directory.CreateDirectory(Path.Combine(scratch, "link-" + Ids.New()[..12])).FullName;
        try
        {
            using (var root = RootedPath.OpenRoot(directory))
                CopyInto(root);
            return service.Images.WriteLayer(directory, fromOverlayUpper: false);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private void CopyInto(RootedPath root)
    {
        if (fromRoot != null)
            fromRoot(source => CopyAll(root, source, preserveOwners: true))();
        else
            CopyAll(root, null, preserveOwners: false);
    }

    private void CopyAll(RootedPath root, string? fromRoot, bool preserveOwners)
    {
        // each source where it really is (links followed inside its own root, never out of it)
        var sources = items.Select(item => (Item: item, Resolved: Resolve(item, fromRoot))).ToList();
        var intoDirectory = !lone || destination.EndsWith('/') || IsDirectory(root, destination) || sources[0].Resolved.Kind == FileStatus.Kind.Directory;
        using var target = MakeDirectories(root, intoDirectory ? destination : Parent(destination));
        OwnerMap? owners = owner is { } fixedOwner ? (_, _) => fixedOwner : preserveOwners ? null : (_, _) => (0u, 0u);
        foreach (var (item, (path, kind)) in sources)
        {
            // a lone file renamed is taken whole: its selection names it by its own name
            var selection = new ArchiveSelection(intoDirectory && item.Include != null ? item.Include : (_, _) => true, mode);
            if (kind == FileStatus.Kind.RegularFile && Extracts(item, path))
            {
                ExtractArchive(path, target.Path, owners: owner is { } o ? (_, _) => o : null);
                continue;
            }
            var name = intoDirectory ? item.FileName ?? Path.GetFileName(path) : Path.GetFileName(destination);
            FileCopy.StreamInto(output =>
            {
                // a directory --from names is its contents; one the context selected is a name in the destination
                if (kind == FileStatus.Kind.Directory && item.FileName == null)
                    LayerArchive.Write(path, output, selection, owners: owners);
                else
                    LayerArchive.WriteTree(path, name, output, owners, selection);
            }, target.Path, makeDevices: false, owners: null);
        }
    }

    /// <summary>
    /// A source's place on the host: resolved inside its root (the context, the build's scratch,
    /// or the --from root) as a chroot would resolve it, so no link leads out, and named by the
    /// path the kernel gives that place.
    /// </summary>
    private (string Path, FileStatus.Kind Kind) Resolve(CopyItem item, string? fromRoot)
    {
        // a link in the context is copied as a link; one named in --from's root is followed (inside it), as buildkit does
        using var root = RootedPath.OpenRoot(item.Root ?? fromRoot!);
        using var resolved = root.Resolve(item.Path, followFinalLink: item.Root == null) ?? throw Errors.Errors.BuildSourceNotFound(item.Source);
        return (resolved.HostPath, resolved.Kind);
    }

    /// <summary>Whether ADD unpacks this source: a local file (not a URL's) that is a tar, plain, gzip or zstd, by its bytes, as docker decides.</summary>
    private bool Extracts(CopyItem item, string path)
    {
        if (instruction.Keyword != "ADD" || item.Root == null || StagedSources.IsStaged(item))
            return false;
        using var file = File.OpenRead(path);
        if (Compression.Detect(file) != LayerCompression.None)
            return true;
        Span<byte> magic = stackalloc byte[5];
        file.Position = 257; // ustar's magic, in every POSIX tar header
        return file.ReadAtLeast(magic, 5, throwOnEndOfStream: false) == 5 && magic.SequenceEqual("ustar"u8);
    }

    /// <summary>An archive's entries unpacked into the destination, as a layer's are (none may leave it), its owners kept unless --chown.</summary>
    private static void ExtractArchive(string path, string target, OwnerMap? owners)
    {
        using var file = File.OpenRead(path);
        using var tar = Compression.OpenUncompressed(file, "");
        LayerUnpacker.CopyInto(tar, target, makeDevices: false, owners: owners);
    }

    private static bool IsDirectory(RootedPath root, string path)
    {
        using var resolved = root.Resolve(path, followFinalLink: true);
        return resolved?.Kind == FileStatus.Kind.Directory;
    }

    /// <summary>mkdir -p inside the root (mode 0755, owned by root, as buildkit makes them): no link leads out.</summary>
    private RootedPath MakeDirectories(RootedPath root, string path)
    {
        var done = "/";
        foreach (var part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var next = done.TrimEnd('/') + "/" + part;
            using (var existing = root.Resolve(next, followFinalLink: true))
            {
                if (existing == null)
                {
                    using var parent = root.Resolve(done, followFinalLink: true)!;
                    Libc.Check(Libc.Mkdirat(parent.Descriptor, part, 0b111_101_101), $"mkdir '{next}'", next);
                    if (owner is { } fixedOwner)
                        Libc.Check(Libc.Lchown($"{parent.Path}/{part}", fixedOwner.Uid, fixedOwner.Gid), $"chown '{next}'", next);
                }
                else if (existing.Kind != FileStatus.Kind.Directory)
                    throw Errors.Errors.InvalidInstruction(instruction, $"'{next}' is not a directory");
            }
            done = next;
        }
        return root.Resolve(done, followFinalLink: true)!;
    }

    private static string Parent(string path)
    {
        var slash = path.TrimEnd('/').LastIndexOf('/');
        return slash <= 0 ? "/" : path[..slash];
    }

    /// <summary>The destination, absolute: a relative one is under WORKDIR. Its trailing '/' is kept (it says "a directory").</summary>
    private static string Destination(StageState state, string word)
    {
        var directory = word.EndsWith('/') || word is "." or "..";
        var absolute = ConfigInstructions.WorkingDirectory(state.Container.WorkingDir, word);
        return directory && absolute != "/" ? absolute + "/" : absolute;
    }

    /// <summary>--chown's user[:group], names read from the stage's /etc/passwd and /etc/group; a user alone gives its uid as the gid too, as docker does.</summary>
    private static (uint, uint) Owner(BuildService service, StageState state, Instruction instruction, string chown)
    {
        var layers = state.Config.RootFs.DiffIds.AsEnumerable().Reverse().Select(service.Images.LayerDirectory).ToList();
        ResolvedUser user;
        try
        {
            user = UserResolver.Resolve(chown, layers);
        }
        catch (Errors.ContainerException e)
        {
            throw Errors.Errors.InvalidInstruction(instruction, $"--chown={chown}: {e.Message}");
        }
        return (user.Uid, chown.Contains(':') ? user.Gid : user.Uid);
    }

    private static uint Mode(Instruction instruction, string chmod)
    {
        try
        {
            var mode = Convert.ToUInt32(chmod, 8);
            if (mode <= 0b111_111_111_111)
                return mode;
        }
        catch (FormatException)
        {
        }
        throw Errors.Errors.InvalidInstruction(instruction, $"--chmod={chmod} is not an octal mode");
    }
}

/// <summary>
/// A source of a COPY: as the Dockerfile names it; the directory it is under on the host (the
/// context, the build's scratch; null for the --from root) and its path there; which entries
/// under it are taken; and the name it is copied as into a directory (a heredoc's, a URL's;
/// else its own).
/// </summary>
internal sealed record CopyItem(string Source, string? Root, string Path, Func<string, bool, bool>? Include = null, string? FileName = null);
