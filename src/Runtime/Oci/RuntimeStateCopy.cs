namespace Container.Runtime.Oci;

/// <summary>
/// The monitor's copy of the runtime's state of a run (runtime-state/ in the container's
/// directory, made after each start: see the monitor's runtime_state.h), the runtime's own
/// files as it wrote them. Put back when the runtime's are gone (the run root deleted under
/// the container), so that every act on the container still goes through the runtime.
/// </summary>
internal static class RuntimeStateCopy
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>Copies copyDir to root/id when the runtime has nothing there, whole or not at all.</summary>
    public static void PutBack(string copyDir, string root, string id)
    {
        var live = Path.Combine(root, id);
        if (Directory.Exists(live) || !Directory.Exists(copyDir))
            return;
        Directory.CreateDirectory(root, OwnerOnly);
        var staged = $"{live}.tmp.{Environment.ProcessId}";
        if (Directory.Exists(staged))
            Directory.Delete(staged, recursive: true);
        Directory.CreateDirectory(staged, OwnerOnly);
        try
        {
            foreach (var file in Directory.EnumerateFiles(copyDir))
                File.Copy(file, Path.Combine(staged, Path.GetFileName(file)));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            // the monitor dropped the copy while it was read: the run has ended, and there is
            // nothing whole to put back (the runtime's call then finds no container, as it should)
            Directory.Delete(staged, recursive: true);
            return;
        }
        try
        {
            Directory.Move(staged, live);
        }
        catch (IOException) when (Directory.Exists(live))
        {
            // the monitor put it back meanwhile
            Directory.Delete(staged, recursive: true);
        }
    }
}
