using Container.Runtime.Containers;
using Container.Runtime.Registries;
using Container.Tests.Fixtures;
using Xunit;

namespace Container.Tests.Registries;

/// <summary>What the registry tests share: a registry (or the skip saying why none), a store's registry service, images to move, and runs of them.</summary>
internal static class RegistryTestSupport
{
    /// <summary>A registry of the test's own; the test is skipped where none can run.</summary>
    public static LocalRegistry Start(RegistryOptions? options = null)
    {
        var unavailable = LocalRegistry.Unavailable;
        Skip.If(unavailable != null, unavailable);
        return LocalRegistry.Start(options);
    }

    /// <summary>A store's registry service with logins in a file under dir, and the registry's CA, if any, in certs.d there.</summary>
    public static RegistryService Registries(TestStore of, string dir, LocalRegistry? trusting = null, RegistriesConfiguration? configuration = null)
    {
        var certs = Path.Combine(dir, "certs.d");
        if (trusting?.CaCertificate is { } ca)
        {
            Directory.CreateDirectory(Path.Combine(certs, trusting.Host));
            File.Copy(ca, Path.Combine(certs, trusting.Host, "ca.crt"), overwrite: true);
        }
        return new RegistryService(of.Engine.Images, new RegistryCredentials(Path.Combine(dir, "auth.json"), []),
            new RegistryTransportOptions { CertificateDirectories = [certs] }, () => configuration ?? new RegistriesConfiguration());
    }

    /// <summary>An image of a layer no other store has (every store holds the test image): its pull must fetch that layer.</summary>
    public static string Committed(TestStore store, string name)
    {
        var seed = "seed-" + name.Replace(':', '-');
        Assert.Equal(0, store.Run(seed, "sh", "-c", "echo made here > /made-here").Container.ExitCode);
        store.Containers.Commit(seed, Runtime.Images.ImageReference.Parse(name));
        return name;
    }

    /// <summary>Runs image in a store: its output (what /made-here says, if it has one, then a line of its own).</summary>
    public static string RunIn(TestStore where, string image)
    {
        where.Containers.Create(new ContainerSpec { Image = image, Name = "from-registry", Command = ["sh", "-c", "cat /made-here 2>/dev/null; echo ran from the registry"] });
        where.Containers.Start("from-registry");
        where.Containers.Wait("from-registry", TimeSpan.FromSeconds(60));
        return where.Output("from-registry");
    }
}
