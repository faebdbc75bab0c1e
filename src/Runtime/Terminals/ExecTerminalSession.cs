using System.Diagnostics;

namespace Container.Runtime.Terminals;

/// <summary>A process exec'd with a terminal (docker exec -it): the runtime's exec stays with it, and ends with it.</summary>
internal sealed class ExecTerminalSession(Process runtime, FileStream terminal, string processFile) : TerminalSession(terminal, terminal)
{
    public override bool HasExited => runtime.HasExited;

    public override int WaitForExit()
    {
        runtime.WaitForExit();
        return runtime.ExitCode;
    }

    public override void Dispose()
    {
        if (!runtime.HasExited)
            runtime.Kill();
        runtime.Dispose();
        Terminal.Dispose();
        File.Delete(processFile);
        GC.SuppressFinalize(this);
    }
}
