using System.Text.RegularExpressions;

namespace Container.Runtime.Containers;

/// <summary>Container names: docker's rules, and generated names when none is given.</summary>
public static partial class ContainerNames
{
    [GeneratedRegex("^[a-zA-Z0-9][a-zA-Z0-9_.-]*$")]
    private static partial Regex Valid();

    private static readonly string[] Adjectives =
    [
        "brave", "calm", "eager", "fancy", "gentle", "happy", "jolly", "kind", "lively", "merry", "nifty", "proud",
        "quiet", "rapid", "silly", "tidy", "upbeat", "vivid", "witty", "zealous",
    ];

    private static readonly string[] Nouns =
    [
        "lovelace", "turing", "hopper", "ritchie", "thompson", "torvalds", "knuth", "dijkstra", "liskov", "lamport",
        "hamilton", "shannon", "babbage", "noether", "curie", "kepler", "galileo", "euler", "gauss", "pascal",
    ];

    public static bool IsValid(string name) => name.Length <= 128 && Valid().IsMatch(name);

    public static string Generate() =>
        $"{Adjectives[Random.Shared.Next(Adjectives.Length)]}_{Nouns[Random.Shared.Next(Nouns.Length)]}_{Random.Shared.Next(100, 1000)}";
}
