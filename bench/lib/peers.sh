# Sourced by the benchmarks: podman and dockerd set up to run beside ours on these hosts,
# with every store under the benchmark's own directory ($work).

# podman as root asks for rlimits root lacks here, and keeps its store where we say
podman_private_config() {
    cat > "$work/containers.conf" <<CONF
[containers]
default_ulimits = ["nofile=$(ulimit -Hn):$(ulimit -Hn)", "nproc=$(cat /proc/sys/kernel/pid_max):$(cat /proc/sys/kernel/pid_max)"]
[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
CONF
    cat > "$work/storage.conf" <<CONF
[storage]
driver = "overlay"
graphroot = "$work/podman/storage"
runroot = "$runroots/podman"
CONF
    export CONTAINERS_CONF=$work/containers.conf CONTAINERS_STORAGE_CONF=$work/storage.conf
}

# crun (podman's runtime) refuses hybrid hosts whose cgroup2 mount lists controllers: call this
# in the private mount namespace the measuring runs in, where that list is hidden
hide_hybrid_controllers() {
    local controllers=/sys/fs/cgroup/unified/cgroup.controllers
    if [ -e $controllers ]; then : > "$work/empty"; mount --bind "$work/empty" $controllers; fi
}

# a private dockerd; sets docker_host, or leaves it empty. Its network is off (the host's is
# not touched), unless a namespace of the benchmark's own is given for it to play its host in:
# there it has its defaults (docker0, iptables DNAT, docker-proxy)
# usage: start_private_dockerd [NETNS]
start_private_dockerd() {
    docker_host=
    command -v dockerd >/dev/null || return 0
    local socket=$work/docker.sock in_netns=() network=(--iptables=false --ip-masq=false --bridge=none)
    if [ -n "${1:-}" ]; then in_netns=(nsenter "--net=/run/netns/$1"); network=(); fi
    "${in_netns[@]}" dockerd --data-root "$work/docker/data" --exec-root "$work/docker/exec" --pidfile "$work/docker.pid" \
        -H "unix://$socket" "${network[@]}" >"$work/dockerd.log" 2>&1 &
    for _ in $(seq 100); do docker -H "unix://$socket" info >/dev/null 2>&1 && break; sleep 0.2; done
    if docker -H "unix://$socket" info >/dev/null 2>&1; then
        docker_host=unix://$socket
    else
        echo "dockerd did not start (see $work/dockerd.log): no docker numbers" >&2
    fi
}

stop_private_dockerd() {
    [ -f "$work/docker.pid" ] && kill "$(cat "$work/docker.pid")" 2>/dev/null || true
    wait || true
}

# the start of a measuring script, in its private mount namespace: podman's containers go with
# this namespace (crun cannot act on them outside it), so they are removed at its exit; crun's
# refusal of hybrid hosts is kept off; busybox is imported as localhost/busybox:bench; the
# timings go under $results
podman_ready_here() {
    trap 'podman rm -f -a -t 0 >/dev/null 2>&1 || true' EXIT
    hide_hybrid_controllers
    podman import -q "$work/busybox.tar" localhost/busybox:bench >/dev/null
    results=$work/results
    mkdir -p "$results"
}

# count sleeping containers running, ours and podman's each (those running already are kept)
sleepers_running() {
    "$bench" "$work/ours" start-many busybox:bench "$1"
    for i in $(seq "$(podman ps -q | wc -l)" $(($1 - 1))); do
        podman run -d --network none --name "sleeper-$i" localhost/busybox:bench sleep 100000 >/dev/null
    done
}
