using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Container.Runtime.Processes;
using Container.Tests.Fixtures;

namespace Container.Tests.Registries;

/// <summary>
/// A real registry for a test: Debian's docker-registry (distribution 2.8) on 127.0.0.1 at a
/// free port, with a private config, storage, CA and htpasswd (or a token server of its own) in a
/// temporary directory, and skopeo set up to talk to it. Dispose stops it and removes every file it made.
/// </summary>
public sealed class LocalRegistry : IDisposable
{
    public const string Program = "/usr/bin/docker-registry";
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(30);
    private const int PortAttempts = 5;

    private readonly string dir;
    private readonly RegistryOptions options;
    private readonly string skopeoCertDir;
    private readonly string authFile;
    private Process? process;
    private readonly StringBuilder log = new();

    public string Host { get; private set; } = "";
    public string? CaCertificate { get; private set; }
    public string DataDir { get; }

    /// <summary>The token server with <see cref="RegistryOptions.Token"/> (its requests, more users), else null.</summary>
    public TokenServer? Tokens { get; private set; }

    /// <summary>The registry's process id, for the tests that check it is gone.</summary>
    internal int ProcessId => process?.Id ?? 0;

    /// <summary>The root of this registry's URLs: http:// or https:// with Host.</summary>
    public Uri BaseAddress => new($"{(options.Tls ? "https" : "http")}://{Host}/");

    /// <summary>Why registries cannot run on this host (a program missing), or null when they can.</summary>
    internal static string? Unavailable =>
        new[] { Program, "/usr/bin/htpasswd", "/usr/bin/openssl", "/usr/bin/skopeo" }.FirstOrDefault(p => !File.Exists(p)) is { } missing
            ? $"{missing} is not installed (tools/install-prerequisites.sh installs docker-registry, apache2-utils, openssl, skopeo)"
            : null;

    private LocalRegistry(RegistryOptions options)
    {
        this.options = options;
        dir = Directory.CreateTempSubdirectory("registry-").FullName;
        DataDir = Path.Combine(dir, "data");
        authFile = Path.Combine(dir, "auth.json");
        skopeoCertDir = Path.Combine(dir, "skopeo-certs");
    }

    /// <summary>The files the registry and skopeo read: storage, auth file, CA and certificate, htpasswd; the token server.</summary>
    private void Prepare()
    {
        if (options is { Basic: not null, Token: not null })
            throw new ArgumentException("A registry has one auth: Basic or Token, not both.");
        Directory.CreateDirectory(DataDir);
        File.WriteAllText(authFile, "{}");
        Directory.CreateDirectory(skopeoCertDir);
        if (options.Tls)
        {
            var ca = TestCertificateAuthority.Make(Directory.CreateDirectory(Path.Combine(dir, "tls")).FullName);
            CaCertificate = ca.Certificate;
            // skopeo's --cert-dir takes a directory of *.crt CAs (and client pairs)
            File.Copy(ca.Certificate, Path.Combine(skopeoCertDir, "ca.crt"));
        }
        if (options.Basic is var (user, password))
        {
            var entry = ProcessRunner.Run("htpasswd", ["-Bbn", user, password]);
            if (!entry.Succeeded)
                throw new InvalidOperationException($"htpasswd: {entry.ErrorText}");
            File.WriteAllText(Path.Combine(dir, "htpasswd"), entry.StandardOutput);
        }
        if (options.Token is var (tokenUser, tokenPassword))
        {
            Tokens = new TokenServer(dir);
            Tokens.Grant(tokenUser, tokenPassword, "pull", "push", "delete", "*");
        }
    }

    public static LocalRegistry Start(RegistryOptions? options = null) => Start(options, FreePort);

    /// <summary>Start with the ports pickPort gives; a port taken meanwhile makes it pick again.</summary>
    internal static LocalRegistry Start(RegistryOptions? options, Func<int> pickPort)
    {
        var registry = new LocalRegistry(options ?? new RegistryOptions());
        try
        {
            registry.Prepare();
            for (var attempt = 1; ; attempt++)
            {
                var port = pickPort();
                if (registry.TryStart(port))
                    return registry;
                if (attempt == PortAttempts)
                    throw new InvalidOperationException($"docker-registry found no free port in {PortAttempts} attempts: {registry.log}");
            }
        }
        catch
        {
            registry.Dispose();
            throw;
        }
    }

    /// <summary>
    /// skopeo, isolated as the tests run it, with this registry's flags after the subcommand:
    /// TLS verification off for plain HTTP or the CA for TLS, the credentials with Basic or Token, and a
    /// private auth file. copy and sync get them for both sides (src and dest).
    /// </summary>
    public ProcessResult Skopeo(params string[] arguments)
    {
        if (arguments.Length == 0)
            return PeerTools.Skopeo(arguments);
        string[] flags = arguments[0] switch
        {
            "copy" or "sync" => [.. Flags("--src-"), .. Flags("--dest-"), "--authfile", authFile],
            "inspect" or "delete" or "list-tags" => [.. Flags("--"), "--authfile", authFile],
            "login" => [TlsFlag("--"), "--authfile", authFile], // its credentials are --username and --password
            _ => ["--authfile", authFile],
        };
        return PeerTools.Skopeo([arguments[0], .. flags, .. arguments[1..]]);
    }

