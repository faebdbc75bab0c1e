#!/usr/bin/env bash
# Benchmark: create + start + wait + remove of /bin/true on the default bridge, ours against
# `podman run --rm` on its default bridge (netavark), `docker run --rm` on its (where dockerd
# starts) and our own `-Network none` run, each round all in turn (a loaded machine's drift
# falls on each alike), printed as ratios (issue 11 asks: at least 8x podman, at most 1.5x our
# none).
# Ours is driven through the engine's API by bench/Bench, as container-lifecycle.sh does; each
# of ours and podman's bridges is made in a network namespace of the benchmark's own that
# plays the host (ours: CONTAINER_HOST_NETNS; podman: run in it by nsenter, whose own cost is
# measured alone and taken out; dockerd: started in it): the machine's network is not touched.
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
docker_ns=bench-docker-$$
bench_netns_add "$docker_ns"

# in a private mount namespace, as container-lifecycle.sh says why (crun on hybrid hosts)
cat > "$work/measure.sh" <<'EOS'
set -euo pipefail
. "$here/lib/peers.sh"
. "$here/lib/netns.sh"
podman_ready_here
podman_private_network_state
docker_run=()
start_private_dockerd "$docker_ns"
if [ -n "$docker_host" ] && docker -H "$docker_host" import "$work/busybox.tar" busybox:bench >/dev/null; then
    trap 'podman rm -f -a -t 0 >/dev/null 2>&1 || true; stop_private_dockerd' EXIT
    docker_run=(-- docker -H "$docker_host" run --rm busybox:bench /bin/true)
fi
echo "lifecycle on the bridge and on none, the peers' on their bridges: $runs rounds, each in turn" >&2
in_podman_host="nsenter --net=/run/netns/$podman_host"
CONTAINER_HOST_NETNS=/run/netns/$ours_host "$bench" "$work/ours" lifecycle-versus busybox:bench "$runs" bridge none \
    -- $in_podman_host podman run --rm localhost/busybox:bench /bin/true -- $in_podman_host true "${docker_run[@]}" > "$results/rounds"
EOS
here=$here work=$work bench=$bench runs=$runs ours_host=$ours_host podman_host=$podman_host docker_ns=$docker_ns \
    unshare -m --propagation private bash "$work/measure.sh"

python3 - "$work/results" <<'PY'
import json, os, statistics, sys
bridge, none, podman, nsenter, *docker = json.load(open(os.path.join(sys.argv[1], "rounds")))
# podman's runs less nsenter's own cost, round by round
podman = [p - n for p, n in zip(podman, nsenter)]
print("create + start + wait + remove of /bin/true, run in turn each round")
print(f"  {'':26} {'mean':>9} {'median':>9} {'min':>9}")
rows = [("ours, default bridge", bridge), ("ours, -Network none", none), ("podman run --rm, bridge", podman)]
for label, times in rows + [("docker run --rm, bridge", d) for d in docker]:
    print(f"  {label:26} {statistics.mean(times):6.2f} ms {statistics.median(times):6.2f} ms {min(times):6.2f} ms")
print("  (podman's: nsenter's own cost taken out)")
def ratio(a, b):
    return f"{statistics.mean(a) / statistics.mean(b):.2f}x (medians {statistics.median(a) / statistics.median(b):.2f}x)"
print(f"podman / ours on the bridge: {ratio(podman, bridge)}   (wanted: at least 8x)")
for d in docker:
    print(f"docker / ours on the bridge: {ratio(d, bridge)}")
print(f"ours bridge / ours none:     {ratio(bridge, none)}   (wanted: at most 1.5x)")
print(f"the load meanwhile: {open('/proc/loadavg').read().split()[0]} (1 min), on {os.cpu_count()} cores")
PY
