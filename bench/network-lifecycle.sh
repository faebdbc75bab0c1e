#!/usr/bin/env bash
# Benchmark: create + start + wait + remove of /bin/true on the default bridge, ours against
# `podman run --rm` on its default bridge (netavark) and against our own `-Network none` run,
# each round all three in turn (a loaded machine's drift falls on each alike), printed as
# ratios (issue 11 asks: at least 8x podman, at most 1.5x our none).
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
echo "lifecycle on the bridge and on none, podman's on its bridge: $runs rounds, each in turn" >&2
in_podman_host="nsenter --net=/run/netns/$podman_host"
CONTAINER_HOST_NETNS=/run/netns/$ours_host "$bench" "$work/ours" lifecycle-versus busybox:bench "$runs" bridge none \
    -- $in_podman_host podman run --rm localhost/busybox:bench /bin/true -- $in_podman_host true > "$results/rounds"
EOS
here=$here work=$work bench=$bench runs=$runs ours_host=$ours_host podman_host=$podman_host \
    unshare -m --propagation private bash "$work/measure.sh"

python3 - "$work/results" <<'PY'
import json, os, statistics, sys
bridge, none, podman, nsenter = json.load(open(os.path.join(sys.argv[1], "rounds")))
# podman's runs less nsenter's own cost, round by round
podman = [p - n for p, n in zip(podman, nsenter)]
print("create + start + wait + remove of /bin/true, run in turn each round")
print(f"  {'':26} {'mean':>9} {'median':>9} {'min':>9}")
for label, times in [("ours, default bridge", bridge), ("ours, -Network none", none), ("podman run --rm, bridge", podman)]:
    print(f"  {label:26} {statistics.mean(times):6.2f} ms {statistics.median(times):6.2f} ms {min(times):6.2f} ms")
print("  (podman's: nsenter's own cost taken out)")
def ratio(a, b):
    return f"{statistics.mean(a) / statistics.mean(b):.2f}x (medians {statistics.median(a) / statistics.median(b):.2f}x)"
print(f"podman / ours on the bridge: {ratio(podman, bridge)}   (wanted: at least 8x)")
print(f"ours bridge / ours none:     {ratio(bridge, none)}   (wanted: at most 1.5x)")
print(f"the load meanwhile: {open('/proc/loadavg').read().split()[0]} (1 min), on {os.cpu_count()} cores")
PY
