using Xunit;
using Container.Runtime.Containers;
using Container.Runtime.Linux;

namespace Container.Tests.Networks;

/// <summary>
/// The crash matrix of a bridge container with a published port, on the real driver and
/// monitor in a network namespace that plays the host: however its run ends (removed, stopped,
/// its monitor or its init killed, the host rebooted), once the monitor or the next command
/// has cleaned after it nothing is left: no veth, no bridge port, no rule with its id, no
/// held port, no namespace mount; once it is removed, no lease either.
/// </summary>
[Trait("Category", "Kernel")]
public sealed class KernelCrashTests
{
    private const int Port = 8080;

    [SkippableFact]
    public void A_running_container_removed_with_force_leaves_nothing()
    {
        using var host = KernelEngineHost.Create();
        var web = host.StartPublished("web", Port);

        host.Containers.Remove(web.Id, force: true);

        host.AssertNothingLeft(web.Id, Port);
        host.AssertNoLease(web.Id);
    }

    [SkippableFact]
    public void A_stopped_container_leaves_only_its_lease_until_it_is_removed()
    {
        using var host = KernelEngineHost.Create();
        var web = host.StartPublished("web", Port);

        host.Containers.Stop(web.Id, TimeSpan.FromSeconds(10));

        host.AssertNothingLeft(web.Id, Port);
        Assert.True(host.HasLease(web.Id), "a stopped container keeps its address until it is removed");
        host.Containers.Remove(web.Id, force: false);
        host.AssertNoLease(web.Id);
    }

    [SkippableFact]
    public void A_run_whose_monitor_was_killed_is_cleaned_by_the_next_command()
    {
        using var host = KernelEngineHost.Create();
        var web = host.StartPublished("web", Port);

        host.KillMonitor(web);
        // its init runs on, unwatched: the next command kills it and cleans what the monitor would have
        Assert.Equal(ContainerStatus.Exited, host.Containers.Stop(web.Id, TimeSpan.FromSeconds(10)).Status);

        host.AssertNothingLeft(web.Id, Port);
        host.Containers.Remove(web.Id, force: false);
        host.AssertNoLease(web.Id);
    }

    [SkippableFact]
    public void A_run_whose_monitor_was_killed_is_cleaned_by_its_removal()
    {
        using var host = KernelEngineHost.Create();
        var web = host.StartPublished("web", Port);

        host.KillMonitor(web);
        host.Containers.Remove(web.Id, force: true);

        host.AssertNothingLeft(web.Id, Port);
        host.AssertNoLease(web.Id);
    }

    [SkippableFact]
    public void A_run_whose_init_was_killed_is_torn_down_by_its_monitor()
    {
        using var host = KernelEngineHost.Create();
        var web = host.StartPublished("web", Port);

        Libc.Kill(host.RunRecordOf(web).Pid, 9);
        host.WaitUntil(() => host.Containers.Get(web.Id).Status == ContainerStatus.Exited && !host.IsMonitorActive(web.Id),
            "the monitor to record the killed init's end");

        // no command since: the monitor's teardown alone
        host.AssertNothingLeft(web.Id, Port);
        host.Containers.Remove(web.Id, force: false);
        host.AssertNoLease(web.Id);
    }

    [SkippableFact]
    public void What_a_reboot_left_is_cleaned_by_the_next_command_and_the_container_runs_again()
    {
        using var host = KernelEngineHost.Create();
        var web = host.StartPublished("web", Port);

        host.Reboot(web);
        Assert.Equal(ContainerStatus.Exited, host.Containers.Get(web.Id).Status);
        // the run root gone, the kernel's objects of the host still there (a reboot in a netns that plays the host)
        Assert.Contains(web.Id, host.Kernel.Host.Exec("nft", "list", "ruleset").StandardOutput);

        host.Containers.Stop(web.Id, TimeSpan.FromSeconds(10));
        host.AssertNothingLeft(web.Id, Port);

        host.Containers.Start(web.Id);
        Assert.Contains("web", host.Get(Port));
        host.Containers.Remove(web.Id, force: true);
        host.AssertNothingLeft(web.Id, Port);
        host.AssertNoLease(web.Id);
    }

    [SkippableFact]
    public void After_a_reboot_the_container_starts_again_at_once_over_what_was_left()
    {
        using var host = KernelEngineHost.Create();
        var web = host.StartPublished("web", Port);
        host.Reboot(web);

        host.Containers.Start(web.Id);

        Assert.Contains("web", host.Get(Port));
        host.Containers.Remove(web.Id, force: true);
        host.AssertNothingLeft(web.Id, Port);
        host.AssertNoLease(web.Id);
    }
}
