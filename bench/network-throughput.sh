#!/usr/bin/env bash
# Benchmark: TCP throughput (iperf3) to a container through its published port, ours against
# podman's (netavark's DNAT), and against the container's address reached directly, in one
# run, printed as ratios (issue 11 asks: at least podman's, and at least 0.9x the direct).
# Each of ours and podman's is a sleeping busybox container on its default bridge with
# -p 5201:5201, in a network namespace of the benchmark's own that plays its host, with a
# remote host wired to it (another namespace): the machine's network is not touched. busybox
# has no iperf3: the server is the host's binary run in the container's network namespace
# (nsenter --net), which is all of the container the network path sees. Three paths each:
# from the remote host to the host's address (the published port, DNAT in prerouting), from
# the host itself to its address (DNAT in output), and from the host to the container's
# address (no DNAT: the direct baseline of the same path).
# Needs root, podman (netavark), iperf3, busybox-static, python3 and a built tree.
# usage: bench/network-throughput.sh [SECONDS]     (each measurement; default: 5)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
seconds=${1:-5}
for tool in podman iperf3 python3 nsenter ip; do
    command -v "$tool" >/dev/null || { echo "needs $tool (apt-get install $tool)" >&2; exit 1; }
done
. "$here/lib/store.sh"
. "$here/lib/peers.sh"
. "$here/lib/netns.sh"
bench_network_peers network-throughput
for ns in "$ours_host" "$podman_host"; do
    bench_netns_add "$ns-remote"
    bench_netns_connect "$ns" "$ns-remote"
done

cat > "$work/measure.sh" <<'EOS'
set -euo pipefail
. "$here/lib/peers.sh"
. "$here/lib/netns.sh"
podman_ready_here
podman_private_network_state
trap 'kill $(cat "$work"/iperf3-*.pid 2>/dev/null) 2>/dev/null || true; podman rm -f -a -t 0 >/dev/null 2>&1 || true' EXIT

# iperf3's server in the namespace, as a daemon
serve() { nsenter --net="$1" iperf3 -s -D -1 -p 5201 --pidfile "$work/iperf3-$2.pid"; }
# measure NAME NAMESPACE ADDRESS: iperf3's client in the namespace, its received bits/s in results/NAME
measure() {
    local name=$1 ns=$2 address=$3
    serve "$server_ns" "$name"
    for _ in $(seq 100); do nsenter --net="$server_ns" sh -c 'grep -q ":1451 .* 0A " /proc/net/tcp /proc/net/tcp6' && break; sleep 0.05; done
    nsenter --net="$ns" iperf3 -c "$address" -p 5201 -t "$seconds" -J > "$results/$name.json"
}

# ours: the engine's driver makes the bridge in the namespace that plays the host
read -r id address < <(CONTAINER_HOST_NETNS=/run/netns/$ours_host "$bench" "$work/ours" start-published busybox:bench web 5201:5201)
server_ns=$CONTAINER_RUNROOT/netns/$id
echo "ours: $address" >&2
measure ours-remote "/run/netns/$ours_host-remote" 198.51.100.1
measure ours-host "/run/netns/$ours_host" 198.51.100.1
measure ours-direct "/run/netns/$ours_host" "$address"
CONTAINER_HOST_NETNS=/run/netns/$ours_host "$bench" "$work/ours" remove-all

# podman, run in the namespace that plays its host
in_podman_host="nsenter --net=/run/netns/$podman_host"
$in_podman_host podman run -d --name web -p 5201:5201 localhost/busybox:bench sleep 100000 >/dev/null
server_ns=$(podman inspect -f '{{.NetworkSettings.SandboxKey}}' web)
address=$(podman inspect -f '{{.NetworkSettings.IPAddress}}' web)
echo "podman: $address" >&2
measure podman-remote "/run/netns/$podman_host-remote" 198.51.100.1
measure podman-host "/run/netns/$podman_host" 198.51.100.1
measure podman-direct "/run/netns/$podman_host" "$address"
$in_podman_host podman rm -f -t 0 web >/dev/null
EOS
here=$here work=$work bench=$bench seconds=$seconds ours_host=$ours_host podman_host=$podman_host \
    unshare -m --propagation private bash "$work/measure.sh"

python3 - "$work/results" <<'PY'
import json, os, sys
results = sys.argv[1]
def gbits(name):
    return json.load(open(os.path.join(results, name + ".json")))["end"]["sum_received"]["bits_per_second"] / 1e9
print("TCP throughput to the container (iperf3, received)")
print(f"  {'':38} {'ours':>10} {'podman':>10}")
for path, label in [("remote", "remote host -> published port"), ("host", "host -> its own address, published"), ("direct", "host -> container's address (direct)")]:
    print(f"  {label:38} {gbits('ours-' + path):7.2f} Gb/s {gbits('podman-' + path):7.2f} Gb/s")
print(f"ours / podman through the published port, from the remote host: {gbits('ours-remote') / gbits('podman-remote'):.2f}x   (wanted: at least 1x)")
print(f"ours published / ours direct, from the host:                    {gbits('ours-host') / gbits('ours-direct'):.2f}x   (wanted: at least 0.9x)")
PY
