namespace Container.Runtime.Kubernetes;

/// <summary>Where a file of a Kubernetes object comes from: a ConfigMap's data or a Secret's.</summary>
public enum KubeFileSource
{
    ConfigMap,
    Secret,
}

/// <summary>
/// One key of a ConfigMap or Secret mounted as one file (subPath), as a compose service mounts
/// a config or secret at its target; Mode the file's permissions (null: Kubernetes' 0644).
/// </summary>
public sealed record KubeFileMount(KubeFileSource Source, string ObjectName, string Key, string Target, int? Mode)
{
    /// <summary>The pod volume that holds the object's keys: one per object, as kompose names it.</summary>
    public string VolumeName => Shortened(KubeNames.Label(ObjectName)) + (Source == KubeFileSource.Secret ? "-secret" : "-config");

    // room for the suffix within a label's 63
    private static string Shortened(string label) => label.Length > 56 ? label[..56].TrimEnd('-') : label;
}
