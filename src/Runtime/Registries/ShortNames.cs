using Container.Runtime.Images;

namespace Container.Runtime.Registries;

/// <summary>
/// What a short name (app, team/app:1) may stand for, as podman resolves it: its alias, if
/// registries.conf has one; else the name in each search registry; else, with none configured,
/// docker.io's, as docker takes it. A name that names its registry stands for itself.
/// </summary>
public static class ShortNames
{
    public static IReadOnlyList<ImageReference> Candidates(string text, RegistriesConfiguration configuration)
    {
        var parsed = ImageReference.Parse(text);
        if (ImageReference.NamesRegistry(text))
            return [parsed];
        var (name, suffix) = SplitSuffix(text);
        if (configuration.Aliases.TryGetValue(name, out var alias))
            return [ImageReference.Parse(alias + suffix)];
        if (configuration.SearchRegistries.Count == 0)
            return [parsed];
        return configuration.SearchRegistries.Select(registry => ImageReference.Parse($"{registry}/{text}")).Distinct().ToList();
    }

    /// <summary>The one reference a short name stands for; more than one is an error that lists them, never a guess.</summary>
    public static ImageReference Resolve(string text, RegistriesConfiguration configuration)
    {
        var candidates = Candidates(text, configuration);
        return candidates.Count == 1 ? candidates[0] : throw Errors.Errors.AmbiguousShortName(text, candidates.Select(c => c.ToString()).ToList());
    }

    /// <summary>app:1 is app and :1; app@sha256:... is app and @sha256:...</summary>
    private static (string Name, string Suffix) SplitSuffix(string text)
    {
        var end = text.IndexOf('@');
        var name = end >= 0 ? text[..end] : text;
        var colon = name.LastIndexOf(':');
        if (colon > name.LastIndexOf('/'))
            name = name[..colon];
        return (name, text[name.Length..]);
    }
}
