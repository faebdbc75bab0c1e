using Container.Runtime.Containers;
using Container.Tests.Fixtures;
using Xunit;

namespace Container.Tests.Containers;

/// <summary>
/// The default seccomp profile as a container's process meets it: real system calls, made by
/// a static probe copied into the container. What programs need works (getrandom, which
/// glibc's arc4random aborts without); a call the profile does not know fails with ENOSYS, so
/// a libc falls back; what it refuses (io_uring, kexec, namespaces without CAP_SYS_ADMIN,
/// AF_ALG and vsock sockets) fails with EPERM.
/// </summary>
[Trait("Category", "Kernel")]
public sealed class SeccompProfileTests : IDisposable
{
    private readonly TestStore store = new();

    public void Dispose() => store.Dispose();

    private Dictionary<string, string> Probe(IReadOnlyList<string>? capAdd, params string[] calls)
    {
        store.Containers.Create(new ContainerSpec
        {
            Image = TestStore.Image, Name = "probe", CapAdd = capAdd, Command = ["/" + SyscallProbe.FileName, .. calls],
        });
        store.Containers.CopyToContainer("probe", SyscallProbe.Path, "/");
        store.Containers.Start("probe");
        var exited = store.Containers.Wait("probe", TimeSpan.FromSeconds(30));
        var output = store.Output("probe");
        Assert.True(exited.ExitCode == 0, $"the probe failed ({exited.ExitCode}): {output}");
        var answers = SyscallProbe.Parse(output);
        Assert.Equal(calls, answers.Keys);
        return answers;
    }

    [Fact]
    public void WhatProgramsNeedWorks()
    {
        foreach (var (call, answer) in Probe(null, "getrandom", "arc4random", "fork", "socket-unix"))
            Assert.True(answer == "ok", $"{call}: {answer}");
    }

    [Fact]
    public void ACallTheProfileDoesNotKnowFailsWithENOSYS()
    {
        var answers = Probe(null, "unknown", "fchmodat2", "mseal");
        Assert.Equal("ENOSYS", answers["unknown"]);
        // allowed where libseccomp can name them (then the kernel answers: EINVAL for fchmodat2's bad flags), else unknown
        Assert.Contains(answers["fchmodat2"], new[] { "EINVAL", "ENOSYS" });
        Assert.Contains(answers["mseal"], new[] { "ok", "ENOSYS" });
    }

    [Fact]
    public void WhatTheProfileRefusesFailsWithEPERM()
    {
        // clone-user before unshare-user: a process in a user namespace of its own may clone another
        var calls = new[] { "io_uring_setup", "kexec_load", "clone-user", "socket-alg", "socket-vsock", "unshare-user" };
        foreach (var (call, answer) in Probe(null, calls))
            Assert.True(answer == "EPERM", $"{call}: {answer}");
    }

    [Fact]
    public void CapSysAdminOpensNamespacesButNotIoUring()
    {
        var answers = Probe(["SYS_ADMIN"], "clone-user", "io_uring_setup", "unshare-user");
        Assert.Equal("ok", answers["clone-user"]);
        Assert.Equal("ok", answers["unshare-user"]);
        Assert.Equal("EPERM", answers["io_uring_setup"]);
    }
}
