using System.Text.RegularExpressions;

namespace Container.Runtime.Registries;

/// <summary>
/// A registry's WWW-Authenticate challenge (RFC 7235): its scheme (Basic, Bearer) and
/// parameters (realm, service, scope), as the distribution spec's token auth reads them.
/// </summary>
internal sealed partial record AuthChallenge(string Scheme, IReadOnlyDictionary<string, string> Parameters)
{
    [GeneratedRegex("""([A-Za-z][A-Za-z0-9_-]*)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))""")]
    private static partial Regex Parameter();

    public string? this[string name] => Parameters.TryGetValue(name, out var value) ? value : null;

    public bool IsBasic => Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase);

    public bool IsBearer => Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase);

    /// <summary>The first challenge of a header's value; null for an empty one.</summary>
    public static AuthChallenge? Parse(string? header)
    {
        if (string.IsNullOrWhiteSpace(header))
            return null;
        header = header.Trim();
        var space = header.IndexOf(' ');
        var scheme = space < 0 ? header : header[..space];
        var parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (space > 0)
            foreach (Match match in Parameter().Matches(header[(space + 1)..]))
                parameters.TryAdd(match.Groups[1].Value,
                    match.Groups[2].Success ? Regex.Replace(match.Groups[2].Value, @"\\(.)", "$1") : match.Groups[3].Value);
        return new AuthChallenge(scheme, parameters);
    }
}
