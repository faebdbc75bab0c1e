using System.Globalization;
using Container.Runtime.Build.Parsing;
using Container.Runtime.Images;

namespace Container.Runtime.Build;

/// <summary>
/// The instructions that change only the image's config (ENV, LABEL, WORKDIR, USER, EXPOSE,
/// VOLUME, CMD, ENTRYPOINT, SHELL, STOPSIGNAL, HEALTHCHECK, ONBUILD, MAINTAINER), as docker
/// applies them: each returns the step as its history (and cache key) writes it, expanded.
/// </summary>
internal static class ConfigInstructions
{
    public static bool Handles(string keyword) => keyword is "ENV" or "LABEL" or "MAINTAINER" or "WORKDIR" or "USER" or "EXPOSE" or "VOLUME"
        or "CMD" or "ENTRYPOINT" or "SHELL" or "STOPSIGNAL" or "HEALTHCHECK" or "ONBUILD";

    public static string Apply(StageState state, Instruction instruction, ShellLexer lexer)
    {
        var config = state.Container;
        switch (instruction.Keyword)
        {
            case "ENV":
            {
                var pairs = KeyValueArguments.Parse(instruction, lexer, state.Lookup);
                foreach (var (name, value) in pairs)
                    state.SetEnvironment(name, value);
                return "ENV " + string.Join(' ', pairs.Select(p => $"{p.Key}={p.Value}"));
            }
            case "LABEL":
            {
                var pairs = KeyValueArguments.Parse(instruction, lexer, state.Lookup);
                config.Labels ??= [];
                foreach (var (name, value) in pairs)
                    config.Labels[name] = value;
                return "LABEL " + string.Join(' ', pairs.Select(p => $"{p.Key}={p.Value}"));
            }
            case "MAINTAINER":
                state.Config.Author = instruction.Arguments.Trim();
                return "MAINTAINER " + state.Config.Author;
            case "WORKDIR":
                config.WorkingDir = WorkingDirectory(config.WorkingDir, lexer.ProcessWord(instruction.Arguments.Trim(), state.Lookup));
                return "WORKDIR " + config.WorkingDir;
            case "USER":
                config.User = lexer.ProcessWord(instruction.Arguments.Trim(), state.Lookup);
                return "USER " + config.User;
            case "EXPOSE":
            {
                var ports = lexer.ProcessWords(instruction.Arguments, state.Lookup).SelectMany(p => ExposedPorts(instruction, p)).ToList();
                config.ExposedPorts ??= [];
                foreach (var port in ports)
                    config.ExposedPorts[port] = new Dictionary<string, object>();
                return "EXPOSE " + string.Join(' ', ports);
            }
            case "VOLUME":
            {
                var paths = instruction.Exec?.Select(p => lexer.ProcessWord(p, state.Lookup)).ToList()
                            ?? lexer.ProcessWords(instruction.Arguments, state.Lookup).ToList();
                if (paths.Count == 0 || paths.Any(p => p.Length == 0))
                    throw Errors.Errors.InvalidInstruction(instruction, "VOLUME needs a path");
                config.Volumes ??= [];
                foreach (var path in paths)
                    config.Volumes[path] = new Dictionary<string, object>();
                return "VOLUME [" + string.Join(' ', paths) + "]";
            }
            case "CMD":
                config.Cmd = Command(state, instruction);
                state.CmdFromBase = false;
                return "CMD " + Json.SerializeToString(config.Cmd);
            case "ENTRYPOINT":
                config.Entrypoint = Command(state, instruction);
                // a CMD the base image had is no argument list for another entrypoint
                if (state.CmdFromBase)
                    config.Cmd = null;
                return "ENTRYPOINT " + Json.SerializeToString(config.Entrypoint);
            case "SHELL":
                config.Shell = instruction.Exec is { Count: > 0 } shell
                    ? [.. shell]
                    : throw Errors.Errors.InvalidInstruction(instruction, "SHELL takes its command in JSON form, as [\"executable\", \"parameters\"]");
                return "SHELL " + Json.SerializeToString(config.Shell);
            case "STOPSIGNAL":
                config.StopSignal = lexer.ProcessWord(instruction.Arguments.Trim(), state.Lookup);
                return "STOPSIGNAL " + config.StopSignal;
            case "HEALTHCHECK":
                config.Healthcheck = Healthcheck(state, instruction);
                return "HEALTHCHECK " + Json.SerializeToString(config.Healthcheck.Test);
            case "ONBUILD":
            {
                var trigger = instruction.Arguments.Trim();
                var keyword = trigger.Split(' ', 2)[0].ToUpperInvariant();
                if (keyword is "ONBUILD" or "FROM" or "MAINTAINER" || trigger.Length == 0)
                    throw Errors.Errors.InvalidInstruction(instruction, $"ONBUILD cannot trigger {(trigger.Length == 0 ? "nothing" : keyword)}");
                (config.OnBuild ??= []).Add(trigger);
                return "ONBUILD " + trigger;
            }
            default:
                throw new ArgumentException($"{instruction.Keyword} is not a config instruction", nameof(instruction));
        }
    }

