using Container.Runtime.Containers;
using Container.Runtime.Volumes;

namespace Container.Runtime.Compose;

/// <summary>
/// A container made anew keeps the anonymous volumes of the one it replaces, as docker compose
/// keeps them: a database whose image declares VOLUME /var/lib/db, or a service that mounts
/// /data with no source, finds its data again after a change of its environment. Each is
/// mounted where it was, wherever the image still declares that target or the service still
/// mounts it without a source; a target the service now mounts from something else gets that.
/// Pure: the spec only.
/// </summary>
public static class InheritedVolumes
{
    /// <param name="replaced">the mounts of the container made anew</param>
    /// <param name="imageVolumes">the targets the new container's image declares as VOLUME</param>
    public static ContainerSpec Into(ContainerSpec spec, IReadOnlyList<ContainerMount> replaced, IEnumerable<string> imageVolumes)
    {
        var declared = imageVolumes.Select(target => MountParser.ParseVolume(target, "/").Target).ToHashSet(StringComparer.Ordinal);
        var mounts = (spec.Mounts ?? []).ToList();
        foreach (var old in replaced.Where(m => m is { Type: MountType.Volume, Anonymous: true }))
        {
            var index = mounts.FindIndex(m => m.Target == old.Target);
            if (index >= 0 && mounts[index] is { Type: MountType.Volume, Source: null } anonymous)
                mounts[index] = anonymous with { Source = old.Source };
            else if (index < 0 && declared.Contains(old.Target))
                mounts.Add(new ContainerMount { Type = MountType.Volume, Source = old.Source, Target = old.Target, Anonymous = true });
        }
        return spec with { Mounts = mounts };
    }
}
