namespace Container.Runtime.Storage;

/// <summary>The bytes the files under a directory hold (a volume's, the build cache's mounts); links are not followed.</summary>
internal static class DirectorySize
{
    /// <summary>Another session may add and remove files while they are counted (or remove the whole directory): what went away counts nothing.</summary>
    public static long Of(string directory)
    {
        long size = 0;
        try
        {
            var walk = new DirectoryInfo(directory).EnumerateFiles("*", new EnumerationOptions
            {
                RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint, IgnoreInaccessible = true,
            });
            foreach (var file in walk)
                try
                {
                    size += file.Length;
                }
                catch (FileNotFoundException)
                {
                }
        }
        catch (DirectoryNotFoundException)
        {
        }
        return size;
    }
}
