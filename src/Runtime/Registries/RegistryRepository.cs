namespace Container.Runtime.Registries;

/// <summary>A repository of a registry's catalog (what Find-ContainerImage lists); Name is what a pull takes.</summary>
public sealed record RegistryRepository(string Registry, string Repository)
{
    /// <summary>registry/repository, as localhost:5000/team/app.</summary>
    public string Name => $"{Registry}/{Repository}";

    /// <summary>The name: what a cmdlet that takes a name from the pipeline gets.</summary>
    public override string ToString() => Name;
}
