using System.Text;
using k8s.Models;

namespace Container.Runtime.Kubernetes;

/// <summary>
/// The ConfigMaps and Secrets of a YAML, by name: what env valueFrom, envFrom and configMap and
/// secret volumes read. A Secret's data is decoded (base64) as it is read; its stringData is
/// plain text and wins over data, as the API server merges them.
/// </summary>
internal sealed class KubeObjects
{
    private readonly Dictionary<string, Dictionary<string, byte[]>> configMaps = [];
    private readonly Dictionary<string, Dictionary<string, byte[]>> secrets = [];

    public KubeObjects(IEnumerable<object> objects)
    {
        foreach (var item in objects)
        {
            switch (item)
            {
                case V1ConfigMap map:
                    var mapData = new Dictionary<string, byte[]>(StringComparer.Ordinal);
                    foreach (var (key, value) in map.BinaryData ?? new Dictionary<string, byte[]>())
                        mapData[key] = value;
                    foreach (var (key, value) in map.Data ?? new Dictionary<string, string>())
                        mapData[key] = Encoding.UTF8.GetBytes(value ?? "");
                    Add(configMaps, "ConfigMap", map.Metadata?.Name, mapData);
                    break;
                case V1Secret secret:
                    var secretData = new Dictionary<string, byte[]>(StringComparer.Ordinal);
                    foreach (var (key, value) in secret.Data ?? new Dictionary<string, byte[]>())
                        secretData[key] = value ?? [];
                    foreach (var (key, value) in secret.StringData ?? new Dictionary<string, string>())
                        secretData[key] = Encoding.UTF8.GetBytes(value ?? "");
                    Add(secrets, "Secret", secret.Metadata?.Name, secretData);
                    break;
            }
        }
    }

    private static void Add(Dictionary<string, Dictionary<string, byte[]>> into, string kind, string? name, Dictionary<string, byte[]> data)
    {
        if (string.IsNullOrEmpty(name))
            throw Errors.Errors.InvalidArgument("InvalidKubernetesYaml", $"A {kind} of the YAML has no name (metadata.name).", null);
        if (!into.TryAdd(name, data))
            throw Errors.Errors.InvalidArgument("InvalidKubernetesYaml", $"Two {kind}s of the YAML are named '{name}'.", name);
    }

    /// <summary>The object's keys and values; null when it is not there and optional.</summary>
    public IReadOnlyDictionary<string, byte[]>? Object(KubeFileSource source, string? name, bool optional, string pod)
    {
        var all = source == KubeFileSource.Secret ? secrets : configMaps;
        if (!string.IsNullOrEmpty(name) && all.TryGetValue(name, out var data))
            return data;
        if (optional)
            return null;
        throw ObjectNotFound(source, name, $"Pod '{pod}' needs the {source} '{name}', which the YAML does not have (mark the reference optional: true if it may be missing).");
    }

    /// <summary>One key's value; null when the object or the key is missing and the reference is optional.</summary>
    public byte[]? Value(KubeFileSource source, string? name, string? key, bool optional, string pod)
    {
        var data = Object(source, name, optional, pod);
        if (data == null)
            return null;
        if (!string.IsNullOrEmpty(key) && data.TryGetValue(key, out var value))
            return value;
        if (optional)
            return null;
        throw ObjectNotFound(source, $"{name}/{key}", $"Pod '{pod}' needs the key '{key}' of the {source} '{name}', which has no such key (mark the reference optional: true if it may be missing).");
    }

    /// <summary>ConfigMapNotFound or SecretNotFound (for a missing object or key): a stable id per kind, so a script tells which is missing.</summary>
    private static Errors.ContainerException ObjectNotFound(KubeFileSource source, string? target, string message) =>
        new($"{source}NotFound", Errors.ErrorKind.ObjectNotFound, message, target);
}
