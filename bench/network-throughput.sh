#!/usr/bin/env bash
# Benchmark: TCP throughput (iperf3) to a container through its published port and from another
# container on the same bridge, ours against podman's (netavark's DNAT and bridge), and against
# a direct veth pair between two namespaces (no bridge, no firewall: the floor of the path), in
# rounds, each round every path in turn (a loaded machine's drift falls on each alike), printed
# as ratios of the medians (issue 11 asks, through a published port: at least podman's, and at
# least 0.9x the container's address reached directly).
# Each of ours and podman's is a sleeping busybox container on its default bridge with
# -p 5201:5201 and a second one beside it, in a network namespace of the benchmark's own that
# plays their host, with a remote host wired to it (another namespace): the machine's network
# is not touched. busybox has no iperf3: the server is the host's binary run in the container's
# network namespace (nsenter --net), which is all of the container the network path sees, and
# so is the client in the other container's. The paths: from the remote host to the host's
# address (the published port, DNAT in prerouting), from the host itself to its address (DNAT
# in output), from the host to the container's address (no DNAT), and from the other container
# (across the bridge).
# Needs root, podman (netavark), iperf3, busybox-static, python3 and a built tree.
# usage: bench/network-throughput.sh [SECONDS] [ROUNDS]     (each measurement; default: 3 s, 3 rounds)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
seconds=${1:-3}
rounds=${2:-3}
for tool in podman iperf3 python3 nsenter ip; do
    command -v "$tool" >/dev/null || { echo "needs $tool (apt-get install $tool)" >&2; exit 1; }
done
. "$here/lib/store.sh"
. "$here/lib/peers.sh"
. "$here/lib/netns.sh"
bench_network_peers network-throughput
docker_ns=bench-docker-$$
bench_netns_add "$docker_ns"
for ns in "$ours_host" "$podman_host" "$docker_ns"; do
    bench_netns_add "$ns-remote"
    bench_netns_connect "$ns" "$ns-remote"
done
# the floor: two namespaces and a veth pair between them, nothing else
veth_a=bench-veth-a-$$
veth_b=bench-veth-b-$$
bench_netns_add "$veth_a"
bench_netns_add "$veth_b"
bench_netns_connect "$veth_a" "$veth_b"

cat > "$work/measure.sh" <<'EOS'
set -euo pipefail
. "$here/lib/peers.sh"
. "$here/lib/netns.sh"
podman_ready_here
podman_private_network_state
trap 'kill $(cat "$work"/iperf3-*.pid 2>/dev/null) 2>/dev/null || true; podman rm -f -a -t 0 >/dev/null 2>&1 || true' EXIT

# iperf3's server in the namespace, as a daemon
serve() { nsenter --net="$1" iperf3 -s -D -1 -p 5201 --pidfile "$work/iperf3-$2.pid"; }
# measure NAME SERVER CLIENT ADDRESS: iperf3's server in the namespace SERVER, its client in CLIENT,
# the received bits/s appended to results/NAME
measure() {
    local name=$1 server=$2 client=$3 address=$4
    serve "$server" "$name"
    for _ in $(seq 100); do nsenter --net="$server" sh -c 'grep -q ":1451 .* 0A " /proc/net/tcp /proc/net/tcp6' && break; sleep 0.05; done
    nsenter --net="$client" iperf3 -c "$address" -p 5201 -t "$seconds" -J |
        python3 -c 'import json, sys; print(json.load(sys.stdin)["end"]["sum_received"]["bits_per_second"])' >> "$results/$name"
}

# ours: the engine's driver makes the bridge in the namespace that plays the host
read -r id address < <(CONTAINER_HOST_NETNS=/run/netns/$ours_host "$bench" "$work/ours" start-published busybox:bench web 5201:5201)
read -r other _ < <(CONTAINER_HOST_NETNS=/run/netns/$ours_host "$bench" "$work/ours" start-published busybox:bench other)
ours_server=$CONTAINER_RUNROOT/netns/$id ours_other=$CONTAINER_RUNROOT/netns/$other ours_address=$address
echo "ours: $address" >&2

# podman, run in the namespace that plays its host
in_podman_host="nsenter --net=/run/netns/$podman_host"
$in_podman_host podman run -d --name web -p 5201:5201 localhost/busybox:bench sleep 100000 >/dev/null
$in_podman_host podman run -d --name other localhost/busybox:bench sleep 100000 >/dev/null
podman_server=$(podman inspect -f '{{.NetworkSettings.SandboxKey}}' web)
podman_other=$(podman inspect -f '{{.NetworkSettings.SandboxKey}}' other)
podman_address=$(podman inspect -f '{{.NetworkSettings.IPAddress}}' web)
echo "podman: $podman_address" >&2

