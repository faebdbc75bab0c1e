namespace Container.Runtime.Containers;

/// <summary>Where a container is in its life.</summary>
public enum ContainerStatus
{
    /// <summary>Made by New-Container, never started.</summary>
    Created,
    Running,
    Paused,
    /// <summary>Exited, and its monitor will start it again (restart policy, in back-off).</summary>
    Restarting,
    /// <summary>Its last run ended (the record says how, when it could be known).</summary>
    Exited,
}

/// <summary>
/// The state machine: every operation asks its guard before it acts, so the rules
/// live in one place.
/// </summary>
public static class ContainerStateMachine
{
    public static bool CanStart(ContainerStatus status) => status is ContainerStatus.Created or ContainerStatus.Exited;

    public static bool CanStop(ContainerStatus status) => status is ContainerStatus.Running or ContainerStatus.Paused or ContainerStatus.Restarting;

    public static bool CanPause(ContainerStatus status) => status is ContainerStatus.Running;

    public static bool CanResume(ContainerStatus status) => status is ContainerStatus.Paused;

    public static bool CanExec(ContainerStatus status) => status is ContainerStatus.Running;

    /// <summary>A running or paused container goes only with -Force (it is killed first).</summary>
    public static bool CanRemove(ContainerStatus status, bool force) => force || status is ContainerStatus.Created or ContainerStatus.Exited;

    public static bool CanRename(ContainerStatus status) => true;
}
