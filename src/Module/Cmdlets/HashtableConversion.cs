using System.Collections;

namespace Container.Module.Cmdlets;

/// <summary>@{ KEY = 'value' } as the engine's string map.</summary>
internal static class HashtableConversion
{
    public static IReadOnlyDictionary<string, string>? ToDictionary(Hashtable? table) =>
        table?.Cast<DictionaryEntry>().ToDictionary(e => e.Key.ToString() ?? "", e => e.Value?.ToString() ?? "");
}
