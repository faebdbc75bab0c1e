using System.Net;
using System.Net.Sockets;
using Container.Runtime.Errors;
using Container.Runtime.Processes;
using Container.Tests.Fixtures;
using Xunit;

namespace Container.Tests.Build;

/// <summary>
/// What COPY and ADD take besides the context's files, and RUN's heredocs: ADD's local archives
/// unpacked, ADD's URLs fetched (from a server of the test's own on 127.0.0.1) and checked,
/// heredoc bodies; and ONBUILD's triggers run in a child build.
/// </summary>
public sealed class BuildSourceTests : IDisposable
{
    private readonly TestStore store = new();
    private readonly BuildContextFixture context;

    public BuildSourceTests() => context = new BuildContextFixture(store);

    public void Dispose() => store.Dispose();

    [Fact]
    public void ALinkedCopysLayerHoldsOnlyWhatItMakesAndANewBaseDoesNotMissIt()
    {
        context.Write("app.txt", "app\n");
        static string Dockerfile(string version) => $"""
            FROM $IMAGE
            RUN echo {version} > /base
            COPY --link app.txt /opt/app/
            COPY app.txt /plain/
            RUN cat /base /opt/app/app.txt /plain/app.txt > /seen
            """;
        var (first, _) = context.Build(Dockerfile("v1"));
        Assert.Equal("v1\napp\napp", context.Run(first.Id, "cat", "/seen"));
        var linked = first.Layers[^3]; // a build's layers are plain tars: diff id and blob digest are one
        Assert.Equal(["opt", "opt/app", "opt/app/app.txt"], LayerEntries(linked));

        var (second, log) = context.Build(Dockerfile("v2"));
        Assert.Equal([false, true, false, false], log.LayerSteps.Select(s => s.Cached));
        Assert.Equal(linked, second.Layers[^3]);
        Assert.Equal("v2\napp\napp", context.Run(second.Id, "cat", "/seen"));
        Assert.Equal("InvalidInstruction", Assert.Throws<ContainerException>(() => context.Build("FROM $IMAGE\nCOPY --exclude=*.md . /\n")).ErrorId);
    }

    private List<string> LayerEntries(string digest)
    {
        using var reader = new System.Formats.Tar.TarReader(store.Engine.Images.Blobs.Open(digest));
        var names = new List<string>();
        while (reader.GetNextEntry() is { } entry)
            if (entry.Name.TrimStart('.', '/').TrimEnd('/') is { Length: > 0 } name)
                names.Add(name);
        return names.Order(StringComparer.Ordinal).ToList();
    }

    [Fact]
    public void AddUnpacksALocalArchiveAndCopiesAnyOtherFileAsItIs()
    {
        context.Write("tree/inner/file", "from the archive\n");
        Assert.Equal(0, ProcessRunner.Run("tar", ["-C", context.PathOf("tree"), "--owner=12", "--group=34", "-czf", context.PathOf("tree.tgz"), "."]).ExitCode);
        context.Write("plain.txt", "not an archive\n");
        var (image, _) = context.Build("""
            FROM $IMAGE
            ADD tree.tgz /unpacked/
            ADD plain.txt /plain.txt
            COPY tree.tgz /copied.tgz
            """);
        Assert.Equal("from the archive\n12:34\nnot an archive\n/copied.tgz",
            context.Run(image.Id, "sh", "-c", "cat /unpacked/inner/file; stat -c '%u:%g' /unpacked/inner/file; cat /plain.txt; ls /copied.tgz"));
    }

