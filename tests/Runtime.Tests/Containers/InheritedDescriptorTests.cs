using System.Diagnostics;
using System.Text.Json;
using Container.Runtime.Containers;
using Container.Tests.Fixtures;
using Xunit;

namespace Container.Tests.Containers;

/// <summary>
/// What the process that starts a container was handed past stdio stays with it: neither the
/// monitor nor the container's init keeps a descriptor it does not own, so a caller's pipe
/// (`pwsh -c 'Start-Container ...' | cat`) ends when that caller does.
/// </summary>
[Trait("Category", "Kernel")]
public sealed class InheritedDescriptorTests : IDisposable
{
    private readonly TestStore store = new();

    public void Dispose() => store.Dispose();

    private static Dictionary<int, string> Descriptors(int pid) =>
        new DirectoryInfo($"/proc/{pid}/fd").EnumerateFileSystemInfos().ToDictionary(fd => int.Parse(fd.Name), fd => fd.LinkTarget ?? "");

    [Fact]
    public async Task AStartersPipeEndsWithTheStarterWhileTheContainerRuns()
    {
        // the starter's stdout and its fd 3 are one pipe's write end, as a shell hands them to `pwsh ... 3>&1 | cat`
        var info = new ProcessStartInfo("sh", ["-c", "exec 3>&1; exec \"$@\"", "sh",
            "dotnet", Path.Combine(BuildOutput.OutputDir, "EngineHost.dll"), store.Root, "run", TestStore.Image, "held", "sleep", "1000"])
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        using var starter = Process.Start(info)!;
        starter.StandardInput.Close();
        var errors = starter.StandardError.ReadToEndAsync();
        var reading = starter.StandardOutput.ReadToEndAsync();
        var ended = await Task.WhenAny(reading, Task.Delay(TimeSpan.FromSeconds(180)));
        Assert.True(ended == reading, "the pipe's reader saw no end: a process the start left running holds the pipe");
        await starter.WaitForExitAsync();
        var output = await reading;
        Assert.True(output.Trim() == "ok", output + await errors);

        var container = store.Containers.Get("held");
        Assert.Equal(ContainerStatus.Running, container.Status);
        // the container's init: its stdio alone
        var init = Descriptors(container.Pid);
        Assert.Equal([0, 1, 2], init.Keys.Order());
        // the monitor: /dev/null, its signalfd, the container's own files, and the container's output pipes
        using var run = JsonDocument.Parse(File.ReadAllText(Path.Combine(container.Path, "run.json")));
        var monitor = run.RootElement.GetProperty("monitorPid").GetInt32();
        foreach (var (fd, target) in Descriptors(monitor))
            Assert.True(target is "/dev/null" or "anon_inode:[signalfd]" || target.StartsWith(container.Path + "/", StringComparison.Ordinal)
                        || (target.StartsWith("pipe:", StringComparison.Ordinal) && (target == init[1] || target == init[2])),
                $"the monitor holds fd {fd}, {target}, which is not its own");
    }
}
