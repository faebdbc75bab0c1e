namespace Container.Runtime.Linux;

/// <summary>
/// Work done in another network namespace (the host's, where a test's netns plays it): on a
/// thread of its own that enters it, so the sockets it opens and the /proc/thread-self/net and
/// /proc/sys/net files it reads are that namespace's; the rest of the process stays where it is.
/// </summary>
internal static class NetworkNamespace
{
    /// <summary>Runs work in the namespace at path (null: this thread's own, run here).</summary>
    public static T Run<T>(string? path, Func<T> work)
    {
        if (path == null)
            return work();
        T result = default!;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                using var handle = File.OpenHandle(path);
                if (Libc.Setns((int)handle.DangerousGetHandle(), Libc.CLONE_NEWNET) != 0)
                    throw Errors.Errors.SystemCall($"enter the network namespace {path}", System.Runtime.InteropServices.Marshal.GetLastPInvokeError(), path);
                result = work();
            }
            catch (Exception e)
            {
                failure = e;
            }
        });
        thread.Start();
        thread.Join();
        if (failure != null)
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        return result;
    }
}
