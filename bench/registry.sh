#!/usr/bin/env bash
# Benchmark: pull and push (issue 13) of one ~100 MB four-layer image of Debian files (as
# image-import.sh makes it, gzip'd layers) to and from a docker-registry of the benchmark's own
# on 127.0.0.1 (plain HTTP), in one hyperfine run, as ratios against the fastest peer:
#   - pull, including unpacking, into an empty store: ours (fetch, verify, unpack) against
#     `skopeo copy docker:// oci:` (no unpacking), the same followed by `umoci unpack`,
#     `skopeo copy docker:// containers-storage:` (unpacks into overlay layers) and `podman pull`;
#   - a second pull of the same image, the store holding it already: ours against `podman pull`,
#     with the start of our process (bench/Bench doing nothing) beside it, and ours again timed
#     in the process that pulled already, as a pwsh session pulls again;
#   - push of the image to a repository the registry lacks: ours against `skopeo copy oci:
#     docker://` of the layout (blobs as they are) and `podman push` (which compresses again).
# Ours is driven through the engine's API by bench/Bench. Each podman has its own --root and
# --runroot. The whole run is in a private mount namespace with fresh tmpfs over /dev/shm (the
# work directory, the registry's config and storage, podman's lock memory), /var/lib (skopeo's
# and podman's blob-info caches) and /var/tmp (their big temporary files): tmpfs for every tool
# alike, as image-import.sh says why, and nothing of theirs reaches the host.
# Needs root, hyperfine, skopeo, umoci, podman, docker-registry, curl, python3 and a built tree.
# usage: bench/registry.sh [RUNS]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
runs=${1:-5}
for tool in hyperfine skopeo umoci podman docker-registry curl python3; do
    command -v "$tool" >/dev/null || { echo "needs $tool (apt-get install $tool)" >&2; exit 1; }
done
if [ -z "${BENCH_REGISTRY_PRIVATE:-}" ]; then
    dotnet build "$here/Bench/Bench.csproj" -c Release -v quiet -nologo >/dev/null
    exec env BENCH_REGISTRY_PRIVATE=1 unshare -m --propagation private bash "$0" "$@"
fi
for d in /dev/shm /var/lib /var/tmp; do mount -t tmpfs -o mode=1777 tmpfs "$d"; done
bench="$here/Bench/bin/Release/net10.0/Bench"

work=$(mktemp -d /dev/shm/bench-registry-XXXXXX)
registry_pid=
stop_registry() {
    if [ -n "$registry_pid" ]; then kill "$registry_pid" 2>/dev/null || true; wait "$registry_pid" 2>/dev/null || true; fi
}
# containers-storage keeps its overlay directory mounted (private) after the tools exit
unmount_under() { findmnt -rn -o TARGET | grep "^$1/" | sort -r | xargs -r umount; }
export -f unmount_under # for hyperfine's --prepare, in bash
trap 'stop_registry; unmount_under "$work"; rm -rf "$work"' EXIT
# no tool reads the host's logins or caches
export REGISTRY_AUTH_FILE=$work/auth.json TMPDIR=$work/tmp
echo '{}' > "$REGISTRY_AUTH_FILE"
mkdir "$TMPDIR"

# the registry: a free port on 127.0.0.1, a private config and storage, no auth, plain HTTP
registry_data=$work/registry
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
host=127.0.0.1:$port
cat > "$work/registry.yml" <<YAML
version: 0.1
log:
  level: warn
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $registry_data
  delete:
    enabled: true
