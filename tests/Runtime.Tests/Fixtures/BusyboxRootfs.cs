using System.Diagnostics;

namespace Container.Tests.Fixtures;

/// <summary>
/// A root filesystem made of Debian's busybox-static: /bin/busybox, a link for every
/// applet, /etc/passwd and /etc/group. Built once per test run.
/// </summary>
public static class BusyboxRootfs
{
    private static readonly Lazy<string> Built = new(Make);

    public static string Path => Built.Value;

    public static string BusyboxBinary =>
        new[] { "/bin/busybox", "/usr/bin/busybox" }.FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException("busybox is not installed: apt-get install busybox-static");

    private static string Make()
    {
        var root = Directory.CreateTempSubdirectory("busybox-rootfs-").FullName;
        foreach (var dir in new[] { "bin", "sbin", "usr/bin", "usr/sbin", "etc", "root", "tmp", "proc", "sys", "dev", "var" })
            Directory.CreateDirectory(System.IO.Path.Combine(root, dir));
        var busybox = System.IO.Path.Combine(root, "bin/busybox");
        File.Copy(BusyboxBinary, busybox);
        File.SetUnixFileMode(busybox, (UnixFileMode)0b111_101_101);
        var list = Process.Start(new ProcessStartInfo(busybox, "--list-full") { RedirectStandardOutput = true })!;
        foreach (var applet in list.StandardOutput.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var link = System.IO.Path.Combine(root, applet);
            if (applet == "bin/busybox" || File.Exists(link))
                continue;
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(link)!);
            File.CreateSymbolicLink(link, "/bin/busybox");
        }
        list.WaitForExit();
        File.WriteAllText(System.IO.Path.Combine(root, "etc/passwd"), "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n");
        File.WriteAllText(System.IO.Path.Combine(root, "etc/group"), "root:x:0:\nnogroup:x:65534:\n");
        File.SetUnixFileMode(System.IO.Path.Combine(root, "tmp"), (UnixFileMode)0b1_111_111_111);
        return root;
    }
}
