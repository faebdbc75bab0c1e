using Container.Runtime.Containers;
using Container.Runtime.Images;
using Container.Runtime.Registries;
using Container.Runtime.Storage;

namespace Container.Runtime;

/// <summary>The engine: images and containers over one store. Cheap to make; holds no state of its own.</summary>
public sealed class ContainerEngine
{
    public ContainerEngine(StorePaths paths) : this(paths, HostSeams.Of(paths))
    {
    }

    /// <summary>The engine on a host of the caller's (a test's fakes).</summary>
    internal ContainerEngine(StorePaths paths, HostSeams host)
    {
        Paths = paths;
        // the image store asks which layers containers use before it removes any
        Images = new ImageStore(paths, () => Containers!.ImageUses());
        Containers = new ContainerService(paths, Images, host);
        Networks = Containers.Networks;
        Volumes = Containers.Volumes;
        Importer = new ImageImporter(Images);
        Exporter = new ImageExporter(Images);
        Registries = new RegistryService(Images, RegistryCredentials.FromEnvironment(), RegistryTransportOptions.FromEnvironment(),
            RegistriesConfiguration.FromEnvironment);
        Builds = new Build.BuildService(Images, Containers, Registries, host.Mounts);
        Projects = new Compose.ProjectService(paths, Containers, Networks, Volumes, Images, Builds);
        ProjectLogs = new Compose.ProjectLogs(Containers, Projects);
        Kubernetes = new Kubernetes.KubernetesService(Containers, Images, paths);
    }

    /// <summary>The engine for the store CONTAINER_ROOT names (or the default), read now.</summary>
    public static ContainerEngine FromEnvironment() => new(StorePaths.FromEnvironment());

    public StorePaths Paths { get; }

    public ImageStore Images { get; }

    public ContainerService Containers { get; }

    public Networks.NetworkService Networks { get; }

    public Volumes.VolumeService Volumes { get; }

    public ImageImporter Importer { get; }

    public ImageExporter Exporter { get; }

    /// <summary>Pull, push, login: images to and from registries.</summary>
    public RegistryService Registries { get; }

    /// <summary>Images built from Dockerfiles (docker build).</summary>
    public Build.BuildService Builds { get; }

    /// <summary>Multi-container applications from compose files (docker compose up, down, ps, ls).</summary>
    public Compose.ProjectService Projects { get; }

    /// <summary>A project's logs as one stream (docker compose logs).</summary>
    public Compose.ProjectLogs ProjectLogs { get; }

    /// <summary>Kubernetes YAML of containers, and containers from it (podman kube generate, play, down).</summary>
    public Kubernetes.KubernetesService Kubernetes { get; }
}
