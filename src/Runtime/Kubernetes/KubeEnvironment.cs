using System.Text;
using System.Text.RegularExpressions;
using k8s.Models;

namespace Container.Runtime.Kubernetes;

/// <summary>
/// A container's environment as Kubernetes sets it: envFrom's objects first (each key a variable,
/// after its prefix), then env, whose values win; a value from a ConfigMap's or Secret's key
/// (valueFrom), or from the pod (fieldRef: its name, namespace, labels and annotations).
/// </summary>
internal static partial class KubeEnvironment
{
    /// <summary>The namespace a play's pods are in: podman's kube play has none, Kubernetes' default is this.</summary>
    public const string Namespace = "default";

    public static Dictionary<string, string>? Of(V1Container container, string pod, V1ObjectMeta? metadata, KubeObjects objects, List<string> warnings)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var source in container.EnvFrom ?? [])
        {
            var (kind, name, optional) = source switch
            {
                { ConfigMapRef: { } map } => (KubeFileSource.ConfigMap, map.Name, map.Optional == true),
                { SecretRef: { } secret } => (KubeFileSource.Secret, secret.Name, secret.Optional == true),
                _ => throw Errors.Errors.InvalidArgument("InvalidKubernetesYaml", $"Container '{container.Name}' of pod '{pod}' has an envFrom with neither configMapRef nor secretRef.", pod),
            };
            foreach (var (key, value) in objects.Object(kind, name, optional, pod) ?? new Dictionary<string, byte[]>())
            {
                var variable = (source.Prefix ?? "") + key;
                // Kubernetes skips the keys that are no variable's name, and says so
                if (!VariableName().IsMatch(variable))
                    warnings.Add($"Container '{container.Name}' of pod '{pod}': the key '{key}' of {kind} '{name}' is not a variable's name; left out.");
                else
                    environment[variable] = Encoding.UTF8.GetString(value);
            }
        }
        foreach (var variable in container.Env ?? [])
        {
            if (variable.ValueFrom is not { } from)
            {
                environment[variable.Name] = variable.Value ?? "";
                continue;
            }
            var value = from switch
            {
                { ConfigMapKeyRef: { } key } => Text(objects.Value(KubeFileSource.ConfigMap, key.Name, key.Key, key.Optional == true, pod)),
                { SecretKeyRef: { } key } => Text(objects.Value(KubeFileSource.Secret, key.Name, key.Key, key.Optional == true, pod)),
                { FieldRef: { } field } => Field(field.FieldPath, pod, metadata, container, variable.Name, warnings),
                _ => Unplayed(container, pod, variable.Name, warnings),
            };
            // an optional reference to what is missing sets nothing, as Kubernetes leaves it unset
            if (value != null)
                environment[variable.Name] = value;
        }
        return environment.Count > 0 ? environment : null;
    }

    private static string? Text(byte[]? value) => value == null ? null : Encoding.UTF8.GetString(value);

    /// <summary>The pod's fields a container on this host can know; the node's and status' are not.</summary>
    private static string? Field(string? path, string pod, V1ObjectMeta? metadata, V1Container container, string variable, List<string> warnings)
    {
        switch (path)
        {
            case "metadata.name":
                return pod;
            case "metadata.namespace":
                return metadata?.NamespaceProperty is { Length: > 0 } space ? space : Namespace;
        }
        var match = path == null ? null : MetadataKey().Match(path);
        if (match is { Success: true })
        {
            var values = match.Groups[1].Value == "labels" ? metadata?.Labels : metadata?.Annotations;
            return values?.TryGetValue(match.Groups[2].Value, out var value) == true ? value : "";
        }
        warnings.Add($"Container '{container.Name}' of pod '{pod}': {variable}'s fieldRef '{path}' is not played (metadata.name, metadata.namespace, labels and annotations are).");
        return null;
    }

    private static string? Unplayed(V1Container container, string pod, string variable, List<string> warnings)
    {
        warnings.Add($"Container '{container.Name}' of pod '{pod}': {variable}'s valueFrom (resourceFieldRef) is not played.");
        return null;
    }

    // Kubernetes' C_IDENTIFIER-ish rule for envFrom's keys: what a shell takes, and '.', '-'
    [GeneratedRegex(@"^[-._a-zA-Z][-._a-zA-Z0-9]*$")]
    private static partial Regex VariableName();

    [GeneratedRegex(@"^metadata\.(labels|annotations)\['([^']*)'\]$")]
    private static partial Regex MetadataKey();
}
