#!/usr/bin/env bash
# Benchmark: Build-ContainerImage against podman build (buildah), the same Dockerfile and
# context, in one run, as ratios (issue 14's targets):
#   - a cold build (--no-cache): at least as fast;
#   - a rebuild with nothing changed (every step from the cache): at least 5x faster;
#   - a rebuild after one copied file changed (from that COPY on): at least 2x faster.
# Ours is driven through the engine's API by bench/Bench: in a new process each time, and in
# one process that built before (as a pwsh session builds); podman's command is timed from its
# spawn to its exit. podman build runs its steps with runc (crun refuses these hybrid hosts
# from inside buildah, shared/PEERS.md). Every store is on the same disk.
# Needs root, podman, runc, busybox-static and a built tree.
# usage: bench/build.sh [RUNS]     (default: 10 runs)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
runs=${1:-10}
for tool in podman runc python3; do
    command -v "$tool" >/dev/null || { echo "needs $tool (apt-get install $tool)" >&2; exit 1; }
done
. "$here/lib/store.sh"
bench_store_setup build
. "$here/lib/peers.sh"
podman_private_config

# the context: a hundred 10 KB files and one that the third case changes before each build
context=$work/context
mkdir -p "$context/app"
for i in $(seq 100); do head -c 10240 /dev/urandom | base64 > "$context/app/file-$i.txt"; done
echo first > "$context/app/changed.txt"
dockerfile() {
    cat <<DOCKERFILE
FROM $1
RUN mkdir -p /app/data && for i in \$(seq 1 200); do echo \$i > /app/data/\$i; done
COPY app/ /app/src/
RUN cat /app/src/changed.txt > /app/stamp && ls /app/src | wc -l > /app/count
ENV MODE=bench
WORKDIR /app
CMD ["cat", "/app/stamp"]
DOCKERFILE
}
dockerfile busybox:bench > "$context/Dockerfile"
dockerfile localhost/busybox:bench > "$context/Dockerfile.podman"
change="head -c 16 /dev/urandom | base64 > $context/app/changed.txt"

cat > "$work/measure.sh" <<'EOS'
set -euo pipefail
. "$here/lib/peers.sh"
podman_ready_here
podman_build="podman build -q --runtime runc --format docker --network none -f $context/Dockerfile.podman -t bench:1 $context"
ours_build="$bench $work/ours build $context bench:1"

echo "cold builds: $runs runs each" >&2
"$bench" "$work/ours" exec "$runs" -- $ours_build --no-cache > "$results/cold-ours"
"$bench" "$work/ours" build-warm "$context" bench:1 "$runs" --no-cache > "$results/cold-ours-warm"
"$bench" "$work/ours" exec "$runs" -- $podman_build --no-cache > "$results/cold-podman"
echo "rebuilds, nothing changed" >&2
"$bench" "$work/ours" exec "$runs" -- $ours_build > "$results/cached-ours"
"$bench" "$work/ours" build-warm "$context" bench:1 "$runs" --cache > "$results/cached-ours-warm"
"$bench" "$work/ours" exec "$runs" -- $podman_build > "$results/cached-podman"
echo "rebuilds, one copied file changed" >&2
"$bench" "$work/ours" exec "$runs" -- bash -c "$change && $ours_build" > "$results/changed-ours"
"$bench" "$work/ours" build-warm "$context" bench:1 "$runs" --cache "$change" > "$results/changed-ours-warm"
"$bench" "$work/ours" exec "$runs" -- bash -c "$change && $podman_build" > "$results/changed-podman"
podman rmi -a -f >/dev/null 2>&1 || true
EOS
here=$here work=$work bench=$bench runs=$runs context=$context change=$change unshare -m --propagation private bash "$work/measure.sh"

python3 - "$work/results" <<'PY'
import json, os, statistics, sys
results = sys.argv[1]
load = lambda name: json.load(open(os.path.join(results, name)))
print(f"{'':44} {'mean':>10} {'min':>10} {'podman / it':>12}")
for case, title, target in [("cold", "cold build (--no-cache)", 1), ("cached", "rebuild, nothing changed", 5),
                            ("changed", "rebuild, one copied file changed", 2)]:
    podman = statistics.mean(load(f"{case}-podman"))
    print(title)
    for label, name in [("ours, new process", f"{case}-ours"), ("ours, in a session", f"{case}-ours-warm"), ("podman build", f"{case}-podman")]:
        times = load(name)
        print(f"  {label:42} {statistics.mean(times):8.1f}ms {min(times):8.1f}ms {podman / statistics.mean(times):11.2f}x")
    for label, name in [("new process", f"{case}-ours"), ("in a session", f"{case}-ours-warm")]:
        ratio = podman / statistics.mean(load(name))
        print(f"  target {target}x, ours {label}: {ratio:.2f}x, {'met' if ratio >= target else 'not met'}")
PY
