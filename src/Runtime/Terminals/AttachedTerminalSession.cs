using Container.Runtime.Containers;

namespace Container.Runtime.Terminals;

/// <summary>
/// A container run on a terminal (docker run -it): keys go straight to its pty master, its
/// screen comes from its monitor (which logs it too), and its exit is the container's.
/// </summary>
internal sealed class AttachedTerminalSession(ContainerService containers, string id, bool remove, FileStream terminal, Stream screen)
    : TerminalSession(terminal, screen)
{
    public override bool HasExited => containers.Get(id).Status is not (ContainerStatus.Running or ContainerStatus.Paused);

    public override int WaitForExit() => containers.Wait(id).ExitCode ?? ContainerInfo.UnknownExitCode;

    private bool disposed;

    public override void Dispose()
    {
        if (disposed)
            return;
        disposed = true;
        base.Dispose();
        if (remove)
            containers.Remove(id, force: true);
    }
}