http:
  addr: $host
  secret: $(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')
YAML
# env -i: the registry reads REGISTRY_* variables over its config, so none of ours
env -i docker-registry serve "$work/registry.yml" >"$work/registry.log" 2>&1 &
registry_pid=$!
for _ in $(seq 100); do curl -sf "http://$host/v2/" >/dev/null && break; sleep 0.1; done
curl -sf "http://$host/v2/" >/dev/null || { echo "docker-registry did not answer on $host:" >&2; cat "$work/registry.log" >&2; exit 1; }

. "$here/lib/image.sh"
layout=$work/layout
bench_debian_layout "$layout"
image=$host/bench/debian:1
skopeo copy -q --dest-tls-verify=false "oci:$layout:bench" "docker://$image"
echo "image: $(du -sh "$layout/blobs" | cut -f1) in the layout, $(umoci stat --image "$layout:bench" | grep -c '^sha256') layers" >&2

# each podman (and skopeo's containers-storage) on a store of its own; podman's lock files and
# state under it too
cat > "$work/containers.conf" <<CONF
[engine]
cgroup_manager = "cgroupfs"
events_logger = "none"
tmp_dir = "$work/podman-tmp"
image_copy_tmp_dir = "$work/tmp"
[network]
network_backend = "cni"
network_config_dir = "$work/podman-networks"
CONF
export CONTAINERS_CONF=$work/containers.conf
podman_in() { echo "podman --root $work/$1/root --runroot $work/$1/run --storage-driver overlay"; }
pull_podman=$(podman_in podman-pull)
again_podman=$(podman_in podman-again)
empty_store() { echo "unmount_under $work/$1; rm -rf $work/$1"; }
skopeo_storage="containers-storage:[overlay@$work/skopeo-storage/root+$work/skopeo-storage/run]$image"
from_registry="skopeo copy -q --src-tls-verify=false docker://$image"

# the stores a second pull and a push start from, made untimed
"$bench" "$work/ours-again" pull "$image"
$again_podman pull -q --tls-verify=false "$image" >/dev/null
"$bench" "$work/ours-push" import "$layout" bench/debian:1
# a push goes to a repository the registry lacks, and no tool remembers where the blobs were
# (skopeo's and podman's blob-info caches would mount them from bench/debian)
fresh_push="rm -rf $registry_data/docker/registry/v2/repositories/push /var/lib/containers/cache"

hyperfine --shell bash --warmup 1 --runs "$runs" --export-json "$work/times.json" \
    -n pull-ours --prepare "rm -rf $work/ours" "$bench $work/ours pull $image" \
    -n pull-skopeo-oci --prepare "rm -rf $work/oci" "$from_registry oci:$work/oci:bench" \
    -n pull-skopeo-oci+umoci --prepare "rm -rf $work/oci $work/umoci" \
        "$from_registry oci:$work/oci:bench && umoci unpack --image $work/oci:bench $work/umoci" \
    -n pull-skopeo-storage --prepare "$(empty_store skopeo-storage)" "$from_registry $skopeo_storage" \
    -n pull-podman --prepare "$(empty_store podman-pull)" "$pull_podman pull -q --tls-verify=false $image" \
    -n again-ours --prepare true "$bench $work/ours-again pull $image" \
    -n again-podman --prepare true "$again_podman pull -q --tls-verify=false $image" \
    -n ours-startup --prepare true "$bench $work/ours-again remove-all" \
    -n push-ours --prepare "$fresh_push" "$bench $work/ours-push push bench/debian:1 $host/push/ours:1" \
    -n push-skopeo --prepare "$fresh_push" "skopeo copy -q --dest-tls-verify=false oci:$layout:bench docker://$host/push/skopeo:1" \
    -n push-podman --prepare "$fresh_push" "$again_podman push -q --tls-verify=false $image $host/push/podman:1"
# ours as a pwsh session pulls and pushes: in a process that did so before (the JIT's work done)
"$bench" "$work/ours-again" pull-again "$image" "$runs" > "$work/again-in-process.json"
"$bench" "$work/ours-warm" pull-warm "$image" "$runs" > "$work/pull-in-process.json"
"$bench" "$work/ours-push" push-warm bench/debian:1 "$host/push/ours:1" "$runs" "$fresh_push" > "$work/push-in-process.json"

python3 - "$work/times.json" "$work/again-in-process.json" "$work/pull-in-process.json" "$work/push-in-process.json" <<'PY'
import json, sys
results = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
def warm(title, file, peers, target):
    times = json.load(open(file))
    mean = sum(times) / len(times) / 1000
    fastest = min(peers, key=lambda p: results[p]["mean"])
    ratio = results[fastest]["mean"] / mean
    print(f"  in one process, as a session {title}: {mean*1000:.0f} ms (min {min(times):.0f}), "
          f"{ratio:.2f}x the speed of {fastest}: {'met' if ratio >= target else 'not met'}")
def row(name, ours):
    r = results[name]
    print(f"  {name:24} {r['mean']*1000:8.0f}ms {r['min']*1000:8.0f}ms {r['mean'] / ours:10.2f}")
def compare(title, ours, peers, target, extra=()):
    mean = results[ours]["mean"]
    print(f"\n{title}\n  {'tool':24} {'mean':>9} {'min':>9} {'it / ours':>10}")
    for name in [ours, *peers, *extra]:
        row(name, mean)
    fastest = min(peers, key=lambda p: results[p]["mean"])
    ratio = results[fastest]["mean"] / mean
    print(f"  ours is {ratio:.2f}x the speed of the fastest peer ({fastest}); the target is {target}x: {'met' if ratio >= target else 'not met'}")
# skopeo's copy to a layout unpacks nothing: shown, but the peers that unpack are those compared
unpacking_pulls = ["pull-skopeo-oci+umoci", "pull-skopeo-storage", "pull-podman"]
compare("pull into an empty store, unpacked", "pull-ours", unpacking_pulls, 1.5, ["pull-skopeo-oci"])
warm("pulls", sys.argv[3], unpacking_pulls, 1.5)
print(f"  against skopeo's copy alone (no unpacking): {results['pull-skopeo-oci']['mean'] / results['pull-ours']['mean']:.2f}x")
compare("second pull, the store has it", "again-ours", ["again-podman"], 5.0, ["ours-startup"])
print(f"  of ours, {results['ours-startup']['mean']*1000:.0f} ms is the process's start (bench/Bench doing nothing), which a pwsh session pays once")
in_process = json.load(open(sys.argv[2]))
mean = sum(in_process) / len(in_process) / 1000
print(f"  in one process, as a session pulls again: {mean*1000:.1f} ms (min {min(in_process):.1f}), "
      f"{results['again-podman']['mean'] / mean:.2f}x the speed of podman: {'met' if results['again-podman']['mean'] / mean >= 5 else 'not met'}")
compare("push to a repository the registry lacks", "push-ours", ["push-skopeo", "push-podman"], 1.0)
warm("pushes", sys.argv[4], ["push-skopeo", "push-podman"], 1.0)
PY
