using Container.Runtime;
using Container.Runtime.Errors;
using Container.Runtime.Processes;
using Xunit;

namespace Container.Tests.Native;

/// <summary>
/// A native binary the host lacks a shared library for (the network helper's libnftables) fails
/// with an error naming the library and its package: here a real dynamic loader's failure, a
/// program whose library was removed after it was linked.
/// </summary>
public sealed class NativeLibrariesTests : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("native-libraries-").FullName;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    [SkippableFact]
    public void TheLoadersMissingLibraryIsNamed()
    {
        Skip.If(!File.Exists("/usr/bin/gcc"), "no gcc here to link the program with a library of its own");
        // a soname this host has none of (it may well have libnftables.so.1), of libnftables' family
        var program = LinkAgainstRemovedLibrary("libnftables.so.99");
        var result = ProcessRunner.Run(program, []);
        Assert.Equal("libnftables.so.99", NativeLibraries.Missing(result));
        var e = NativeLibraries.MissingError(program, result);
        Assert.NotNull(e);
        Assert.Equal("NotInstalled", e.ErrorId);
        Assert.Contains("libnftables.so.99 was not found. probe needs it: install libnftables1 on Debian and Ubuntu, nftables on Fedora and Arch.", e.Message);
    }

    [SkippableFact]
    public void ALibraryOfNoKnownPackageIsNamedToo()
    {
        Skip.If(!File.Exists("/usr/bin/gcc"), "no gcc here to link the program with a library of its own");
        var program = LinkAgainstRemovedLibrary("libunheard.so.3");
        var e = NativeLibraries.MissingError(program, ProcessRunner.Run(program, []));
        Assert.NotNull(e);
        Assert.Contains("libunheard.so.3 was not found. probe needs it: install the package of your distribution that provides it.", e.Message);
    }

    [Fact]
    public void AnyOtherFailureIsTheBinarysOwn()
    {
        Assert.Null(NativeLibraries.MissingError("container-network", new ProcessResult(1, "", "container-network: no such network")));
        // 127 alone is a command's own "not found", not the loader's
        Assert.Null(NativeLibraries.Missing(new ProcessResult(127, "", "sh: foo: not found")));
    }

    /// <summary>A program linked against a library of that soname, which is then deleted.</summary>
    private string LinkAgainstRemovedLibrary(string soname)
    {
        File.WriteAllText(Path.Combine(_work, "lib.c"), "int probe_value(void) { return 7; }\n");
        File.WriteAllText(Path.Combine(_work, "probe.c"), "int probe_value(void);\nint main(void) { return probe_value() == 7 ? 0 : 1; }\n");
        var library = Path.Combine(_work, soname);
        Gcc(["-shared", "-fPIC", "-Wl,-soname," + soname, "-o", library, Path.Combine(_work, "lib.c")]);
        var program = Path.Combine(_work, "probe");
        Gcc(["-o", program, Path.Combine(_work, "probe.c"), library]);
        File.Delete(library);
        return program;
    }

    private static void Gcc(string[] arguments)
    {
        var result = ProcessRunner.Run("gcc", arguments);
        Assert.True(result.Succeeded, result.ErrorText);
    }
}
