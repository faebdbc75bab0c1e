using System.Net;
using System.Text;
using System.Text.Json;
using Container.Runtime.Processes;
using Container.Tests.Fixtures;

namespace Container.Tests.Kubernetes;

/// <summary>
/// kubectl's client-side validation without a cluster. kubectl takes the schema it validates
/// with only from an API server (GET /openapi/v2, as protobuf), and maps a document's kind to
/// a resource by the server's discovery; so this serves both, on 127.0.0.1 alone, from the
/// Kubernetes API's own OpenAPI document (tools/install-kubernetes-schema.sh), to a kubectl whose
/// kubeconfig names nothing else. It serves no /openapi/v3: then kubectl finds no server-side
/// field validation and validates on the client (what --validate=true does on a server without it).
/// </summary>
public sealed class LocalKubeApi : IDisposable
{
    private readonly HttpListener listener = new();
    private readonly Dictionary<string, (string Type, byte[] Body)> routes;
    private readonly string dir = Directory.CreateTempSubdirectory("kube-api-").FullName;
    private readonly Task serving;

    public static string SchemaPath => Path.Combine(BuildOutput.RepositoryRoot, "artifacts", "kubernetes-openapi", "swagger.json");

    /// <summary>Why kubectl cannot validate here, or null when it can.</summary>
    public static string? Unavailable =>
        ProcessRunner.Run("sh", ["-c", "command -v kubectl"]).Succeeded is false ? "kubectl is not installed (apt-get install kubernetes-client)"
        : !File.Exists(SchemaPath) ? $"the Kubernetes API schema is not at {SchemaPath} (tools/install-kubernetes-schema.sh)"
        : null;

    public LocalKubeApi()
    {
        using var swagger = JsonDocument.Parse(File.ReadAllBytes(SchemaPath));
        routes = new()
        {
            ["/openapi/v2"] = ("application/octet-stream", OpenApiV2Protobuf.Encode(swagger.RootElement)),
            ["/api"] = Json(new { kind = "APIVersions", versions = new[] { "v1" } }),
            ["/apis"] = Json(new
            {
                kind = "APIGroupList", apiVersion = "v1",
                groups = new[] { new { name = "apps", versions = new[] { new { groupVersion = "apps/v1", version = "v1" } }, preferredVersion = new { groupVersion = "apps/v1", version = "v1" } } },
            }),
            ["/api/v1"] = Resources("v1", ("pods", "Pod"), ("services", "Service"), ("persistentvolumeclaims", "PersistentVolumeClaim"), ("configmaps", "ConfigMap"), ("secrets", "Secret")),
            ["/apis/apps/v1"] = Resources("apps/v1", ("deployments", "Deployment")),
        };
        var port = FreePort();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        serving = Task.Run(Serve);
        File.WriteAllText(Path.Combine(dir, "kubeconfig"), $$"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: local
              cluster: {server: "http://127.0.0.1:{{port}}"}
            users:
            - name: nobody
              user: {}
            contexts:
            - name: local
              context: {cluster: local, user: nobody}
            current-context: local
            """);
    }

    /// <summary>kubectl create --dry-run=client --validate=true of the YAML: it parses it, validates it against the schema and maps each kind, and sends nothing on.</summary>
    public ProcessResult Validate(string yaml)
    {
        var file = Path.Combine(dir, $"{Guid.NewGuid():n}.yaml");
        File.WriteAllText(file, yaml);
        return ProcessRunner.Run("env", [$"KUBECONFIG={Path.Combine(dir, "kubeconfig")}", $"HOME={dir}", "kubectl", "create", "--dry-run=client", "--validate=true", "-o", "name", "-f", file],
            timeout: TimeSpan.FromMinutes(1));
    }

    private async Task Serve()
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return;
            }
            using var response = context.Response;
            if (routes.TryGetValue(context.Request.Url!.AbsolutePath, out var route))
            {
                response.ContentType = route.Type;
                await response.OutputStream.WriteAsync(route.Body);
            }
            else
            {
                response.StatusCode = 404;
            }
        }
    }

    private static (string, byte[]) Json(object value) => ("application/json", JsonSerializer.SerializeToUtf8Bytes(value));

    private static (string, byte[]) Resources(string groupVersion, params (string Name, string Kind)[] resources) =>
        Json(new
        {
            kind = "APIResourceList", groupVersion,
            resources = resources.Select(r => new { name = r.Name, singularName = "", @namespaced = true, kind = r.Kind, verbs = new[] { "create", "get", "list" } }),
        });

    private static int FreePort()
    {
        var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    public void Dispose()
    {
        listener.Stop();
        listener.Close();
        serving.Wait(TimeSpan.FromSeconds(5));
        Directory.Delete(dir, recursive: true);
    }
}
