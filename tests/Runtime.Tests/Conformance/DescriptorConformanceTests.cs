using System.Diagnostics;
using Xunit;

namespace Container.Tests.Conformance;

/// <summary>
/// A descriptor handed to `create` past stdio (and past --preserve-fds) reaches neither the
/// runtime's leftovers nor the container's init, which waits for start: under ours as under
/// runc, whose init gets only the files it is given.
/// </summary>
[Trait("Category", "Kernel")]
public sealed class DescriptorConformanceTests
{
    [Theory]
    [InlineData(Oci.Ours)]
    [InlineData(Oci.Runc)]
    public async Task APipeHandedToCreateEndsWithCreate(string runtime)
    {
        using var bundle = new Bundle(Bundle.DefaultSpec("sleep", "1000"));
        var id = bundle.NewId(runtime);
        var log = Path.Combine(bundle.StateRoot, $"{id}.stderr");
        // fd 3 is the pipe we read; the container's stdio is /dev/null and a file of its own
        var info = new ProcessStartInfo("sh", ["-c", "log=$1; shift; exec 3>&1 </dev/null >/dev/null 2>\"$log\"; exec \"$@\"", "sh", log,
            .. Oci.Command(runtime), "--root", bundle.StateRoot, "create", "--bundle", bundle.Dir, id])
        {
            RedirectStandardOutput = true,
        };
        using var create = Process.Start(info)!;
        var reading = create.StandardOutput.ReadToEndAsync();
        var ended = await Task.WhenAny(reading, Task.Delay(TimeSpan.FromSeconds(180)));
        await create.WaitForExitAsync();
        Assert.True(create.ExitCode == 0, File.ReadAllText(log));
        Assert.True(ended == reading, $"{runtime}: the pipe's reader saw no end: the created container holds the pipe");
        Assert.Contains("\"created\"", bundle.Invoke(runtime, "state", id).StandardOutput);
    }
}
