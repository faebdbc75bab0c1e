#!/usr/bin/env bash
# Benchmark: create + start + wait + remove of /bin/true on the default bridge, ours against
# `podman run --rm` on its default bridge (netavark) and against our own `-Network none` run,
# in one run, printed as ratios (issue 11 asks: at least 8x podman, at most 1.5x our none).
# Ours is driven through the engine's API by bench/Bench, as container-lifecycle.sh does; each
# of ours and podman's bridges is made in a network namespace of the benchmark's own that
# plays the host (ours: CONTAINER_HOST_NETNS; podman: run in it by nsenter, whose own cost is
# measured alone and taken out): the machine's network is not touched.
# Needs root, podman (netavark), busybox-static, python3 and a built tree.
# usage: bench/network-lifecycle.sh [RUNS]     (default: 30)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
runs=${1:-30}
for tool in podman python3 nsenter ip; do
    command -v "$tool" >/dev/null || { echo "needs $tool (apt-get install $tool)" >&2; exit 1; }
done
. "$here/lib/store.sh"
. "$here/lib/peers.sh"
. "$here/lib/netns.sh"
bench_network_peers network-lifecycle

# in a private mount namespace, as container-lifecycle.sh says why (crun on hybrid hosts)
cat > "$work/measure.sh" <<'EOS'
set -euo pipefail
. "$here/lib/peers.sh"
. "$here/lib/netns.sh"
podman_ready_here
podman_private_network_state
echo "lifecycle on the bridge and on none: $runs runs each" >&2
CONTAINER_HOST_NETNS=/run/netns/$ours_host "$bench" "$work/ours" lifecycle busybox:bench "$runs" bridge > "$results/bridge-ours"
"$bench" "$work/ours" lifecycle busybox:bench "$runs" none > "$results/none-ours"
in_podman_host="nsenter --net=/run/netns/$podman_host"
"$bench" "$work/ours" exec "$runs" -- $in_podman_host podman run --rm localhost/busybox:bench /bin/true > "$results/bridge-podman"
"$bench" "$work/ours" exec "$runs" -- $in_podman_host true > "$results/nsenter"
EOS
here=$here work=$work bench=$bench runs=$runs ours_host=$ours_host podman_host=$podman_host \
    unshare -m --propagation private bash "$work/measure.sh"

python3 - "$work/results" <<'PY'
import json, os, statistics, sys
results = sys.argv[1]
def mean(name):
    return statistics.mean(json.load(open(os.path.join(results, name))))
bridge, none = mean("bridge-ours"), mean("none-ours")
podman = mean("bridge-podman") - mean("nsenter")
print("create + start + wait + remove of /bin/true (mean)")
print(f"  ours, default bridge     {bridge:8.2f} ms")
print(f"  ours, -Network none      {none:8.2f} ms")
print(f"  podman run --rm, bridge  {podman:8.2f} ms   (nsenter's own cost taken out)")
print(f"podman / ours on the bridge: {podman / bridge:.2f}x   (wanted: at least 8x)")
print(f"ours bridge / ours none:     {bridge / none:.2f}x   (wanted: at most 1.5x)")
PY
