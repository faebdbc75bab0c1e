namespace Container.Runtime.Build.Parsing;

/// <summary>
/// A Dockerfile as docker's parser reads it: its parser directives and its instructions, each
/// with the line it starts on. Nothing is expanded here: variables are substituted per step,
/// when the build knows each ARG's and ENV's value.
/// </summary>
public sealed record Dockerfile
{
    public required IReadOnlyList<Instruction> Instructions { get; init; }

    /// <summary>The escape character: <c>\</c>, or <c>`</c> from a <c># escape=`</c> directive.</summary>
    public char EscapeToken { get; init; } = '\\';

    /// <summary>A <c># syntax=</c> directive's frontend image, if any (read, and otherwise ignored, as buildah does).</summary>
    public string? Syntax { get; init; }
}

/// <summary>One instruction: its keyword, flags, arguments (shell or exec form) and heredocs.</summary>
public sealed record Instruction
{
    /// <summary>Upper case: FROM, RUN, COPY...</summary>
    public required string Keyword { get; init; }

    /// <summary>The 1-based line the instruction starts on.</summary>
    public required int Line { get; init; }

    /// <summary>The instruction as written, its continuation lines joined (comments inside dropped): for messages.</summary>
    public required string Original { get; init; }

    /// <summary>The <c>--name=value</c> flags before the arguments, in the order written (<c>--mount</c> may repeat); a bare <c>--link</c> has a null value.</summary>
    public IReadOnlyList<InstructionFlag> Flags { get; init; } = [];

    /// <summary>The arguments after the flags, as written (continuations joined, nothing expanded or unquoted).</summary>
    public string Arguments { get; init; } = "";

    /// <summary>The exec form's words, when the arguments are a JSON array of strings (RUN, CMD, ENTRYPOINT, SHELL, COPY, ADD, VOLUME, HEALTHCHECK CMD); else null.</summary>
    public IReadOnlyList<string>? Exec { get; init; }

    /// <summary>The heredocs the instruction opens (<c>RUN &lt;&lt;EOF</c>, <c>COPY &lt;&lt;EOF /dst</c>), in order.</summary>
    public IReadOnlyList<Heredoc> Heredocs { get; init; } = [];

    /// <summary>ONBUILD's trigger, parsed as the instruction it is (with its own flags, exec form and heredocs); else null.</summary>
    public Instruction? Trigger { get; init; }

    /// <summary>The first value of a flag (null when absent, or given bare).</summary>
    public string? Flag(string name) => Flags.FirstOrDefault(f => f.Name == name)?.Value;

    /// <summary>Whether a flag is given, with or without a value.</summary>
    public bool HasFlag(string name) => Flags.Any(f => f.Name == name);

    /// <summary>Whether a switch is on: given bare or =true (the parser allows no other values).</summary>
    public bool IsOn(string name) => Flags.Any(f => f.Name == name && (f.Value == null || f.Value.Equals("true", StringComparison.OrdinalIgnoreCase)));
}

public sealed record InstructionFlag(string Name, string? Value);

/// <summary>
/// A heredoc's body. Expand is false when its delimiter was quoted (<c>&lt;&lt;'EOF'</c>):
/// docker then substitutes no variables in it. StripTabs: <c>&lt;&lt;-EOF</c>, leading tabs
/// already removed from Content.
/// </summary>
public sealed record Heredoc(string Name, string Content, bool Expand, bool StripTabs);