    /// <summary>CMD's and ENTRYPOINT's command: the exec form as written (nothing expanded), the shell form run by the stage's shell.</summary>
    internal static List<string> Command(StageState state, Instruction instruction) =>
        instruction.Exec?.ToList() ?? [.. state.Shell, instruction.Arguments.Trim()];

    internal static string WorkingDirectory(string? current, string path)
    {
        if (path.Length == 0)
            throw new ArgumentException("empty WORKDIR", nameof(path));
        var combined = path.StartsWith('/') ? path : $"{(string.IsNullOrEmpty(current) ? "/" : current)}/{path}";
        var parts = new List<string>();
        foreach (var part in combined.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == "..")
            {
                if (parts.Count > 0)
                    parts.RemoveAt(parts.Count - 1);
            }
            else if (part != ".")
                parts.Add(part);
        }
        return "/" + string.Join('/', parts);
    }

    /// <summary>An EXPOSE word as the config keys it: port/protocol, a range one key per port.</summary>
    private static IEnumerable<string> ExposedPorts(Instruction instruction, string word)
    {
        var slash = word.IndexOf('/');
        var protocol = slash < 0 ? "tcp" : word[(slash + 1)..].ToLowerInvariant();
        var ports = slash < 0 ? word : word[..slash];
        var dash = ports.IndexOf('-');
        if (protocol is not ("tcp" or "udp" or "sctp")
            || !ushort.TryParse(dash < 0 ? ports : ports[..dash], NumberStyles.None, CultureInfo.InvariantCulture, out var first)
            || !ushort.TryParse(dash < 0 ? ports : ports[(dash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var last)
            || first == 0 || last < first)
            throw Errors.Errors.InvalidInstruction(instruction, $"'{word}' is not a port, a port range or either with /tcp, /udp or /sctp");
        return Enumerable.Range(first, last - first + 1).Select(p => $"{p}/{protocol}");
    }

    private static HealthcheckConfig Healthcheck(StageState state, Instruction instruction)
    {
        var arguments = instruction.Arguments.Trim();
        if (arguments.Equals("NONE", StringComparison.OrdinalIgnoreCase))
            return new HealthcheckConfig { Test = ["NONE"] };
        var words = arguments.Split((char[])[' ', '\t'], 2, StringSplitOptions.RemoveEmptyEntries);
        if (words.Length < 2 || !words[0].Equals("CMD", StringComparison.OrdinalIgnoreCase))
            throw Errors.Errors.InvalidInstruction(instruction, "HEALTHCHECK takes NONE, or CMD and a command");
        var command = ExecForm.TryParse(words[1], instruction.Line);
        return new HealthcheckConfig
        {
            Test = command != null ? ["CMD", .. command] : ["CMD-SHELL", words[1].Trim()],
            Interval = Nanoseconds(instruction, "interval"),
            Timeout = Nanoseconds(instruction, "timeout"),
            StartPeriod = Nanoseconds(instruction, "start-period"),
            Retries = instruction.Flag("retries") is { } retries
                ? int.TryParse(retries, NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count > 0
                    ? count
                    : throw Errors.Errors.InvalidInstruction(instruction, $"--retries={retries} is not a positive count")
                : null,
        };
    }

    private static long? Nanoseconds(Instruction instruction, string flag)
    {
        if (instruction.Flag(flag) is not { } text)
            return null;
        if (!Text.HumanDuration.TryParse(text, out var duration) || duration <= TimeSpan.Zero)
            throw Errors.Errors.InvalidInstruction(instruction, $"--{flag}={text} is not a duration (as 30s, 1m30s)");
        return duration.Ticks * 100;
    }
}
