using System.Text.Json;

namespace Container.Runtime.Build.Parsing;

/// <summary>
/// The exec form: arguments that are a JSON array. An array of strings is the exec form; an
/// array with anything else in it is an error; text that is not JSON at all is the shell form.
/// </summary>
internal static class ExecForm
{
    /// <summary>The array's strings, or null for the shell form; throws a reason for an array of other things.</summary>
    public static IReadOnlyList<string>? TryParse(string arguments, int line)
    {
        var text = arguments.TrimStart();
        if (!text.StartsWith('['))
            return null;

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text);
        }
        catch (JsonException)
        {
            return null;
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Array)
                return null;
            var words = new List<string>();
            foreach (var element in document.RootElement.EnumerateArray())
            {
                if (element.ValueKind != JsonValueKind.String)
                    throw Errors.Errors.DockerfileParse(line, "when using JSON array syntax, arrays must be comprised of strings only");
                words.Add(element.GetString()!);
            }

            return words;
        }
    }
}
