using k8s;
using k8s.Models;

namespace Container.Runtime.Kubernetes;

/// <summary>Kubernetes objects as YAML and back, by the official client's serializer (what kubectl reads and writes).</summary>
public static class KubeYaml
{
    /// <summary>The kinds a play reads; any other document is skipped, as podman kube play skips it.</summary>
    private static readonly Dictionary<string, Type> Kinds = new()
    {
        ["v1/Pod"] = typeof(V1Pod),
        ["apps/v1/Deployment"] = typeof(V1Deployment),
        ["v1/Service"] = typeof(V1Service),
        ["v1/PersistentVolumeClaim"] = typeof(V1PersistentVolumeClaim),
        ["v1/ConfigMap"] = typeof(V1ConfigMap),
        ["v1/Secret"] = typeof(V1Secret),
    };

    /// <summary>Each object a document of its own, in order.</summary>
    public static string Write(IEnumerable<IKubernetesObject> objects) =>
        string.Join("---\n", objects.Select(o => YamlStrings.Quoted(KubernetesYaml.Serialize(o), KubernetesJson.Serialize(o)).TrimEnd('\n') + "\n"));

    /// <summary>
    /// The documents of the text, each as its kind's object; a document of another kind (a
    /// Job, a StatefulSet) is reported as skipped. Text that is no YAML, or a document without
    /// apiVersion and kind, is InvalidKubernetesYaml.
    /// </summary>
    public static IReadOnlyList<object> Read(string yaml, ICollection<string> warnings)
    {
        var objects = new List<object>();
        foreach (var document in Documents(yaml))
        {
            IKubernetesObject header;
            try
            {
                header = KubernetesYaml.Deserialize<KubernetesObject>(document);
            }
            catch (Exception e) when (e is YamlDotNet.Core.YamlException or InvalidCastException or FormatException)
            {
                throw Invalid($"the text is not Kubernetes YAML: {Message(e)}", e);
            }
            if (header == null)
                continue;
            if (string.IsNullOrEmpty(header.ApiVersion) || string.IsNullOrEmpty(header.Kind))
                throw Invalid("a document has no apiVersion or no kind", null);
            if (!Kinds.TryGetValue($"{header.ApiVersion}/{header.Kind}", out var type))
            {
                warnings.Add($"A {header.Kind} ({header.ApiVersion}) is not played: only Pods, Deployments, Services, PersistentVolumeClaims, ConfigMaps and Secrets are.");
                continue;
            }
            try
            {
                objects.Add(KubernetesYaml.LoadAllFromString(document, new Dictionary<string, Type> { [$"{header.ApiVersion}/{header.Kind}"] = type })[0]);
            }
            catch (Exception e) when (e is YamlDotNet.Core.YamlException or InvalidCastException or FormatException)
            {
                throw Invalid($"a {header.Kind} is not one Kubernetes reads: {Message(e)}", e);
            }
        }
        return objects;
    }

    /// <summary>The documents of a stream, split at the lines that are "---" alone (what YAML's document markers are).</summary>
    private static IEnumerable<string> Documents(string yaml)
    {
        var current = new System.Text.StringBuilder();
        foreach (var line in yaml.ReplaceLineEndings("\n").Split('\n'))
        {
            if (line.TrimEnd() == "---" || line.StartsWith("--- ", StringComparison.Ordinal))
            {
                if (current.ToString().Trim().Length > 0)
                    yield return current.ToString();
                current.Clear();
                if (line.Length > 4)
                    current.AppendLine(line[4..]);
                continue;
            }
            if (line.TrimEnd() == "...")
                continue;
            current.AppendLine(line);
        }
        if (current.ToString().Trim().Length > 0)
            yield return current.ToString();
    }

    private static string Message(Exception e) => e.InnerException is { } inner ? $"{e.Message} ({inner.Message})" : e.Message;

    private static Errors.ContainerException Invalid(string why, Exception? inner) =>
        new("InvalidKubernetesYaml", Errors.ErrorKind.InvalidArgument, $"Cannot play the YAML: {why}.", null, inner);
}
