namespace Container.Runtime.Build.Parsing;

/// <summary>
/// The instructions docker knows, and the flags each takes (buildkit's instructions package):
/// a flag is a switch (<c>--link</c>, <c>--link=false</c>), takes one value, or may repeat.
/// </summary>
internal static class DockerfileKeywords
{
    public enum FlagKind { Switch, Value, Repeated }

    private static readonly Dictionary<string, FlagKind> None = [];

    private static readonly Dictionary<string, Dictionary<string, FlagKind>> FlagsByKeyword = new(StringComparer.Ordinal)
    {
        ["ADD"] = new()
        {
            ["chown"] = FlagKind.Value, ["chmod"] = FlagKind.Value, ["link"] = FlagKind.Switch,
            ["keep-git-dir"] = FlagKind.Switch, ["checksum"] = FlagKind.Value, ["unpack"] = FlagKind.Switch,
            ["exclude"] = FlagKind.Repeated,
        },
        ["ARG"] = None,
        ["CMD"] = None,
        ["COPY"] = new()
        {
            ["chown"] = FlagKind.Value, ["from"] = FlagKind.Value, ["chmod"] = FlagKind.Value,
            ["link"] = FlagKind.Switch, ["exclude"] = FlagKind.Repeated, ["parents"] = FlagKind.Switch,
        },
        ["ENTRYPOINT"] = None,
        ["ENV"] = None,
        ["EXPOSE"] = None,
        ["FROM"] = new() { ["platform"] = FlagKind.Value },
        ["HEALTHCHECK"] = new()
        {
            ["interval"] = FlagKind.Value, ["timeout"] = FlagKind.Value, ["start-period"] = FlagKind.Value,
            ["start-interval"] = FlagKind.Value, ["retries"] = FlagKind.Value,
        },
        ["LABEL"] = None,
        ["MAINTAINER"] = None,
        ["ONBUILD"] = None,
        ["RUN"] = new()
        {
            ["mount"] = FlagKind.Repeated, ["network"] = FlagKind.Value, ["security"] = FlagKind.Value,
            ["device"] = FlagKind.Repeated,
        },
        ["SHELL"] = None,
        ["STOPSIGNAL"] = None,
        ["USER"] = None,
        ["VOLUME"] = None,
        ["WORKDIR"] = None,
    };

    public static bool IsKnown(string keyword) => FlagsByKeyword.ContainsKey(keyword);

    /// <summary>Instructions whose arguments may be the exec form (HEALTHCHECK's after its CMD).</summary>
    public static bool TakesExecForm(string keyword) =>
        keyword is "RUN" or "CMD" or "ENTRYPOINT" or "SHELL" or "COPY" or "ADD" or "VOLUME" or "HEALTHCHECK";

    /// <summary>Instructions that may open heredocs, as buildkit allows.</summary>
    public static bool TakesHeredocs(string keyword) => keyword is "RUN" or "COPY" or "ADD";

    /// <summary>The flags as buildkit checks them; throws, naming the line, on the first that is wrong.</summary>
    public static IReadOnlyList<InstructionFlag> ReadFlags(string keyword, IReadOnlyList<string> written, int line)
    {
        var known = FlagsByKeyword[keyword];
        var flags = new List<InstructionFlag>();
        foreach (var text in written)
        {
            var equals = text.IndexOf('=');
            var name = equals < 0 ? text[2..] : text[2..equals];
            var value = equals < 0 ? null : text[(equals + 1)..];
            if (name.Length == 0)
                throw Errors.Errors.DockerfileParse(line, $"malformed flag '{text}' of {keyword}: it has no name");
            if (!known.TryGetValue(name, out var kind))
                throw Errors.Errors.DockerfileParse(line, $"unknown flag --{name} for {keyword}");
            if (kind != FlagKind.Repeated && flags.Any(f => f.Name == name))
                throw Errors.Errors.DockerfileParse(line, $"duplicate flag specified: --{name}");
            if (kind == FlagKind.Switch && value is not null && value.ToLowerInvariant() is not ("true" or "false"))
                throw Errors.Errors.DockerfileParse(line,
                    value.Length == 0 ? $"missing a value on flag: --{name}" : $"expecting boolean value for flag --{name}, not: {value}");
            if (kind != FlagKind.Switch && value is null)
                throw Errors.Errors.DockerfileParse(line, $"missing a value on flag: --{name}");
            flags.Add(new InstructionFlag(name, value));
        }

        return flags;
    }
}
