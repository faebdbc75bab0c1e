using Container.Runtime.Logs;

namespace Container.Runtime.Build;

/// <summary>What a build tells as it goes: the module turns it into progress, information and verbose records.</summary>
public interface IBuildLog
{
    /// <summary>A step begins (or is taken from the cache).</summary>
    void Step(BuildStepReport step);

    /// <summary>A line a RUN step's command wrote.</summary>
    void Output(LogStream stream, string line);

    /// <summary>Detail for -Verbose: why a step ran again, what the cache held.</summary>
    void Note(string message);
}

/// <summary>
/// One step of the build: its number among all the build runs, its stage and instruction, and,
/// for a step that makes a layer, its cache key (null when a step before it runs again: it
/// depends on what that one makes), whether the cache had it, and if not, why not.
/// </summary>
public sealed record BuildStepReport(int Number, int Count, string Stage, string Instruction, int Line, bool Cached, string? Key = null, string? Reason = null)
{
    public bool MakesLayer => Instruction.Split(' ', 2)[0].ToUpperInvariant() is "RUN" or "COPY" or "ADD";
}