    /// <summary>skopeo copy, either side in skopeo's transport syntax (copy's flags after them); throws with skopeo's output on failure.</summary>
    public void CopyWithSkopeo(string source, string destination, params string[] flags)
    {
        var result = Skopeo(["copy", .. flags, source, destination]);
        if (!result.Succeeded)
            throw new InvalidOperationException($"skopeo copy {source} {destination}: {result.StandardError}{result.StandardOutput}");
    }

    /// <summary>skopeo copy source (in skopeo's transport syntax) to repositoryAndTag here.</summary>
    public void PushWithSkopeo(string source, string repositoryAndTag) => CopyWithSkopeo(source, $"docker://{Host}/{repositoryAndTag}");

    /// <summary>The digest of the manifest repositoryAndTag names: sha256 of the bytes skopeo inspect --raw gets.</summary>
    public string ManifestDigestWithSkopeo(string repositoryAndTag)
    {
        var result = Skopeo("inspect", "--raw", $"docker://{Host}/{repositoryAndTag}");
        if (!result.Succeeded)
            throw new InvalidOperationException($"skopeo inspect {Host}/{repositoryAndTag}: {result.StandardError}{result.StandardOutput}");
        return "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(result.StandardOutput)));
    }

    public void Dispose()
    {
        Stop();
        Tokens?.Dispose();
        if (Directory.Exists(dir))
            Directory.Delete(dir, recursive: true);
    }

    private IEnumerable<string> Flags(string prefix)
    {
        yield return TlsFlag(prefix);
        if ((options.Basic ?? options.Token) is var (user, password))
            yield return $"{prefix}creds={user}:{password}";
    }

    private string TlsFlag(string prefix) => options.Tls ? $"{prefix}cert-dir={skopeoCertDir}" : $"{prefix}tls-verify=false";

    /// <summary>Runs the registry on port; false when the port was taken, throws on any other failure.</summary>
    private bool TryStart(int port)
    {
        Host = $"127.0.0.1:{port}";
        var identity = Convert.ToHexString(RandomNumberGenerator.GetBytes(8));
        var config = Path.Combine(dir, "config.yml");
        File.WriteAllText(config, RegistryConfiguration.Yaml(options, Host, identity, DataDir, Path.Combine(dir, "htpasswd"),
            CaCertificate == null ? null : Path.Combine(dir, "tls"), Tokens));
        lock (log)
            log.Clear();
        // env -i: the registry reads REGISTRY_* variables over its config, so none of the host's
        process = ProcessRunner.Start("env", ["-i", Program, "serve", config]);
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var exited = process.WaitForExitAsync();

        using var client = new HttpClient(CertificateTrust.OnlyHandler(CaCertificate)) { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < ReadyTimeout)
        {
            if (Answers(client, identity, exited))
                return true;
            if (exited.IsCompleted)
            {
                process.WaitForExit(); // the output's last lines
                if (Log.Contains("address already in use"))
                {
                    Stop();
                    return false;
                }
                throw new InvalidOperationException($"docker-registry exited ({process.ExitCode}) before it answered: {Log}");
            }
            Thread.Sleep(50); // the polls' interval, no proof: readiness is the answer
        }
        throw new InvalidOperationException($"docker-registry did not answer GET /v2/ on {Host} within {ReadyTimeout.TotalSeconds}s: {Log}");
    }

    /// <summary>
    /// Whether GET /v2/ is answered (200, or 401 with auth) by this registry: its identity header
    /// tells it from whatever else may hold the port, which is given up on once the registry exits.
    /// </summary>
    private bool Answers(HttpClient client, string identity, Task exited)
    {
        var request = client.GetAsync(new Uri(BaseAddress, "v2/"));
        try
        {
            if (Task.WaitAny(request, exited) != 0)
                return false;
            using var response = request.GetAwaiter().GetResult();
            return response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Unauthorized
                && response.Headers.TryGetValues(RegistryConfiguration.IdentityHeader, out var values) && values.Contains(identity);
        }
        catch (HttpRequestException)
        {
            return false; // not listening yet
        }
        catch (TaskCanceledException)
        {
            return false;
        }
    }

    private void Stop()
    {
        if (process == null)
            return;
        if (!process.HasExited)
            process.Kill();
        process.WaitForExit();
        process.Dispose();
        process = null;
    }

    private void Append(string? line)
    {
        if (line == null)
            return;
        lock (log)
            log.AppendLine(line);
    }

    private string Log
    {
        get
        {
            lock (log)
                return log.ToString();
        }
    }

    /// <summary>A port nothing listens on now; it may be taken before the registry binds it.</summary>
    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
