using System.Text;

namespace Container.Runtime.Kubernetes;

/// <summary>
/// Names as Kubernetes takes them: a container's, a pod's and a volume's are DNS labels
/// (lower case letters, digits and '-', 63 at most), so ours ('_' and '.' allowed) are made
/// into one as podman makes them (podman drops '_'; '_' and '.' become '-' here, so two names stay two).
/// </summary>
public static class KubeNames
{
    public const int MaxLabelLength = 63;

    public static string Label(string name)
    {
        var label = new StringBuilder(name.Length);
        foreach (var c in name.ToLowerInvariant())
            label.Append(c is (>= 'a' and <= 'z') or (>= '0' and <= '9') ? c : '-');
        var text = label.ToString().Trim('-');
        if (text.Length > MaxLabelLength)
            text = text[..MaxLabelLength].TrimEnd('-');
        return text.Length > 0 ? text : "container";
    }

    public static bool IsLabel(string? name) => name is { Length: > 0 and <= MaxLabelLength } && Label(name) == name;

    /// <summary>A host path as a volume's name, as podman names it: /srv/my_data becomes srv-my-data-host.</summary>
    public static string HostPathVolume(string path) => Label(path.Trim('/').Length == 0 ? "root" : path.Trim('/')) + "-host";

    /// <summary>A named volume's name in the pod (its claim keeps the volume's own name), as podman names it.</summary>
    public static string ClaimVolume(string claim) => Label(claim) + "-pvc";

    /// <summary>The name of a container a pod's play makes: &lt;pod&gt;-&lt;container&gt;, as podman kube play names it.</summary>
    public static string PlayedContainer(string pod, string container) => $"{pod}-{container}";
}
