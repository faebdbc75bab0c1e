namespace Container.Runtime.Linux;

/// <summary>Signal names as kill(1) and docker take them: "TERM", "SIGTERM" or a number.</summary>
public static class Signals
{
    /// <summary>Linux's signals, numbered from 1 (x86-64 and arm64 share them).</summary>
    public static readonly IReadOnlyList<string> Names =
    [
        "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS", "SIGFPE", "SIGKILL", "SIGUSR1", "SIGSEGV",
        "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM", "SIGSTKFLT", "SIGCHLD", "SIGCONT", "SIGSTOP", "SIGTSTP", "SIGTTIN",
        "SIGTTOU", "SIGURG", "SIGXCPU", "SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGIO", "SIGPWR", "SIGSYS",
    ];

    /// <summary>"SIGTERM" for "term", "SIGTERM" or "15"; a real-time signal stays a number.</summary>
    public static string Normalize(string signal)
    {
        var text = signal.Trim().ToUpperInvariant();
        if (int.TryParse(text, out var number))
            return number >= 1 && number <= Names.Count ? Names[number - 1] : number is >= 32 and <= 64 ? text : throw Invalid(signal);
        var name = text.StartsWith("SIG", StringComparison.Ordinal) ? text : "SIG" + text;
        return Names.Contains(name) ? name : throw Invalid(signal);
    }

    private static Errors.ContainerException Invalid(string signal) =>
        Errors.Errors.InvalidArgument("InvalidSignal", $"'{signal}' is not a signal: give a name (TERM, SIGKILL) or a number.", signal);
}
