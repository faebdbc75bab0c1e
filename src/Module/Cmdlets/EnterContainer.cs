using System.Management.Automation;
using Container.Runtime.Terminals;

namespace Container.Module.Cmdlets;

/// <summary>
/// Enter-Container: an interactive shell in a running container, on this terminal (docker
/// exec -it ... sh). Keys go to it as typed (Ctrl+C included), the window's size follows, and
/// its exit code lands in $LASTEXITCODE.
/// </summary>
[Cmdlet(VerbsCommon.Enter, "Container", DefaultParameterSetName = ParameterSets.ByName)]
[OutputType(typeof(void))]
public sealed class EnterContainerCommand : ExecCmdlet
{
    private const int StandardInput = 0, StandardOutput = 1;

    /// <summary>What to run: a shell by default.</summary>
    [Parameter(Position = 1)]
    [ValidateNotNullOrEmpty]
    public string[] Command { get; set; } = ["/bin/sh"];

    protected override void ProcessContainer(string reference)
    {
        var size = Host.UI.RawUI.WindowSize;
        using var session = Engine.Containers.OpenTerminal(reference, SpecFor(Command), Math.Max(size.Height, 1), Math.Max(size.Width, 1));
        SetLastExitCode(TerminalRelay.Run(session, StandardInput, StandardOutput));
    }
}
