# Sourced by the container benchmarks: the engine's bench driver built ($bench), a work
# directory of the benchmark's own ($work, removed with every container in it at exit), and
# busybox as an archive ($work/busybox.tar) imported into our store ($work/ours) as busybox:bench.
# Each tool's run root is on tmpfs, as their defaults are (/run/container, podman's
# /run/containers/storage): ours in $runroots/ours (CONTAINER_RUNROOT), podman's in $runroots/podman.
# usage: bench_store_setup NAME   (after $here and $repo are set)
bench_store_setup() {
    dotnet build "$here/Bench/Bench.csproj" -c Release -v quiet -nologo >/dev/null
    bench="$here/Bench/bin/Release/net10.0/Bench"
    work=$(mktemp -d "/var/tmp/bench-$1-XXXXXX")
    runroots=$(mktemp -d "/run/bench-$1-XXXXXX")
    export CONTAINER_RUNROOT=$runroots/ours
    trap bench_store_cleanup EXIT
    "$repo/tools/make-busybox-rootfs.sh" "$work/rootfs" >/dev/null
    tar -C "$work/rootfs" -cf "$work/busybox.tar" .
    "$bench" "$work/ours" import "$work/busybox.tar" busybox:bench
    # loopback only, as the peers are run (--network none): the store's default network
    printf '{"defaultNetwork":"none"}\n' > "$work/ours/config.json"
}

bench_store_cleanup() {
    "$bench" "$work/ours" remove-all >/dev/null 2>&1 || true
    # the network helper's work past its end (the veths, the namespace directory's mount) done first
    local background=$runroots/ours/netns/background.lock
    [ ! -e "$background" ] || flock "$background" true
    rm -rf "$work" "$runroots"
}
