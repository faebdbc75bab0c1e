using Container.Runtime;
using Container.Runtime.Containers;
using Container.Runtime.Images;
using Container.Runtime.Storage;

namespace Container.Tests.Fixtures;

/// <summary>
/// A private store under /tmp for one test, with the busybox image imported. Disposing
/// removes every container and volume (and so every mount and cgroup) and the directory.
/// </summary>
public sealed class TestStore : IDisposable
{
    public const string Image = "busybox:test";

    public TestStore(bool withImage = true)
    {
        Root = Directory.CreateTempSubdirectory("container-test-").FullName;
        Paths = new StorePaths(Root, System.IO.Path.Combine(Root, "run"));
        // loopback only, unless a test asks for a network: no test touches the host's network
        new StoreConfig { DefaultNetwork = "none" }.Write(Paths);
        Engine = new ContainerEngine(Paths);
        if (withImage)
            Engine.Importer.Import(BusyboxRootfs.Path, ImageReference.Parse(Image), ImageDefaults.From(["sh"], null, null));
    }

    public string Root { get; }

    public StorePaths Paths { get; }

    public ContainerEngine Engine { get; }

    public ContainerService Containers => Engine.Containers;

    /// <summary>Creates, starts and waits for a container; returns it and its output.</summary>
    public (ContainerInfo Container, string Output) Run(string name, params string[] command)
    {
        Containers.Create(new ContainerSpec { Image = Image, Name = name, Command = command });
        Containers.Start(name);
        var exited = Containers.Wait(name, TimeSpan.FromSeconds(30));
        return (exited, Output(name));
    }

    public string Output(string name) => string.Join('\n', Containers.ReadLog(name).Select(e => e.Text));

    public void Dispose()
    {
        foreach (var container in Containers.List())
        {
            try
            {
                Containers.Remove(container.Id, force: true);
            }
            catch (Exception)
            {
                // the test failed already; clean what can be cleaned
            }
        }
        // a volume of the local driver's options is a mount: removing it unmounts it
        foreach (var volume in Engine.Volumes.List())
        {
            try
            {
                Engine.Volumes.Remove(volume.Name);
            }
            catch (Exception)
            {
                // in use by a container that could not be removed: reported by the test already
            }
        }
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
