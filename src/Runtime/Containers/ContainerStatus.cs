namespace Container.Runtime.Containers;

/// <summary>Where a container is in its life.</summary>
public enum ContainerStatus
{
    /// <summary>Made by New-Container, never started (or its command could not run).</summary>
    Created,
    /// <summary>Being started: its starter holds it, or its monitor has it and has not recorded the run yet.</summary>
    Starting,
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
    /// <summary>Its init lives, frozen or not: what is done to it is done to its processes.</summary>
    public static bool IsLive(ContainerStatus status) => status is ContainerStatus.Running or ContainerStatus.Paused;

    /// <summary>A monitor has it: it runs, or will run again (restarting); its log may grow.</summary>
    public static bool IsActive(ContainerStatus status) => IsLive(status) || status == ContainerStatus.Restarting;

    public static bool CanStart(ContainerStatus status) => status is ContainerStatus.Created or ContainerStatus.Exited;

    public static bool CanStop(ContainerStatus status) => IsActive(status);

    /// <summary>A signal reaches its init (docker kill); a restarting container has none.</summary>
    public static bool CanKill(ContainerStatus status) => IsLive(status);

    public static bool CanPause(ContainerStatus status) => status is ContainerStatus.Running;

    public static bool CanResume(ContainerStatus status) => status is ContainerStatus.Paused;

    public static bool CanExec(ContainerStatus status) => status is ContainerStatus.Running;

    /// <summary>Its processes can be listed and its cgroup sampled.</summary>
    public static bool CanInspectProcesses(ContainerStatus status) => IsLive(status);

    /// <summary>A running or paused container goes only with -Force (it is killed first); one being started, not even then.</summary>
    public static bool CanRemove(ContainerStatus status, bool force) => status is ContainerStatus.Created or ContainerStatus.Exited || force && status != ContainerStatus.Starting;

    /// <summary>Any settled container can be renamed, running or not, as with docker rename.</summary>
    public static bool CanRename(ContainerStatus status) => status != ContainerStatus.Starting;
}