    [Fact]
    public void AddFetchesAUrlCheckingItsChecksumAndARemoteChangeMissesTheCache()
    {
        using var server = new OneFileServer("served\n");
        var dockerfile = $"""
            FROM $IMAGE
            ADD --checksum={server.Digest} {server.Url} /checked
            ADD {server.Url} /fetched/
            """;
        var (image, _) = context.Build(dockerfile);
        Assert.Equal("served\nserved\n600", context.Run(image.Id, "sh", "-c", "cat /fetched/file.txt /checked; stat -c %a /checked"));
        Assert.All(context.Build(dockerfile).Log.LayerSteps, s => Assert.True(s.Cached, s.Instruction));

        // a dry run fetches nothing: the checksum keys its step as the build did, the other is known only once fetched
        var fetched = server.Requests;
        var plan = new RecordingBuildLog();
        store.Engine.Builds.Plan(new Container.Runtime.Build.BuildRequest
        {
            ContextDirectory = context.Directory, Dockerfile = dockerfile.Replace("$IMAGE", TestStore.Image, StringComparison.Ordinal), Network = "none",
        }, plan);
        Assert.Equal(fetched, server.Requests);
        Assert.Equal([true, false], plan.LayerSteps.Select(s => s.Cached));
        Assert.Contains("a dry run fetches nothing", plan.Steps[^1].Reason, StringComparison.Ordinal);

        server.Content = "changed\n";
        var (changed, log) = context.Build($"FROM $IMAGE\nADD {server.Url} /fetched/\n");
        Assert.False(Assert.Single(log.LayerSteps).Cached);
        Assert.Equal("changed", context.Run(changed.Id, "cat", "/fetched/file.txt"));
        var error = Assert.Throws<ContainerException>(() => context.Build(dockerfile));
        Assert.Equal("InvalidInstruction", error.ErrorId);
        Assert.Contains("--checksum", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void HeredocsAreCopiedAsFilesAndRunAsScripts()
    {
        var (image, log) = context.Build("""
            FROM $IMAGE
            ENV WHO=heredoc
            COPY <<EOF /greeting
            hello from the $WHO
            EOF
            COPY <<'EOF' /literal
            kept as $WHO
            EOF
            RUN <<EOF
            echo script line one
            echo "script sees $WHO" > /ran
            EOF
            RUN cat <<EOF > /fed
            fed to cat
            EOF
            """);
        Assert.Contains("script line one", log.Lines);
        Assert.Equal("hello from the heredoc\nkept as $WHO\nscript sees heredoc\nfed to cat\n644",
            context.Run(image.Id, "sh", "-c", "cat /greeting /literal /ran /fed; stat -c %a /greeting"));
    }

    [Fact]
    public void OnbuildTriggersAreStoredAndRunInTheChildBuild()
    {
        context.Write("child.txt", "the child's file\n");
        var (parent, _) = context.Build("""
            FROM $IMAGE
            ONBUILD COPY child.txt /from-child.txt
            ONBUILD RUN echo triggered > /triggered
            """, tag: "parent:1");
        Assert.Equal(["COPY child.txt /from-child.txt", "RUN echo triggered > /triggered"], parent.Config.Config!.OnBuild);

        var (child, _) = context.Build("FROM parent:1\nRUN cat /from-child.txt /triggered > /both\n", tag: "child:1");
        Assert.Null(child.Config.Config!.OnBuild); // a trigger fires once: the grandchild does not run it again
        Assert.Equal("the child's file\ntriggered", context.Run(child.Id, "cat", "/both"));
    }

    /// <summary>One file over HTTP on 127.0.0.1 (/file.txt), its content changeable between requests.</summary>
    private sealed class OneFileServer : IDisposable
    {
        private readonly HttpListener listener = new();
        private readonly Task serving;

        public OneFileServer(string content)
        {
            Content = content;
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            Url = $"http://127.0.0.1:{port}/file.txt";
            listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            listener.Start();
            serving = Task.Run(Serve);
        }

        public string Url { get; }

        public string Content { get; set; }

        private int requests;

        public int Requests => Volatile.Read(ref requests);

        public string Digest => "sha256:" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(Content))).ToLowerInvariant();

        private async Task Serve()
        {
            while (listener.IsListening)
            {
                HttpListenerContext request;
                try
                {
                    request = await listener.GetContextAsync();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }
                Interlocked.Increment(ref requests);
                var body = System.Text.Encoding.UTF8.GetBytes(Content);
                request.Response.ContentLength64 = body.Length;
                await request.Response.OutputStream.WriteAsync(body);
                request.Response.Close();
            }
        }

        public void Dispose()
        {
            listener.Stop();
            listener.Close();
            serving.Wait(TimeSpan.FromSeconds(10));
        }
    }
}
