using System.Formats.Tar;
using System.Security.Cryptography;
using Container.Runtime.Images;
using Container.Tests.Fixtures;
using Container.Tests.Registries;
using Xunit;

namespace Container.Tests.Build;

/// <summary>
/// The same Dockerfiles built by us and by podman build (buildah, in the Debian package), on
/// the same busybox base: the image configs match (docker's format, so that HEALTHCHECK,
/// ONBUILD and SHELL are kept), and so do the file trees (paths, kinds, modes, owners,
/// contents, links), but for what buildah alone leaves behind.
/// </summary>
[Trait("Category", "Peers")]
public sealed class BuildPeerTests : IDisposable
{
    /// <summary>What buildah's RUN leaves in an image and buildkit's does not: its /run mount point and an empty /etc/hostname.</summary>
    private static readonly string[] BuildahArtifacts = ["run", "etc/hostname"];

    private readonly TestStore store = new();
    private readonly BuildContextFixture context;

    public BuildPeerTests() => context = new BuildContextFixture(store);

    public void Dispose() => store.Dispose();

    public static TheoryData<string, string?> Dockerfiles => new()
    {
        {
            // an app with a user of its own, a healthcheck and the config instructions
            """
            FROM $IMAGE
            RUN echo "app:x:1000:1000::/home/app:/bin/sh" >> /etc/passwd && echo "app:x:1000:" >> /etc/group
            WORKDIR /home/app
            COPY --chown=app:app app/run.sh ./
            COPY --chmod=750 app/tools /opt/tools/
            USER app
            EXPOSE 8080 9090/udp
            HEALTHCHECK --interval=10s --timeout=3s --retries=2 CMD test -f /home/app/run.sh
            ENV MODE=prod
            LABEL org.example.role=web org.example.tier="front end"
            STOPSIGNAL SIGTERM
            VOLUME /data
            ENTRYPOINT ["/bin/sh", "/home/app/run.sh"]
            CMD ["serve"]
            ONBUILD RUN echo child
            """, null
        },
        {
            // ARG and ENV substitution, in FROM, ENV, LABEL, WORKDIR and RUN
            """
            ARG BASE=$IMAGE
            FROM ${BASE}
            ARG NAME=world
            ARG GREETING="hello ${NAME}"
            ENV G1="${GREETING}" G2=${UNSET:-fallback} G3=${NAME:+set} G4=$NAME-suffix PATH=/opt/bin:$PATH
            LABEL greeting="$G1" name=${NAME}
            WORKDIR /opt/${NAME}
            RUN mkdir -p /opt/bin && echo "$G1|$G2|$G3|$G4|$NAME" > greeting && ln -s greeting /opt/${NAME}/link
            CMD cat /opt/${NAME}/greeting
            SHELL ["/bin/sh", "-ec"]
            RUN echo "in the shell SHELL names: $-" > /opt/shell
            """, null
        },
        {
            // a multi-stage build: a stage makes an artifact, the final one copies it in
            """
            FROM $IMAGE AS builder
            WORKDIR /src
            COPY app/ ./
            RUN mkdir -p /out/bin && sed 's/serving/built/' run.sh > /out/bin/app && chmod 755 /out/bin/app && echo "made" > /out/stamp
            FROM $IMAGE
            COPY --from=builder /out/ /usr/local/
            RUN rm -rf /tmp && mkdir -m 1777 /tmp
            ENTRYPOINT ["/usr/local/bin/app"]
            """, null
        },
        {
            // the whole context copied, less what a .dockerignore of the corner cases users trip on leaves out
            """
            FROM $IMAGE
            COPY . /ctx/
            COPY sub /sub-only/
            """,
            """
            # comments, blank lines and spaces around a pattern are no patterns

              **/*.log
            !important.log
            node_modules
            **/node_modules
            build/
            !build/keep/
            tmp*
            docs/**/*.md
            !docs/**/README.md
            /rooted/leading
            ./dotted/leading
            */cache
            **/.git
            Dockerfile.*
            sub/skipped?
            !sub/skipped1
            """
        },
    };

    /// <summary>What the .dockerignore case's context holds: each file a pattern above keeps, or leaves out, or takes back.</summary>
    private static readonly string[] IgnoreCaseFiles =
    [
        "a.log", "important.log", "sub/b.log", "sub/important.log", "node_modules/x.js", "web/node_modules/y.js", "web/app.js",
        "build/out.o", "build/keep/k.txt", "tmpfile", "tmpdir/z", "sub/tmpfile", "docs/a.md", "docs/x/y.md", "docs/x/README.md",
        "docs/README.md", "docs/x/y.txt", "rooted/leading", "rooted/other", "dotted/leading", "x/cache/c", "x/y/cache/c",
        ".git/HEAD", "sub/.git/HEAD", "sub/skipped1", "sub/skipped2", "sub/skipped10",
    ];

    /// <summary>The files of that case as docker's rules copy them: the last pattern that matches a path (or a directory above it) decides.</summary>
    private static readonly string[] IgnoreCaseCopied =
    [
        "ctx/.dockerignore", "ctx/app/run.sh", "ctx/app/tools/check", "ctx/build/keep/k.txt", "ctx/docs/README.md", "ctx/docs/x/README.md",
        "ctx/docs/x/y.txt", "ctx/important.log", "ctx/rooted/other", "ctx/sub/skipped1", "ctx/sub/skipped10", "ctx/sub/tmpfile",
        "ctx/web/app.js", "ctx/x/y/cache/c", "sub-only/skipped1", "sub-only/skipped10", "sub-only/tmpfile",
    ];

