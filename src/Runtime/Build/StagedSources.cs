using System.Security.Cryptography;
using Container.Runtime.Build.Parsing;

namespace Container.Runtime.Build;

/// <summary>
/// The sources of COPY and ADD that are not in the context: a heredoc's body (COPY &lt;&lt;EOF
/// /file), and ADD's URL, fetched. Each is written to the build's scratch directory, and
/// keyed by its content, so a changed body or a changed remote file misses the cache.
/// </summary>
internal static class StagedSources
{
    /// <summary>The heredoc a word names (&lt;&lt;EOF, &lt;&lt;-EOF, &lt;&lt;'EOF'), if it names one of the instruction's.</summary>
    public static Heredoc? HeredocNamed(Instruction instruction, string word) =>
        word.StartsWith("<<", StringComparison.Ordinal)
            ? instruction.Heredocs.FirstOrDefault(h => h.Name == word.TrimStart('<', '-').Trim('\'', '"'))
            : null;

    /// <summary>Whether a copy's item is one of these (a heredoc's body, a URL's file), not the context's.</summary>
    public static bool IsStaged(CopyItem item) => item.Source.StartsWith("<<", StringComparison.Ordinal) || IsUrl(item.Source);

    public static bool IsUrl(string source) =>
        source.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || source.StartsWith("https://", StringComparison.OrdinalIgnoreCase);

    /// <summary>A heredoc's body as a file (mode 0644, as buildkit writes it), its variables expanded unless its delimiter was quoted.</summary>
    public static (CopyItem Item, string Key) Heredoc(Heredoc heredoc, StageState state, string scratch)
    {
        var content = heredoc.Expand ? ShellLexer.ExpandHeredoc(heredoc.Content, state.Lookup) : heredoc.Content;
        var path = Path.Combine(scratch, Ids.New()[..16]);
        File.WriteAllText(path, content);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        return (new CopyItem("<<" + heredoc.Name, scratch, Path.GetFileName(path), FileName: heredoc.Name), $"heredoc {heredoc.Name} {Digest(path)}");
    }

    /// <summary>
    /// ADD's URL, fetched (mode 0600 and the server's Last-Modified, as docker keeps them),
    /// checked against --checksum when given; named by the URL's last path segment.
    /// </summary>
    public static (CopyItem Item, string Key) Download(Instruction instruction, string url, string? checksum, string scratch, CancellationToken cancellation)
    {
        var path = Path.Combine(scratch, Ids.New()[..16]);
        DateTimeOffset? modified;
        try
        {
            using var client = new HttpClient();
            using var response = client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellation).GetAwaiter().GetResult();
            response.EnsureSuccessStatusCode();
            modified = response.Content.Headers.LastModified;
            using (var file = File.Create(path))
                response.Content.ReadAsStream(cancellation).CopyTo(file);
        }
        catch (HttpRequestException e)
        {
            throw Errors.Errors.InvalidInstruction(instruction, $"{url} cannot be fetched: {e.Message}");
        }
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        if (modified is { } time)
            File.SetLastWriteTimeUtc(path, time.UtcDateTime);
        var digest = Digest(path);
        if (checksum != null && !string.Equals(checksum, digest, StringComparison.OrdinalIgnoreCase))
            throw Errors.Errors.InvalidInstruction(instruction, $"{url} has the checksum {digest}, not the {checksum} --checksum asks for");
        return (new CopyItem(url, scratch, Path.GetFileName(path), FileName: NameOf(url)), UrlKey(url, digest));
    }

    /// <summary>
    /// ADD's URL as a dry run (-WhatIf) keys it without fetching anything: by the --checksum it
    /// must have, which is the key a build would find; else by a part no build keys with, so
    /// the step shows as one that runs, its content known only once fetched.
    /// </summary>
    public static (CopyItem Item, string Key) Unfetched(string url, string? checksum) =>
        (new CopyItem(url, Root: null, url, FileName: NameOf(url)),
            checksum != null ? UrlKey(url, checksum.ToLowerInvariant()) : $"url {url}: its content, known once fetched (a dry run fetches nothing)");

    private static string UrlKey(string url, string digest) => $"url {url} {digest}";

    private static string NameOf(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && Path.GetFileName(uri.AbsolutePath) is { Length: > 0 } last ? last : "index.html";

    private static string Digest(string path)
    {
        using var file = File.OpenRead(path);
        return "sha256:" + Convert.ToHexString(SHA256.HashData(file)).ToLowerInvariant();
    }
}
