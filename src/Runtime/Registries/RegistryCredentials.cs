using System.Text;
using System.Text.Json.Nodes;
using Container.Runtime.Storage;

namespace Container.Runtime.Registries;

/// <summary>A registry's user and password.</summary>
public sealed record RegistryLogin(string User, string Password);

/// <summary>
/// Registry logins in the auth.json format podman, skopeo and docker read ("auths": host to
/// base64 "user:password"): ours are written to REGISTRY_AUTH_FILE (podman's variable) or,
/// without it, podman's file for root (/run/containers/0/auth.json), atomically, mode 0600;
/// logins are read from ours first, then docker's ~/.docker/config.json. A file may hand a
/// registry's logins to a credential helper instead (credHelpers for one registry, credsStore
/// for all), as docker's does: what it names is asked, and what we store goes to it.
/// </summary>
public sealed class RegistryCredentials(string authFile, IReadOnlyList<string> readAlso)
{
    public const string AuthFileVariable = "REGISTRY_AUTH_FILE";

    /// <summary>Where podman and skopeo keep root's logins when REGISTRY_AUTH_FILE is not set.</summary>
    private const string PodmanRootAuthFile = "/run/containers/0/auth.json";

    public static RegistryCredentials FromEnvironment()
    {
        var file = Environment.GetEnvironmentVariable(AuthFileVariable) is { Length: > 0 } set ? set : PodmanRootAuthFile;
        var home = Environment.GetEnvironmentVariable("HOME");
        return new RegistryCredentials(file, home is { Length: > 0 } ? [Path.Combine(home, ".docker", "config.json")] : []);
    }

    /// <summary>The file logins are stored in.</summary>
    public string AuthFile => authFile;

    /// <summary>The login stored for a registry, or null: each file's helper for it, its own entry, then its credsStore.</summary>
    public RegistryLogin? Find(string registry)
    {
        foreach (var file in new[] { authFile }.Concat(readAlso))
        {
            var document = Read(file);
            if (HelperFor(document, registry, includeStore: false) is { } helper)
                return helper.Get(KeyOf(registry));
            if (document?["auths"]?[KeyOf(registry)]?["auth"]?.GetValue<string>() is { Length: > 0 } encoded && Decode(encoded) is { } login)
                return login;
            if (HelperFor(document, registry, includeStore: true)?.Get(KeyOf(registry)) is { } stored)
                return stored;
        }
        return null;
    }

    /// <summary>Stores a login: in our file's helper for the registry if it names one, else in the file.</summary>
    public void Store(string registry, RegistryLogin login)
    {
        if (HelperFor(Read(authFile), registry, includeStore: true) is { } helper)
        {
            helper.Store(KeyOf(registry), login);
            return;
        }
        var encoded = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{login.User}:{login.Password}"));
        Update(auths => auths[KeyOf(registry)] = new JsonObject { ["auth"] = encoded });
    }

    /// <summary>Forgets a registry's login, in our file and its helper; false when there was none.</summary>
    public bool Remove(string registry)
    {
        if (!File.Exists(authFile))
            return false;
        var erased = HelperFor(Read(authFile), registry, includeStore: true)?.Erase(KeyOf(registry)) ?? false;
        var removed = false;
        Update(auths => removed = auths.Remove(KeyOf(registry)));
        return erased || removed;
    }

    /// <summary>The helper a file names for the registry (credHelpers), or for every registry (credsStore) with includeStore.</summary>
    private static CredentialHelper? HelperFor(JsonObject? document, string registry, bool includeStore)
    {
        if (document?["credHelpers"]?[KeyOf(registry)]?.GetValue<string>() is { Length: > 0 } helper)
            return new CredentialHelper(helper);
        return includeStore && document?["credsStore"]?.GetValue<string>() is { Length: > 0 } store ? new CredentialHelper(store) : null;
    }

    /// <summary>docker.io's logins are kept under its index's name, as docker and podman keep them.</summary>
    private static string KeyOf(string registry) => registry == Images.ImageReference.DefaultDomain ? "docker.io" : registry;

    private void Update(Action<JsonObject> change)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(authFile))!);
        // two sessions logging in at once: one after the other, each keeping the other's login
        using var _ = FileLock.Acquire(authFile + ".lock");
        var document = Read(authFile) ?? new JsonObject();
        if (document["auths"] is not JsonObject auths)
            document["auths"] = auths = new JsonObject();
        change(auths);
        AtomicFile.WriteAllBytes(authFile, Encoding.UTF8.GetBytes(document.ToJsonString(new() { WriteIndented = true })),
            UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    private static JsonObject? Read(string file)
    {
        try
        {
            return JsonNode.Parse(File.ReadAllText(file)) as JsonObject;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (System.Text.Json.JsonException)
        {
            throw Errors.Errors.InvalidArgument("InvalidAuthFile", $"'{file}' is not a registry auth file (JSON with \"auths\").", file);
        }
    }

    private static RegistryLogin? Decode(string encoded)
    {
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(encoded));
            var colon = text.IndexOf(':');
            return colon > 0 ? new RegistryLogin(text[..colon], text[(colon + 1)..]) : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
