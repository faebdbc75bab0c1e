using System.Globalization;
using Container.Runtime.Compose.Loading;
using Container.Runtime.Storage;
using Container.Runtime.Volumes;

namespace Container.Runtime.Compose;

/// <summary>
/// One secret or config file a service's containers mount read-only at its target.
/// HostPath is a file: source itself, else the file up writes under the project's directory,
/// with Content, Mode and the owner the reference asks for.
/// </summary>
public sealed record ServiceFile(string Service, string Kind, string Key, string Target, string HostPath, byte[]? Content, UnixFileMode Mode, (uint Uid, uint Gid)? Owner);

/// <summary>
/// A service's secrets and configs as docker compose gives them to its containers without a
/// swarm: a file: source bind-mounted read-only at the target as it is (its uid, gid and mode
/// cannot be given to a bind, and are left, as docker compose leaves them, with a note); an
/// environment: or content: one written under &lt;store&gt;/projects/&lt;project&gt;/secrets|configs
/// (mode 0400 for a secret, 0444 for a config, or the reference's; its uid and gid) and bound so.
/// </summary>
public static class ServiceFiles
{
    private const UnixFileMode SecretMode = UnixFileMode.UserRead;
    private const UnixFileMode ConfigMode = UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>The binds of a service's secrets and configs. Pure: where each file is, not whether it is there.</summary>
    /// <param name="projectDirectory">the project's directory in the store (<see cref="StorePaths.ProjectDir"/>)</param>
    public static IEnumerable<ContainerMount> MountsOf(ComposeProject project, ComposeService service, string projectDirectory) =>
        ReferencesOf(project, service).Select(r => new ContainerMount
        {
            Type = MountType.Bind, Source = HostPathOf(projectDirectory, r.Kind, r.Item, r.Reference), Target = r.Reference.Target,
            ReadOnly = true, CreateSource = false,
        });

    /// <summary>
    /// Every service's files, their content read and checked: an external one, a missing file, an
    /// unset variable or an owner that is no number is an error here, before up makes anything.
    /// </summary>
    public static IReadOnlyList<ServiceFile> Of(ComposeProject project, string projectDirectory, Action<string> note)
    {
        var files = new List<ServiceFile>();
        foreach (var service in project.Services.Values)
        {
            foreach (var (kind, item, reference) in ReferencesOf(project, service))
            {
                var content = FileObjectContent.Read(kind, reference.Source, item, project.Environment);
                var path = HostPathOf(projectDirectory, kind, item, reference);
                if (item.File != null)
                {
                    if (reference.Uid != null || reference.Gid != null || reference.Mode != null)
                        note($"{service.Name}: {kind}.{reference.Source} is a file: its uid, gid and mode are not given to a bind mount, and are left as the file has them");
                    files.Add(new ServiceFile(service.Name, kind, reference.Source, reference.Target, path, null, default, null));
                    continue;
                }
                var mode = reference.Mode is { } asked ? (UnixFileMode)asked : kind == "secrets" ? SecretMode : ConfigMode;
                var owner = reference.Uid != null || reference.Gid != null
                    ? (Id(service, kind, reference, "uid", reference.Uid), Id(service, kind, reference, "gid", reference.Gid))
                    : ((uint, uint)?)null;
                files.Add(new ServiceFile(service.Name, kind, reference.Source, reference.Target, path, content, mode, owner));
            }
        }
        return files;
    }

    /// <summary>The files up writes (not file: sources), each atomically, so a container made meanwhile binds the old or the new.</summary>
    public static void Write(IEnumerable<ServiceFile> files)
    {
        foreach (var file in files.Where(f => f.Content != null))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(file.HostPath)!, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            AtomicFile.WriteAllBytes(file.HostPath, file.Content, file.Mode, file.Owner);
        }
    }

    /// <summary>down: the files up wrote for the project, and its directory once empty.</summary>
    public static void Remove(string projectDirectory)
    {
        foreach (var kind in new[] { "secrets", "configs" })
        {
            var directory = Path.Combine(projectDirectory, kind);
            if (Directory.Exists(directory))
                Directory.Delete(directory, recursive: true);
        }
        if (Directory.Exists(projectDirectory) && !Directory.EnumerateFileSystemEntries(projectDirectory).Any())
            Directory.Delete(projectDirectory);
    }

    private static IEnumerable<(string Kind, ComposeFileObject Item, ServiceFileReference Reference)> ReferencesOf(ComposeProject project, ComposeService service) =>
        // the loader refused a reference to what the project does not declare
        service.Secrets.Select(r => ("secrets", project.Secrets[r.Source], r))
            .Concat(service.Configs.Select(r => ("configs", project.Configs[r.Source], r)));

    /// <summary>
    /// A file: source itself; else &lt;kind&gt;/&lt;key&gt;, and for a reference that asks for its own
    /// owner or mode &lt;key&gt;@uid:gid:mode, so that two that ask differently never share a file.
    /// </summary>
    private static string HostPathOf(string projectDirectory, string kind, ComposeFileObject item, ServiceFileReference reference)
    {
        if (item.File is { } file)
            return file;
        var name = reference.Uid == null && reference.Gid == null && reference.Mode == null
            ? reference.Source
            : $"{reference.Source}@{reference.Uid}:{reference.Gid}:{(reference.Mode is { } mode ? Convert.ToString(mode, 8) : "")}";
        return Path.Combine(projectDirectory, kind, name);
    }

    private static uint Id(ComposeService service, string kind, ServiceFileReference reference, string field, string? text) =>
        text == null ? 0
        : uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id
        : throw Errors.Errors.InvalidArgument("ComposeFileOwnerInvalid",
            $"services.{service.Name}.{kind}.{reference.Source}: {field} '{text}' is not a number (a user or group id).", text);
}
