using System.Collections;
using System.Management.Automation;
using Container.Runtime.Containers;
using Container.Runtime.Terminals;

namespace Container.Module.Cmdlets;

/// <summary>
/// Enter-Container: an interactive shell in a running container, on this terminal (docker
/// exec -it ... sh). Keys go to it as typed (Ctrl+C included), the window's size follows, and
/// its exit code lands in $LASTEXITCODE.
/// </summary>
[Cmdlet(VerbsCommon.Enter, "Container", DefaultParameterSetName = ParameterSets.ByName)]
[OutputType(typeof(void))]
public sealed class EnterContainerCommand : ContainerTargetCmdlet
{
    private const int StandardInput = 0, StandardOutput = 1;

    /// <summary>What to run: a shell by default.</summary>
    [Parameter(Position = 1)]
    [ValidateNotNullOrEmpty]
    public string[] Command { get; set; } = ["/bin/sh"];

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? User { get; set; }

    [Parameter]
    public Hashtable? Environment { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? WorkingDirectory { get; set; }

    protected override void ProcessContainer(string id)
    {
        var size = Host.UI.RawUI.WindowSize;
        using var session = Engine.Containers.OpenTerminal(id, new ExecSpec
        {
            Command = Command,
            User = User,
            Environment = HashtableConversion.ToDictionary(Environment),
            WorkingDirectory = WorkingDirectory,
        }, Math.Max(size.Height, 1), Math.Max(size.Width, 1));
        SetLastExitCode(TerminalRelay.Run(session, StandardInput, StandardOutput));
    }
}
