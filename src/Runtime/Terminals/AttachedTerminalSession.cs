using Container.Runtime.Containers;

namespace Container.Runtime.Terminals;

/// <summary>
/// A container run on a terminal (docker run -it): keys go straight to its pty master, its
/// screen comes from its monitor (which logs it too), and its exit is the container's.
/// </summary>
internal sealed class AttachedTerminalSession(ContainerObserver observer, ContainerLifecycle lifecycle, string id, bool remove, FileStream terminal, Stream screen)
    : TerminalSession(terminal, screen)
{
    public override bool HasExited => !ContainerStateMachine.IsLive(observer.Get(id).Status);

    public override int WaitForExit() => lifecycle.Wait(id).ExitCode ?? ContainerInfo.UnknownExitCode;

    private bool disposed;

    public override void Dispose()
    {
        if (disposed)
            return;
        disposed = true;
        base.Dispose();
        if (remove)
            lifecycle.Remove(id, force: true, removeVolumes: true);
    }
}
