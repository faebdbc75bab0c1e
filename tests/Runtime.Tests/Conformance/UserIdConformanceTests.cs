using Container.Runtime;
using Container.Runtime.Oci;
using Xunit;
using Xunit.Abstractions;

namespace Container.Tests.Conformance;

/// <summary>
/// Ids outside 0..2147483647 in process.user, at create and at exec, refused by ours as runc
/// refuses them. crun 1.8 is left out: it runs a uid of 4294967295 ((uid_t)-1, "unchanged"
/// to setresuid) as root with the default capabilities, the bug these tests keep out of ours.
/// </summary>
[Trait("Category", "Kernel")]
public sealed class UserIdConformanceTests(ITestOutputHelper output)
{
    private const string RuncRefusal = "uids and gids must be in range 0-2147483647";

    public static TheoryData<uint, uint, uint?> OutOfRange => new()
    {
        { 4294967295, 0, null },
        { 0, 4294967295, null },
        { 0, 0, 4294967295 },
        { 2147483648, 0, null },
    };

    private static UserSpec User(uint uid, uint gid, uint? additional) =>
        new() { Uid = uid, Gid = gid, AdditionalGids = additional is { } extra ? [extra] : null };

    private void AssertRefused(string runtime, Container.Runtime.Processes.ProcessResult result)
    {
        output.WriteLine($"{runtime} ({result.ExitCode}):\n{result.StandardOutput}{result.StandardError}");
        Assert.NotEqual(0, result.ExitCode);
        Assert.DoesNotContain("uid=", result.StandardOutput); // the process never ran
        Assert.Contains(RuncRefusal, result.StandardError);
    }

    [Theory]
    [MemberData(nameof(OutOfRange))]
    public void CreateRefusesTheId(uint uid, uint gid, uint? additional)
    {
        var spec = Bundle.DefaultSpec("id");
        spec.Process!.User = User(uid, gid, additional);
        using var bundle = new Bundle(spec);
        foreach (var runtime in new[] { Oci.Ours, Oci.Runc })
            AssertRefused(runtime, bundle.Run(runtime));
    }

    [Theory]
    [MemberData(nameof(OutOfRange))]
    public void ExecRefusesTheId(uint uid, uint gid, uint? additional)
    {
        using var bundle = new Bundle(Bundle.DefaultSpec("sleep", "1000"));
        var process = Bundle.DefaultSpec("id").Process!;
        process.User = User(uid, gid, additional);
        var processFile = Path.Combine(bundle.Dir, "process.json");
        File.WriteAllBytes(processFile, Json.Serialize(process));
        foreach (var runtime in new[] { Oci.Ours, Oci.Runc })
        {
            var id = bundle.Start(runtime);
            AssertRefused(runtime, bundle.Invoke(runtime, "exec", "--process", processFile, id));
        }
    }

    [Fact]
    public void ExecRefusesAUserOptionOutOfRange()
    {
        using var bundle = new Bundle(Bundle.DefaultSpec("sleep", "1000"));
        foreach (var runtime in new[] { Oci.Ours, Oci.Runc })
        {
            var id = bundle.Start(runtime);
            AssertRefused(runtime, bundle.Invoke(runtime, "exec", "--user", "4294967295", id, "id"));
            AssertRefused(runtime, bundle.Invoke(runtime, "exec", "--user", "0:4294967295", id, "id"));
            var inRange = bundle.Invoke(runtime, "exec", "--user", "2147483647:2147483647", id, "id", "-u");
            Assert.Equal("2147483647\n", inRange.StandardOutput);
        }
    }
}
