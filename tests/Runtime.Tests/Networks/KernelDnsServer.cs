namespace Container.Tests.Networks;

/// <summary>
/// An upstream DNS server for a test: dnsmasq in a namespace of its own that plays a remote
/// host (wired to the test's host namespace), answering only for names under x.test, with
/// <see cref="Answer"/> and <see cref="Answer6"/> (busybox nslookup asks for both), reading no file of the host's. Killed by its pid file on dispose.
/// </summary>
internal sealed class KernelDnsServer : IDisposable
{
    public const string Dnsmasq = "/usr/sbin/dnsmasq";

    /// <summary>What it answers for any name under x.test.</summary>
    public const string Answer = "203.0.113.7";

    public const string Answer6 = "2001:db8::7";

    private readonly string pidFile;

    public KernelDnsServer(KernelNetworkHost host)
    {
        var remote = host.AddRemote();
        Address = KernelNetworkHost.RemoteAddress;
        pidFile = Path.Combine(host.Root, "dnsmasq.pid");
        var started = remote.Exec(Dnsmasq, "--conf-file=/dev/null", "--no-resolv", "--no-hosts", "--bind-interfaces",
            "--listen-address=" + Address, "--address=/x.test/" + Answer, "--address=/x.test/" + Answer6,
            "--pid-file=" + pidFile, "--user=root");
        if (!started.Succeeded)
            throw new InvalidOperationException($"dnsmasq: {started.ErrorText}");
    }

    /// <summary>Its address, from the host namespace's link to it.</summary>
    public string Address { get; }

    public void Dispose()
    {
        if (File.Exists(pidFile) && int.TryParse(File.ReadAllText(pidFile).Trim(), out var pid))
            System.Diagnostics.Process.GetProcessById(pid).Kill();
    }
}