# docker where dockerd starts: a private one in the namespace that plays its host, with its
# defaults there (iptables DNAT, docker-proxy for the host's loopback)
tools="ours podman"
ours_netns=$ours_host podman_netns=$podman_host docker_netns=$docker_ns
start_private_dockerd "$docker_ns"
if [ -n "$docker_host" ] && docker -H "$docker_host" import "$work/busybox.tar" busybox:bench >/dev/null; then
    trap 'kill $(cat "$work"/iperf3-*.pid 2>/dev/null) 2>/dev/null || true; podman rm -f -a -t 0 >/dev/null 2>&1 || true
          docker -H "$docker_host" rm -f web other >/dev/null 2>&1 || true; stop_private_dockerd' EXIT
    docker -H "$docker_host" run -d --name web -p 5201:5201 busybox:bench sleep 100000 >/dev/null
    docker -H "$docker_host" run -d --name other busybox:bench sleep 100000 >/dev/null
    docker_server=$(docker -H "$docker_host" inspect -f '{{.NetworkSettings.SandboxKey}}' web)
    docker_other=$(docker -H "$docker_host" inspect -f '{{.NetworkSettings.SandboxKey}}' other)
    docker_address=$(docker -H "$docker_host" inspect -f '{{.NetworkSettings.IPAddress}}' web)
    echo "docker: $docker_address" >&2
    tools="ours podman docker"
fi
echo "$tools" > "$results/tools"

for round in $(seq "$rounds"); do
    echo "round $round of $rounds" >&2
    measure veth /run/netns/$veth_a /run/netns/$veth_b 198.51.100.1
    # the tools in turn, in the opposite order every other round: none is always first
    order=$tools; [ $((round % 2)) = 1 ] || order=$(echo "$tools" | tr ' ' '\n' | tac | tr '\n' ' ')
    for tool in $order; do
        eval "server=\$${tool}_server other=\$${tool}_other address=\$${tool}_address host=\$${tool}_netns"
        measure "$tool-remote" "$server" "/run/netns/$host-remote" 198.51.100.1
        measure "$tool-host" "$server" "/run/netns/$host" 198.51.100.1
        measure "$tool-loopback" "$server" "/run/netns/$host" 127.0.0.1
        measure "$tool-direct" "$server" "/run/netns/$host" "$address"
        measure "$tool-other" "$server" "$other" "$address"
    done
done
CONTAINER_HOST_NETNS=/run/netns/$ours_host "$bench" "$work/ours" remove-all
$in_podman_host podman rm -f -t 0 web other >/dev/null
EOS
here=$here work=$work bench=$bench seconds=$seconds rounds=$rounds ours_host=$ours_host podman_host=$podman_host docker_ns=$docker_ns veth_a=$veth_a veth_b=$veth_b \
    unshare -m --propagation private bash "$work/measure.sh"

python3 - "$work/results" <<'PY'
import os, statistics, sys
results = sys.argv[1]
def gbits(name):
    return statistics.median(float(line) for line in open(os.path.join(results, name))) / 1e9
tools = open(os.path.join(results, "tools")).read().split()
rounds = len(open(os.path.join(results, "veth")).read().split())
veth = gbits("veth")
print(f"TCP throughput (iperf3, received; the median of {rounds} rounds)")
print(f"  {'':40}" + "".join(f" {tool:>10}" for tool in tools))
paths = [("remote", "remote host -> published port"), ("host", "host -> its own address, published"),
         ("loopback", "host -> 127.0.0.1, published"), ("direct", "host -> container's address"),
         ("other", "container -> container, same bridge")]
for path, label in paths:
    print(f"  {label:40}" + "".join(f" {gbits(tool + '-' + path):5.2f} Gb/s" for tool in tools))
print(f"  {'a direct veth between two namespaces':40} {veth:5.2f} Gb/s")
# issue 11's targets: through a published port at least podman's (and docker's), and at least
# 0.9x the container's address reached directly (from the host: from elsewhere the bridge takes
# only published ports, as docker's does)
for peer in tools[1:]:
    for path, label in [("remote", "from the remote host"), ("host", "from the host"), ("loopback", "from 127.0.0.1")]:
        print(f"ours / {peer}, published port {label + ':':22} {gbits('ours-' + path) / gbits(peer + '-' + path):5.2f}x   (wanted: at least 1x)")
for path, label in [("host", "the host's address"), ("loopback", "127.0.0.1")]:
    print(f"ours published / ours direct, from {label + ':':20} {gbits('ours-' + path) / gbits('ours-direct'):5.2f}x   (wanted: at least 0.9x)")
print(f"ours / podman, container to container:            {gbits('ours-other') / gbits('podman-other'):5.2f}x")
print(f"ours published (remote) / direct veth:            {gbits('ours-remote') / veth:5.2f}x   (the floor: no bridge, no routing)")
print(f"ours container to container / direct veth:        {gbits('ours-other') / veth:5.2f}x")
print(f"the load meanwhile: {open('/proc/loadavg').read().split()[0]} (1 min), on {os.cpu_count()} cores")
PY
