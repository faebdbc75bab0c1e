using System.Runtime.CompilerServices;
using Container.Runtime.Containers;
using Container.Runtime.Images;
using Container.Runtime.Oci;

namespace Container.Runtime;

/// <summary>
/// What a new session's first container would otherwise wait for, done on a background thread
/// from the first cmdlet on (begun as pwsh binds that cmdlet's parameters; not at the import, where
/// it took the CPU from Import-Module): System.Text.Json's serializer set up, and the first calls
/// into the hand-written converters of the store's documents (JsonFields) and the OCI runtime's
/// generated writers, whose nullable values still take System.Text.Json's generic code, which no
/// ReadyToRun image carries (System.Text.Json's own has only the shared instantiations, ours may
/// hold none of another assembly's generics) and the JIT compiles; and the resource limits' table,
/// whose generic rows are JIT-compiled too. The work is the same, but it is done while pwsh binds
/// the first command's parameters and on the other core, not on that command's path.
/// </summary>
public static class StartupWarmUp
{
    /// <summary>Starts it; it never fails the session: a warm-up that fails costs only the time it would have saved.</summary>
    public static void Start() => new Thread(() =>
    {
        try
        {
            Run();
        }
        catch (Exception)
        {
            // a background thread's exception would end pwsh; the tests run it in the foreground
        }
    }) { IsBackground = true, Name = "Container warm-up" }.Start();

    /// <summary>The work, on the calling thread.</summary>
    public static void Run()
    {
        RoundTrip(new ImageIndex());
        RoundTrip(new ImageManifest());
        RoundTrip(new ImageConfig { Config = new ContainerConfig() });
        RoundTrip(new Storage.StoreConfig());
        RoundTrip(new ContainerRecord());
        RoundTrip(new RunRecord());
        RoundTrip(new ExitRecord());
        Json.Serialize(new RuntimeSpec());
        RuntimeHelpers.RunClassConstructor(typeof(LimitTable).TypeHandle);
    }

    private static void RoundTrip<T>(T document) => Json.Deserialize<T>(Json.Serialize(document));
}
