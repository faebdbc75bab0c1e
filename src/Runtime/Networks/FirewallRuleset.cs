using System.Text.Json;

namespace Container.Runtime.Networks;

/// <summary>
/// What the host's nftables ruleset (nftables JSON, as `nft -j list ruleset` prints it) says
/// of one container's published ports: whether our table and the container's DNAT rules are
/// there (a firewall reload flushes them), and someone else's forward chains that would drop
/// its forwarded traffic: a base chain on the forward hook with policy drop, or iptables-nft's
/// filter FORWARD with it, that holds none of the container's accept rules.
/// </summary>
internal sealed record FirewallRuleset(bool HasOurTable, bool HasDnat, IReadOnlyList<string> DroppingChains)
{
    public const string OurTable = "inet container";

    public static FirewallRuleset Of(string json, string containerId)
    {
        using var document = JsonDocument.Parse(json);
        var items = document.RootElement.TryGetProperty("nftables", out var list) ? list.EnumerateArray().ToList() : [];
        var chains = new List<(string Table, string Name, bool Drops)>();
        var tagged = new HashSet<string>();
        bool ourTable = false, dnat = false;
        foreach (var item in items)
        {
            if (item.TryGetProperty("table", out var table) && TableOf(table) == OurTable)
                ourTable = true;
            if (item.TryGetProperty("chain", out var chain))
                chains.Add((TableOf(chain), Text(chain, "name"), Text(chain, "hook") == "forward" && Text(chain, "policy") == "drop"));
            if (item.TryGetProperty("rule", out var rule) && IsTaggedWith(Text(rule, "comment"), containerId))
            {
                tagged.Add($"{TableOf(rule)} {Text(rule, "chain")}");
                dnat |= TableOf(rule) == OurTable && Text(rule, "chain") == "prerouting";
            }
        }
        var dropping = chains
            .Where(c => c.Drops && c.Table != OurTable && c.Table.Split(' ')[0] is "ip" or "ip6" or "inet" && !tagged.Contains($"{c.Table} {c.Name}"))
            .Select(c => $"{c.Table} {c.Name}").ToList();
        return new FirewallRuleset(ourTable, dnat, dropping);
    }

    /// <summary>container-network tags a container's rules with its id and the host veth of the network each is for (id-veth); older rules with the id alone.</summary>
    private static bool IsTaggedWith(string comment, string containerId) =>
        comment == containerId || (comment.StartsWith(containerId, StringComparison.Ordinal) && comment.Length > containerId.Length && comment[containerId.Length] == '-');

    private static string TableOf(JsonElement element) =>
        element.TryGetProperty("table", out var name) && name.ValueKind == JsonValueKind.String
            ? $"{Text(element, "family")} {name.GetString()}"
            : $"{Text(element, "family")} {Text(element, "name")}";

    private static string Text(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "";
}
