using System.Security.Cryptography;
using System.Text;
using Container.Runtime.Errors;

namespace Container.Runtime.Compose.Loading;

/// <summary>
/// What a top-level secret or config holds, read as docker compose reads it: file: (the file's
/// bytes), environment: (a variable of the project's environment, as UTF-8) or content: (the
/// text, as UTF-8). The one reader of that content: up writes and mounts it, the loader takes
/// its digest for the config hash, the Kubernetes writer puts it in ConfigMaps and Secrets.
/// </summary>
internal static class FileObjectContent
{
    /// <param name="kind">secrets or configs: the top-level field, for the errors</param>
    /// <param name="key">the item's key there</param>
    /// <param name="environment">the variables the project was interpolated with</param>
    public static byte[] Read(string kind, string key, ComposeFileObject item, IReadOnlyDictionary<string, string> environment)
    {
        if (item.External)
            throw Errors.Errors.ComposeFileObjectExternal(kind, key);
        if (item.File is { } file)
            return File.Exists(file) ? File.ReadAllBytes(file) : throw Errors.Errors.ComposeFileObjectNotFound(kind, key, file);
        if (item.Environment is { } variable)
            return environment.TryGetValue(variable, out var value)
                ? Encoding.UTF8.GetBytes(value)
                : throw Errors.Errors.InvalidArgument("ComposeVariableNotSet", $"{kind}.{key}: the variable '{variable}' it is read from is not set.", variable);
        return Encoding.UTF8.GetBytes(item.Content ?? "");
    }

    /// <summary>
    /// The sha256 of the content, for the config hash of the services that use it; null when it
    /// cannot be read now (external, a missing file, an unset variable): up, and the plan -WhatIf
    /// tells, say why (<see cref="ServiceFiles.Of"/>), before anything is made or said to change.
    /// </summary>
    public static string? Digest(string kind, string key, ComposeFileObject item, IReadOnlyDictionary<string, string> environment)
    {
        try
        {
            return "sha256:" + Convert.ToHexString(SHA256.HashData(Read(kind, key, item, environment))).ToLowerInvariant();
        }
        catch (ContainerException)
        {
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
