using Container.Runtime.Oci;
using Container.Tests.Fixtures;
using Xunit;
using Xunit.Abstractions;

namespace Container.Tests.Conformance;

/// <summary>The default seccomp profile under ours, runc and crun: the same answers to the same real system calls.</summary>
[Trait("Category", "Kernel")]
public sealed class DefaultSeccompConformanceTests(ITestOutputHelper output)
{
    [Fact]
    public void TheProfileAnswersAlikeUnderEveryRuntime()
    {
        string[] calls = ["getrandom", "arc4random", "fork", "unknown", "fchmodat2", "io_uring_setup", "kexec_load", "clone-user",
            "socket-unix", "socket-alg", "socket-vsock", "unshare-user"];
        var spec = Bundle.DefaultSpec(["/probe/" + SyscallProbe.FileName, .. calls]);
        spec.Mounts.Add(new MountSpec { Destination = "/probe", Type = "bind", Source = SyscallProbe.Directory, Options = ["bind", "ro"] });
        spec.Linux.Seccomp = DefaultSeccompProfile.For(SecurityDefaults.Capabilities);
        using var bundle = new Bundle(spec);
        var answers = new Dictionary<string, string>();
        foreach (var runtime in (string[])[Oci.Ours, .. Oci.Peers])
        {
            var result = bundle.Run(runtime);
            output.WriteLine($"{runtime} ({result.ExitCode}):\n{result.StandardOutput}{result.StandardError}");
            Assert.Equal(0, result.ExitCode);
            answers[runtime] = result.StandardOutput;
        }
        foreach (var peer in Oci.Peers)
            Assert.Equal(answers[peer], answers[Oci.Ours]);
        var ours = SyscallProbe.Parse(answers[Oci.Ours]);
        Assert.Equal("ok", ours["getrandom"]);
        Assert.Equal("ok", ours["arc4random"]);
        Assert.Equal("ENOSYS", ours["unknown"]);
        Assert.Equal("EPERM", ours["io_uring_setup"]);
        Assert.Equal("EPERM", ours["unshare-user"]);
    }
}
