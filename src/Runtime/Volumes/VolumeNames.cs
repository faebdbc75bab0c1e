namespace Container.Runtime.Volumes;

/// <summary>Volume names: docker's rule, [a-zA-Z0-9][a-zA-Z0-9_.-]*, the same as a container's.</summary>
public static class VolumeNames
{
    public static bool IsValid(string name) => Containers.ContainerNames.IsValid(name);

    public static void Check(string name)
    {
        if (!IsValid(name))
            throw Errors.Errors.InvalidVolumeName(name);
    }
}
