using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using Container.Runtime;

namespace Container.Module.Completers;

/// <summary>Tab completion of container names.</summary>
public sealed class ContainerNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters) =>
        Completion.Complete(wordToComplete, () => ContainerEngine.FromEnvironment().Containers.List().Select(c => (c.Name, $"{c.Name} ({c.StatusText})")));
}

/// <summary>Tab completion of image names.</summary>
public sealed class ImageNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters) =>
        Completion.Complete(wordToComplete, () => ContainerEngine.FromEnvironment().Images.List()
            .Where(i => i.Reference != null).Select(i => (i.ToString(), $"{i} ({i.ShortId})")));
}

/// <summary>Tab completion of the OCI runtimes a container can run under.</summary>
public sealed class RuntimeNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters) =>
        Completion.Complete(wordToComplete, () => new[] { "container-runtime", "crun", "runc" }.Select(r => (r, r)));
}

/// <summary>Tab completion of restart policies (on-failure takes ":N" after it).</summary>
public sealed class RestartPolicyCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters) =>
        Completion.Complete(wordToComplete, () => new[] { "no", "on-failure", "always", "unless-stopped" }.Select(r => (r, r)));
}

/// <summary>Tab completion of signal names.</summary>
public sealed class SignalCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters) =>
        Completion.Complete(wordToComplete, () => Runtime.Linux.Signals.Names.Select(s => (s, s)));
}

/// <summary>Tab completion of network names.</summary>
public sealed class NetworkNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters) =>
        Completion.Complete(wordToComplete, () => ContainerEngine.FromEnvironment().Networks.List().Select(n => (n.Name, $"{n.Name} ({n.Subnet})")));
}

/// <summary>Tab completion of -Network: the modes, the networks, and container: with each container's name.</summary>
public sealed class NetworkModeCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters) =>
        Completion.Complete(wordToComplete, () =>
        {
            var engine = ContainerEngine.FromEnvironment();
            return new[] { ("none", "loopback only"), ("host", "the host's network") }
                .Concat(engine.Networks.List().Select(n => (n.Name, $"{n.Name} ({n.Subnet})")))
                .Concat(engine.Containers.List().Select(c => ($"container:{c.Name}", $"the network of {c.Name}")));
        });
}

/// <summary>Tab completion of -Ipc and -Pid: private, host, and container: with each container's name.</summary>
public sealed class NamespaceModeCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters) =>
        Completion.Complete(wordToComplete, () =>
            new[] { ("private", "a namespace of its own"), ("host", "the host's") }
                .Concat(ContainerEngine.FromEnvironment().Containers.List().Select(c => ($"container:{c.Name}", $"the namespace of {c.Name}"))));
}

internal static class Completion
{
    public static IEnumerable<CompletionResult> Complete(string word, Func<IEnumerable<(string Text, string Tooltip)>> candidates)
    {
        IEnumerable<(string Text, string Tooltip)> all;
        try
        {
            all = candidates();
        }
        catch (Exception)
        {
            return []; // completion must never throw at the prompt (no store yet, no permission)
        }
        var prefix = word.Trim('\'', '"');
        return all.Where(c => c.Text.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            .OrderBy(c => c.Text, StringComparer.Ordinal)
            .Select(c => new CompletionResult(c.Text, c.Text, CompletionResultType.ParameterValue, c.Tooltip));
    }
}

/// <summary>Tab completion of volume names.</summary>
public sealed class VolumeNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters) =>
        Completion.Complete(wordToComplete, () => ContainerEngine.FromEnvironment().Volumes.List()
            .Select(v => (v.Name, v.UsedBy.Count > 0 ? $"{v.Name} (used by {string.Join(", ", v.UsedBy)})" : v.Name)));
}
