# Sourced by the network benchmarks: network namespaces of the benchmark's own that play the
# host and remote hosts, so that nothing touches the machine's network. Each is removed by
# bench_netns_cleanup (the caller's EXIT trap).
bench_netns=()

# bench_netns_add NAME: a namespace with its loopback up
bench_netns_add() {
    ip netns add "$1"
    ip -n "$1" link set lo up
    bench_netns+=("$1")
}

# bench_netns_connect HOST REMOTE: a veth pair between them, the host 198.51.100.1/24, the remote .2
bench_netns_connect() {
    local suffix=$RANDOM
    ip link add "h$suffix" netns "$1" type veth peer name "r$suffix" netns "$2"
    ip -n "$1" addr add 198.51.100.1/24 dev "h$suffix"
    ip -n "$2" addr add 198.51.100.2/24 dev "r$suffix"
    ip -n "$1" link set "h$suffix" up
    ip -n "$2" link set "r$suffix" up
}

bench_netns_cleanup() {
    local ns
    for ns in "${bench_netns[@]}"; do ip netns del "$ns" 2>/dev/null || true; done
}

# bench_network_peers NAME: how both network benchmarks begin: their store (store.sh), podman's
# private configuration (peers.sh) with its networks' beside its store rather than in /etc, and
# a namespace each that plays our host and podman's ($ours_host, $podman_host); all of it
# removed at exit
bench_network_peers() {
    bench_store_setup "$1"
    trap 'bench_store_cleanup; bench_netns_cleanup' EXIT
    podman_private_config
    printf '[network]\nnetwork_config_dir = "%s"\n' "$work/podman/networks" >> "$work/containers.conf"
    ours_host=bench-ours-$$
    podman_host=bench-podman-$$
    bench_netns_add "$ours_host"
    bench_netns_add "$podman_host"
}

# podman 4.3 keeps its networks' run state (netavark's address leases, ipam.db) in
# /run/containers/networks whatever its configuration says: in the measuring mount namespace
# (after podman_ready_here), a tmpfs of its own there
podman_private_network_state() {
    mkdir -p /run/containers
    mount -t tmpfs tmpfs /run/containers
}
