#!/usr/bin/env bash
# Benchmark: containers as their users see them, ours against podman (and docker where
# dockerd starts), in one run, as ratios:
#   - create + start + wait + remove of /bin/true from a busybox image, network off
#     (`podman run --rm --network none`, `docker run --rm --network none`);
#   - Get-Container and Get-ContainerStats with 20 and 200 running containers
#     (`podman ps`, `podman stats --no-stream`);
#   - the memory each running container's monitor holds (ours, conmon).
# Ours is driven through the engine's API by bench/Bench (no pwsh), timed in that process as
# a pwsh session calls the engine; a peer's command is timed by the same program from its
# spawn to its exit, as its users call it. Every store is on the same disk.
# Needs root, podman (docker.io optional), busybox-static and a built tree.
# usage: bench/container-lifecycle.sh [RUNS] [MANY...]     (defaults: 30 runs; 20 200)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
runs=${1:-30}
shift || true
counts=${*:-20 200}
for tool in podman python3; do
    command -v "$tool" >/dev/null || { echo "needs $tool (apt-get install $tool)" >&2; exit 1; }
done
. "$here/lib/store.sh"
bench_store_setup containers

. "$here/lib/peers.sh"
podman_private_config

# crun (podman's runtime) refuses hybrid hosts whose cgroup2 mount lists controllers: all of
# the benchmark runs in a private mount namespace where that list is hidden.
cat > "$work/measure.sh" <<'EOS'
set -euo pipefail
. "$here/lib/peers.sh"
podman_ready_here

echo "lifecycle: $runs runs each" >&2
"$bench" "$work/ours" lifecycle busybox:bench "$runs" > "$results/lifecycle-ours"
"$bench" "$work/ours" exec "$runs" -- podman run --rm --network none localhost/busybox:bench /bin/true > "$results/lifecycle-podman"
start_private_dockerd
if [ -n "$docker_host" ] && docker -H "$docker_host" import "$work/busybox.tar" busybox:bench >/dev/null 2>&1; then
    "$bench" "$work/ours" exec "$runs" -- docker -H "$docker_host" run --rm --network none busybox:bench /bin/true > "$results/lifecycle-docker"
fi
stop_private_dockerd

for count in $counts; do
    echo "list and stats: $count running" >&2
    sleepers_running "$count"
    "$bench" "$work/ours" list "$runs" > "$results/list-$count-ours"
    "$bench" "$work/ours" exec "$runs" -- podman ps > "$results/list-$count-podman"
    "$bench" "$work/ours" stats "$runs" > "$results/stats-$count-ours"
    "$bench" "$work/ours" exec "$runs" -- podman stats --no-stream > "$results/stats-$count-podman"
    if [ "$count" = "${counts%% *}" ]; then
        # what each container's monitor holds: RSS and PSS (its share of pages it shares)
        # (only this benchmark's: their arguments name its directory)
        memory_of() { for pid in $(pgrep -f "$2.*$work/"); do
            grep -E '^(Rss|Pss):' "/proc/$pid/smaps_rollup" 2>/dev/null | awk -v name="$1" '{v = v " " $2} END {if (v) print name v}'; done; }
        { memory_of ours container-monitor; memory_of conmon conmon; } > "$results/memory"
    fi
done
"$bench" "$work/ours" remove-all
EOS
here=$here work=$work bench=$bench runs=$runs counts="$counts" unshare -m --propagation private bash "$work/measure.sh"

python3 - "$work/results" "$counts" <<'PY'
import json, os, statistics, sys
results, counts = sys.argv[1], sys.argv[2].split()
def load(name):
    path = os.path.join(results, name)
    return json.load(open(path)) if os.path.exists(path) else None
def row(label, times, ours_mean):
    mean = statistics.mean(times)
    print(f"  {label:34} {mean:8.2f}ms {min(times):8.2f}ms {statistics.median(times):8.2f}ms {mean / ours_mean:8.2f}x")
def compare(title, ours_name, peers):
    ours = load(ours_name)
    print(f"{title}\n  {'':34} {'mean':>10} {'min':>10} {'median':>10} {'it / ours':>9}")
    row("ours", ours, statistics.mean(ours))
    for label, name in peers:
        times = load(name)
        if times:
            row(label, times, statistics.mean(ours))
    print()
compare("create + start + wait + remove of /bin/true, network off", "lifecycle-ours",
        [("podman run --rm --network none", "lifecycle-podman"), ("docker run --rm --network none", "lifecycle-docker")])
for count in counts:
    compare(f"Get-Container, {count} running", f"list-{count}-ours", [("podman ps", f"list-{count}-podman")])
    compare(f"Get-ContainerStats, {count} running", f"stats-{count}-ours", [("podman stats --no-stream", f"stats-{count}-podman")])
memory = {}
for line in open(os.path.join(results, "memory")):
    name, rss, pss = line.split()
    memory.setdefault(name, []).append((int(rss), int(pss)))
print("memory of each running container's monitor")
for name, values in memory.items():
    print(f"  {name:8} RSS {statistics.mean(v[0] for v in values) / 1024:6.2f} MB   PSS {statistics.mean(v[1] for v in values) / 1024:6.2f} MB   ({len(values)} running)")
PY