    [SkippableTheory]
    [MemberData(nameof(Dockerfiles))]
    public void ConfigsAndFileTreesMatchPodmanBuilds(string dockerfile, string? dockerignore)
    {
        var missing = RunningPodman.Unavailable ?? (File.Exists("/usr/bin/runc") ? null : "/usr/bin/runc is not installed (apt-get install runc)");
        Skip.If(missing != null, missing);
        context.Write("app/run.sh", "echo serving \"$@\"\n");
        context.Write("app/tools/check", "#!/bin/sh\necho ok\n");
        if (dockerignore != null)
        {
            context.Write(".dockerignore", dockerignore);
            foreach (var file in IgnoreCaseFiles)
                context.Write(file, file + "\n");
        }
        File.WriteAllText(context.PathOf("Dockerfile.ours"), dockerfile.Replace("$IMAGE", TestStore.Image, StringComparison.Ordinal));
        File.WriteAllText(context.PathOf("Dockerfile.podman"), dockerfile.Replace("$IMAGE", "localhost/" + TestStore.Image, StringComparison.Ordinal));
        var ours = context.Build(File.ReadAllText(context.PathOf("Dockerfile.ours")), tag: "ours:1").Image;

        using var podman = new RunningPodman();
        var baseArchive = Path.Combine(store.Root, "base.tar");
        store.Engine.Exporter.Export([TestStore.Image], baseArchive, ImageArchiveFormat.DockerArchive);
        Succeeded(podman.Podman("load", "-i", baseArchive));
        // runc: crun refuses this host's hybrid cgroups from inside buildah (shared/PEERS.md)
        Succeeded(podman.Podman("build", "--runtime", "runc", "--format", "docker", "--network", "none", "-f", context.PathOf("Dockerfile.podman"),
            "-t", "peer:1", context.Directory));
        var peerArchive = Path.Combine(store.Root, "peer.tar");
        Succeeded(podman.Podman("save", "--format", "docker-archive", "-o", peerArchive, "localhost/peer:1"));
        var peer = store.Engine.Importer.Import(peerArchive, ImageReference.Parse("peer:1"), null).Single();

        var peerConfig = peer.Config.Config!;
        peerConfig.Labels?.Remove("io.buildah.version");
        Assert.Equal(Json(peerConfig), Json(ours.Config.Config!));
        var ourTree = Tree(ours.Id);
        var peerTree = Tree(peer.Id);
        if (dockerignore != null)
            Assert.Equal(IgnoreCaseCopied, ourTree.Where(e => e.Value.StartsWith("RegularFile", StringComparison.Ordinal) && e.Key.Contains('/'))
                .Select(e => e.Key).Where(k => k.StartsWith("ctx/", StringComparison.Ordinal) || k.StartsWith("sub-only/", StringComparison.Ordinal))
                .Order(StringComparer.Ordinal));
        foreach (var artifact in BuildahArtifacts)
            if (!ourTree.ContainsKey(artifact))
                peerTree.Remove(artifact);
        Assert.Equal(peerTree.Where(e => !ourTree.TryGetValue(e.Key, out var o) || o != e.Value).Select(e => $"{e.Key}: {e.Value}"),
            ourTree.Where(e => !peerTree.TryGetValue(e.Key, out var p) || p != e.Value).Select(e => $"{e.Key}: {e.Value}"));
    }

    /// <summary>The config as JSON, what is empty written as none (buildah writes an empty user, working directory, entrypoint, command, volume, label and trigger set, buildkit none: they mean the same).</summary>
    private static string Json(ContainerConfig config)
    {
        if (config.User == "")
            config.User = null;
        if (config.Labels is { Count: 0 })
            config.Labels = null;
        if (config.Entrypoint is { Count: 0 })
            config.Entrypoint = null;
        if (config.Cmd is { Count: 0 })
            config.Cmd = null;
        if (config.Volumes is { Count: 0 })
            config.Volumes = null;
        if (config.ExposedPorts is { Count: 0 })
            config.ExposedPorts = null;
        if (config.OnBuild is { Count: 0 })
            config.OnBuild = null;
        if (config.WorkingDir == "")
            config.WorkingDir = null;
        return Container.Runtime.Json.SerializeToString(config);
    }

    private static void Succeeded(Container.Runtime.Processes.ProcessResult result) =>
        Assert.True(result.Succeeded, result.StandardError + result.StandardOutput);

    /// <summary>An image's files as docker export writes them: each path's kind, mode, owner, size and content digest or link target.</summary>
    private Dictionary<string, string> Tree(string image)
    {
        var name = "tree-" + Guid.NewGuid().ToString("n")[..8];
        store.Containers.Create(new Container.Runtime.Containers.ContainerSpec { Image = image, Name = name, Command = ["true"] });
        var archive = Path.Combine(store.Root, name + ".tar");
        store.Containers.ExportFilesystem(name, archive);
        store.Containers.Remove(name, force: true);
        var tree = new Dictionary<string, string>(StringComparer.Ordinal);
        using var reader = new TarReader(File.OpenRead(archive));
        while (reader.GetNextEntry() is { } entry)
        {
            var digest = entry.DataStream is { } data ? Convert.ToHexString(SHA256.HashData(data))[..16] : "";
            tree[entry.Name.TrimStart('.', '/').TrimEnd('/')] = $"{entry.EntryType} {Convert.ToString((int)entry.Mode, 8)} {entry.Uid}:{entry.Gid} {entry.Length} {digest} {entry.LinkName}";
        }
        return tree;
    }
}
