using System.Security.Cryptography;
using System.Text;
using Container.Runtime.Build.Parsing;
using Container.Runtime.Volumes;

namespace Container.Runtime.Build;

/// <summary>
/// RUN --mount, as buildkit takes them: type=cache (a directory of the store's that outlives
/// the build, by id, default the target), type=bind (the context, or an earlier stage's root
/// with from=; read-only, or with rw writable where what the step writes is thrown away when
/// it ends), type=secret (a file the build was given, by id, at /run/secrets/&lt;id&gt; by
/// default; read-only) and type=tmpfs. None of them enters the step's layer, not even its
/// mount point. Disposing unmounts the writable views.
/// </summary>
internal sealed record RunMounts(IReadOnlyList<ContainerMount> Mounts, IReadOnlySet<string> MountPoints, IReadOnlyList<WritableView> Views) : IDisposable
{
    public void Dispose()
    {
        foreach (var view in Views)
            view.Dispose();
    }

    /// <summary>The stages and images the bind mounts name with from=, which the step needs mounted while it runs.</summary>
    public static IReadOnlyList<string> From(Instruction instruction, StageState state, BuildRun run) =>
        instruction.Flags.Where(f => f.Name == "mount")
            .Select(f => Options(instruction, run.Lexer.ProcessWord(f.Value ?? "", state.Lookup)))
            .Where(o => o.GetValueOrDefault("type", "bind") == "bind" && o.ContainsKey("from"))
            .Select(o => o["from"]).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>
    /// What the mounts add to the step's cache key: the checksum of what a bind mount from the
    /// context holds (a stage's is in its key already); never a cache mount's or a secret's content.
    /// </summary>
    public static string Key(Instruction instruction, StageState state, BuildRun run) => string.Join('\n',
        instruction.Flags.Where(f => f.Name == "mount")
            .Select(f => Options(instruction, run.Lexer.ProcessWord(f.Value ?? "", state.Lookup)))
            .Where(o => o.GetValueOrDefault("type", "bind") == "bind" && !o.ContainsKey("from"))
            .Select(o => run.Context.Select(instruction, [o.GetValueOrDefault("source") ?? o.GetValueOrDefault("src") ?? "/"]).Checksum));

    /// <param name="roots">The host path each of <see cref="From"/>'s roots is mounted at.</param>
    public static RunMounts Of(Instruction instruction, StageState state, BuildRun run, BuildService service, IReadOnlyDictionary<string, string> roots)
    {
        var mounts = new List<ContainerMount>();
        var views = new List<WritableView>();
        try
        {
            Add(instruction, state, run, service, roots, mounts, views);
        }
        catch
        {
            views.ForEach(v => v.Dispose());
            throw;
        }
        var points = mounts.Select(m => m.Target.TrimStart('/')).ToHashSet(StringComparer.Ordinal);
        return new RunMounts(mounts, points, views);
    }

    private static void Add(Instruction instruction, StageState state, BuildRun run, BuildService service, IReadOnlyDictionary<string, string> roots,
        List<ContainerMount> mounts, List<WritableView> views)
    {
        foreach (var flag in instruction.Flags.Where(f => f.Name == "mount"))
        {
            var options = Options(instruction, run.Lexer.ProcessWord(flag.Value ?? "", state.Lookup));
            var type = options.GetValueOrDefault("type", "bind");
            var target = options.GetValueOrDefault("target") ?? options.GetValueOrDefault("dst") ?? options.GetValueOrDefault("destination");
            switch (type)
            {
                case "cache":
                {
                    target = Absolute(instruction, target, state);
                    var id = options.GetValueOrDefault("id", target);
                    var directory = Path.Combine(service.Images.BuildCache.MountsDirectory, Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(id))).ToLowerInvariant());
                    Directory.CreateDirectory(directory);
                    mounts.Add(new ContainerMount { Type = MountType.Bind, Source = directory, Target = target, ReadOnly = options.ContainsKey("readonly") || options.ContainsKey("ro") });
                    break;
                }
                case "bind":
                {
                    target = Absolute(instruction, target, state);
                    var source = options.GetValueOrDefault("source") ?? options.GetValueOrDefault("src") ?? "/";
                    string root;
                    if (options.GetValueOrDefault("from") is { } from)
                        root = roots[from];
                    else
                        root = run.Context.Root;
                    // the source as a chroot there would find it: no link in it leads out of its root
                    string host;
                    using (var top = Linux.RootedPath.OpenRoot(root))
                    using (var resolved = top.Resolve(source, followFinalLink: true) ?? throw Errors.Errors.BuildSourceNotFound(source))
                        host = resolved.HostPath;
                    var writable = options.ContainsKey("rw") || options.ContainsKey("readwrite");
                    if (writable)
                    {
                        views.Add(WritableView.Of(service.Mounts, host, run.Scratch()));
                        host = views[^1].Path;
                    }
                    mounts.Add(new ContainerMount { Type = MountType.Bind, Source = host, Target = target, ReadOnly = !writable });
                    break;
                }
                case "secret":
                {
                    var id = options.GetValueOrDefault("id") ?? (target != null ? Path.GetFileName(target) : null)
                             ?? throw Errors.Errors.InvalidInstruction(instruction, "a secret mount needs an id or a target");
                    target = target != null ? Absolute(instruction, target, state) : "/run/secrets/" + id;
                    if (!run.Request.Secrets.TryGetValue(id, out var file))
                    {
                        if (options.GetValueOrDefault("required") is "true" or "")
                            throw Errors.Errors.InvalidInstruction(instruction, $"the build was given no secret '{id}' (-Secret @{{ {id} = 'path' }})");
                        continue;
                    }
                    mounts.Add(new ContainerMount { Type = MountType.Bind, Source = Path.GetFullPath(file), Target = target, ReadOnly = true });
                    break;
                }
                case "tmpfs":
                    target = Absolute(instruction, target, state);
                    mounts.Add(new ContainerMount { Type = MountType.Tmpfs, Target = target });
                    break;
                default:
                    throw Errors.Errors.InvalidInstruction(instruction, $"--mount type={type} is not one of bind, cache, secret, tmpfs");
            }
        }
    }

    private static Dictionary<string, string> Options(Instruction instruction, string value)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var field in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = field.IndexOf('=');
            options[(equals < 0 ? field : field[..equals]).ToLowerInvariant()] = equals < 0 ? "" : field[(equals + 1)..];
        }
        if (options.Count == 0)
            throw Errors.Errors.InvalidInstruction(instruction, "--mount needs its options (type=..., target=...)");
        return options;
    }

    private static string Absolute(Instruction instruction, string? target, StageState state) =>
        string.IsNullOrEmpty(target)
            ? throw Errors.Errors.InvalidInstruction(instruction, "a mount needs a target")
            : ConfigInstructions.WorkingDirectory(state.Container.WorkingDir, target);
}
