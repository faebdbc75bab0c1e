using k8s.Models;

namespace Container.Runtime.Kubernetes;

/// <summary>
/// A configMap or secret volume as the files Kubernetes puts in it: every key of the object as a
/// file of its name, or only the items' keys at their paths; each file with its item's mode, or
/// the volume's defaultMode, or Kubernetes' 0644.
/// </summary>
internal static class KubeVolumeFiles
{
    public const int DefaultMode = 0b110_100_100;

    /// <summary>The volume's files; null when it is of another kind.</summary>
    public static PlayedVolume? Of(V1Volume volume, string pod, KubeObjects objects)
    {
        if (volume.ConfigMap == null && volume.Secret == null)
            return null;
        var (source, name, items, defaultMode, optional) = volume.ConfigMap is { } map
            ? (KubeFileSource.ConfigMap, map.Name, map.Items, map.DefaultMode, map.Optional == true)
            : (KubeFileSource.Secret, volume.Secret.SecretName, volume.Secret.Items, volume.Secret.DefaultMode, volume.Secret.Optional == true);
        // the pod's and the volume's names are directories of the store's
        if (!KubeNames.IsLabel(pod) || !KubeNames.IsLabel(volume.Name))
            throw Errors.Errors.InvalidArgument("InvalidKubernetesYaml", $"Pod '{pod}' and its volume '{volume.Name}' need names that are DNS labels to have configMap or secret files.", volume.Name);
        var data = objects.Object(source, name, optional, pod);
        var files = new List<PlayedFile>();
        if (data != null && items is { Count: > 0 })
        {
            foreach (var item in items)
                if (objects.Value(source, name, item.Key, optional, pod) is { } value)
                    files.Add(new PlayedFile(CheckedPath(item.Path, pod, volume.Name), value, ModeOf(item.Mode ?? defaultMode, pod, volume.Name)));
        }
        else if (data != null)
            files.AddRange(data.Select(d => new PlayedFile(CheckedPath(d.Key, pod, volume.Name), d.Value, ModeOf(defaultMode, pod, volume.Name))));
        return new PlayedVolume(Path.Combine(pod, volume.Name), files);
    }

    /// <summary>A relative path that stays in the volume (no '..'), as Kubernetes requires of an item's path.</summary>
    private static string CheckedPath(string? path, string pod, string volume)
    {
        if (string.IsNullOrEmpty(path) || Path.IsPathRooted(path) || path.Split('/').Any(p => p is ".." or ""))
            throw Errors.Errors.InvalidArgument("InvalidKubernetesYaml", $"Pod '{pod}': volume '{volume}' has a file path '{path}' that is not relative to it.", path);
        return path;
    }

    private static UnixFileMode ModeOf(int? mode, string pod, string volume)
    {
        var bits = mode ?? DefaultMode;
        // Kubernetes' own bound: no setuid, setgid or sticky bit on a file root writes for a container
        if (bits is < 0 or > 0b111_111_111)
            throw Errors.Errors.InvalidArgument("InvalidKubernetesYaml", $"Pod '{pod}': volume '{volume}' has a mode {bits} that is not one (at most 0777).", bits);
        return (UnixFileMode)bits;
    }
}
