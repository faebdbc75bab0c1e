using Container.Runtime.Volumes;

namespace Container.Runtime.Compose;

public enum VolumeActionKind
{
    /// <summary>Not in the store: made.</summary>
    Create,

    /// <summary>The project made it, and its driver, options or labels changed since: made anew only when the user agrees (its data is lost).</summary>
    Recreate,

    /// <summary>As wanted, external, or not the project's own: left alone.</summary>
    Keep,
}

/// <summary>What up does to one of a project's named volumes; for a recreation, what changed and which containers use it.</summary>
/// <param name="Key">its key under the project's volumes:</param>
/// <param name="Users">the containers that refer to it, which must go before it can</param>
public sealed record VolumeAction(string Key, string Name, VolumeActionKind Kind, IReadOnlyList<string> Changed, IReadOnlyList<string> Users)
{
    /// <summary>What the user is asked before a recreation, as docker compose asks it.</summary>
    public string Question =>
        $"Volume {Name} exists but does not match the compose file ({ChangedList} changed). Recreate it? Its data will be lost"
        + (Users.Count > 0 ? $", and {UserList} made anew." : ".");

    /// <summary>What a recreation not agreed to leaves.</summary>
    public string Kept => $"Volume {Name} does not match the compose file ({ChangedList} changed): kept as it is.";

    public override string ToString() => Kind switch
    {
        VolumeActionKind.Recreate => $"Recreate volume {Name} ({ChangedList} changed; its data lost" + (Users.Count > 0 ? $"; {UserList} made anew)" : ")"),
        _ => $"{Kind} volume {Name}",
    };

    private string ChangedList => string.Join(", ", Changed);

    private string UserList => string.Join(", ", Users);
}

/// <summary>
/// What up does to a project's named volumes. A volume the project made (its label says so)
/// whose driver, driver options or labels no longer match the file is one docker compose asks
/// to recreate; one it did not make, or an external one, is never touched. Pure, as
/// <see cref="ProjectPlan"/> is.
/// </summary>
public static class VolumePlan
{
    /// <param name="existing">Every volume in the store, with its users.</param>
    public static IReadOnlyList<VolumeAction> Of(ComposeProject project, IReadOnlyList<ContainerVolume> existing)
    {
        var byName = existing.ToDictionary(v => v.Name, StringComparer.Ordinal);
        var actions = new List<VolumeAction>();
        foreach (var (key, wanted) in project.Volumes)
        {
            if (wanted.External)
                continue;
            if (!byName.TryGetValue(wanted.Name, out var current))
            {
                actions.Add(new VolumeAction(key, wanted.Name, VolumeActionKind.Create, [], []));
                continue;
            }
            var changed = current.Labels.GetValueOrDefault(ComposeLabels.Project) == project.Name ? ChangedFields(wanted, current) : [];
            actions.Add(new VolumeAction(key, wanted.Name, changed.Count > 0 ? VolumeActionKind.Recreate : VolumeActionKind.Keep, changed,
                changed.Count > 0 ? current.UsedBy : []));
        }
        return actions;
    }

    private static List<string> ChangedFields(ComposeVolume wanted, ContainerVolume current)
    {
        var changed = new List<string>();
        if ((wanted.Driver ?? ContainerVolume.LocalDriver) != current.Driver)
            changed.Add("driver");
        if (!SameMap(wanted.DriverOptions, current.Options))
            changed.Add("driver_opts");
        // the labels compose adds are its own, not the file's
        if (!SameMap(wanted.Labels, current.Labels.Where(l => !l.Key.StartsWith(ComposeLabels.Prefix, StringComparison.Ordinal))))
            changed.Add("labels");
        return changed;
    }

    private static bool SameMap(IEnumerable<KeyValuePair<string, string>> wanted, IEnumerable<KeyValuePair<string, string>> current) =>
        wanted.OrderBy(p => p.Key, StringComparer.Ordinal).SequenceEqual(current.OrderBy(p => p.Key, StringComparer.Ordinal));
}
