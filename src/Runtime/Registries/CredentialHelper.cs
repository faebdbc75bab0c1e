using System.Text.Json.Nodes;
using Container.Runtime.Processes;

namespace Container.Runtime.Registries;

/// <summary>
/// A docker-credential-&lt;name&gt; program (credsStore, credHelpers in docker's config.json and
/// podman's auth.json): get takes the registry on stdin and answers {"Username","Secret"},
/// store takes {"ServerURL","Username","Secret"}, erase takes the registry.
/// </summary>
internal sealed class CredentialHelper(string name)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private string Program => "docker-credential-" + name;

    /// <summary>The helper's login for the registry, or null when it has none.</summary>
    public RegistryLogin? Get(string registry)
    {
        var result = Run("get", registry);
        if (!result.Succeeded)
            // the helpers' own words for "none": docker's credentials-not-found error
            return result.ErrorText.Contains("credentials not found", StringComparison.OrdinalIgnoreCase)
                   || result.StandardOutput.Contains("credentials not found", StringComparison.OrdinalIgnoreCase)
                ? null
                : throw Failed("get", result.ErrorText);
        try
        {
            var answer = JsonNode.Parse(result.StandardOutput);
            return answer?["Username"]?.GetValue<string>() is { } user && answer["Secret"]?.GetValue<string>() is { } secret
                ? new RegistryLogin(user, secret)
                : throw Failed("get", "its answer has no Username and Secret");
        }
        catch (System.Text.Json.JsonException)
        {
            throw Failed("get", "its answer is not JSON");
        }
    }

    public void Store(string registry, RegistryLogin login)
    {
        var request = new JsonObject { ["ServerURL"] = registry, ["Username"] = login.User, ["Secret"] = login.Password };
        var result = Run("store", request.ToJsonString());
        if (!result.Succeeded)
            throw Failed("store", result.ErrorText);
    }

    /// <summary>Forgets the registry's login; false when the helper had none.</summary>
    public bool Erase(string registry)
    {
        var result = Run("erase", registry);
        if (result.Succeeded)
            return true;
        return result.ErrorText.Contains("credentials not found", StringComparison.OrdinalIgnoreCase) ? false : throw Failed("erase", result.ErrorText);
    }

    /// <summary>The helper's answer; one not on PATH is ProcessRunner's NotInstalled.</summary>
    private ProcessResult Run(string verb, string input) => ProcessRunner.Run(Program, [verb], input, Patience);

    private Errors.ContainerException Failed(string verb, string why) =>
        Errors.Errors.CredentialHelperFailed(Program, verb, why);
}
