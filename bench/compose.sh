#!/usr/bin/env bash
# Benchmark: a small real-world project (a web server publishing a port, a database and a
# cache, with environment, two named volumes and the project's network; busybox images
# present) brought up and taken down by ours against podman-compose 1.0.3 (Debian's), and
# an up with nothing changed, in one run, as ratios (issue 15 asks at least 5x both ways and
# 20x for the unchanged up):
#   - hyperfine: each `up -d` / `down` as a command, ours as a fresh process of bench/Bench
#     (its .NET start and JIT paid every run, as a pwsh session pays them only once);
#   - ours in one process, after three untimed, as a pwsh session calls the engine;
#   - ours in one pwsh session, after three untimed: Start-ContainerProject and
#     Remove-ContainerProject as a user at the prompt types them (bench/pwsh-session.ps1).
# podman-compose runs each container with --cgroups disabled (the host's cgroups are not
# touched; it spares podman work ours does); it sleeps a second after each container it runs,
# as it is written to. Everything runs in a mount and network namespace of the benchmark's
# own: both bridges, their firewall rules and ports, podman's state under /run, go with it.
# Needs root, hyperfine, podman, podman-compose, pwsh, busybox-static and a built tree (pwsh ./build.ps1).
# usage: bench/compose.sh [RUNS]     (default: 10)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
runs=${1:-10}
module=$repo/out/Container/Container.psd1
[ -f "$module" ] || { echo "build first: pwsh ./build.ps1" >&2; exit 1; }
for tool in hyperfine podman podman-compose pwsh python3; do
    command -v "$tool" >/dev/null || { echo "needs $tool (apt-get install $tool)" >&2; exit 1; }
done
. "$here/lib/store.sh"
echo "$(date +%T) setting up" >&2
bench_store_setup compose
# the compose file names one image for both: podman's import is localhost/busybox:bench
"$bench" "$work/ours" import "$work/busybox.tar" localhost/busybox:bench

. "$here/lib/peers.sh"
podman_private_config
# podman's networks in the benchmark's directory, not /etc/containers/networks
cat >> "$work/containers.conf" <<CONF
[network]
network_backend = "netavark"
network_config_dir = "$work/podman/networks"
CONF

mkdir -p "$work/project"
cat > "$work/project/compose.yaml" <<'YAML'
# each shell ends on SIGTERM (a shell as pid 1 has no default action for it): down is a stop, not a kill after the timeout
services:
  web:
    image: localhost/busybox:bench
    command: ["sh", "-c", "trap 'exit 0' TERM; echo ok > /srv/index.html; httpd -f -p 80 -h /srv & wait"]
    environment:
      DB_HOST: db
      CACHE_HOST: cache
    ports: ["127.0.0.1:${WEB_PORT:-8080}:80"]
    volumes: ["content:/srv"]
    depends_on: [db, cache]
  db:
    image: localhost/busybox:bench
    command: ["sh", "-c", "trap 'exit 0' TERM; sleep 100000 & wait"]
    environment:
      POSTGRES_DB: app
      POSTGRES_PASSWORD: secret
    volumes: ["data:/var/lib/db"]
  cache:
    image: localhost/busybox:bench
    command: ["sh", "-c", "trap 'exit 0' TERM; sleep 100000 & wait"]
    environment:
      MAXMEMORY: 64mb
volumes:
  content: {}
  data: {}
YAML

cat > "$work/measure.sh" <<'EOS'
set -euo pipefail
echo "$(date +%T) measuring" >&2
# podman's, netavark's, aardvark-dns's and crun's state under /run, the runtimes' locks in
# /dev/shm, /var/lib's caches: all of this namespace's own
mount -t tmpfs -o mode=0755 tmpfs /run
mount -t tmpfs -o mode=1777 tmpfs /dev/shm
mount -t tmpfs -o mode=0755 tmpfs /var/lib
mkdir -p "$CONTAINER_RUNROOT" "$runroots/podman"
ip link set lo up
. "$here/lib/peers.sh"
podman_ready_here
# at exit: podman's containers, volumes and networks, and what outlives them in this network
# namespace (aardvark-dns): the processes here are the benchmark's own
leave() {
    podman rm -f -a -t 0 >/dev/null 2>&1 || true
    podman volume rm -a -f >/dev/null 2>&1 || true
    podman network prune -f >/dev/null 2>&1 || true
    local self pid
    self=$(readlink /proc/$$/ns/net)
    for pid in $(ls /proc | grep -E '^[0-9]+$'); do
        [ "$pid" != $$ ] && [ "$(readlink "/proc/$pid/ns/net" 2>/dev/null)" = "$self" ] && kill -9 "$pid" 2>/dev/null || true
    done
}
trap leave EXIT

# podman-compose makes the project's network on its first up and leaves it at down (1.0.3
# does not remove networks): made here, once, on a subnet of its own, as it would be after a
# first up; else podman and ours could both choose the first free /24 of 10.89 on the same host
podman network create --subnet 10.209.0.0/24 --label com.docker.compose.project=shop --label io.podman.compose.project=shop shop_default >/dev/null
cd "$work/project"
ours_up="$bench $work/ours project-up $work/project shop"
ours_down="$bench $work/ours project-down shop"
compose="WEB_PORT=8081 podman-compose -p shop --podman-run-args='--cgroups disabled'"
podman_up="$compose up -d"
podman_down="$compose down"
both_down="$ours_down; $podman_down >/dev/null 2>&1"
measure() { hyperfine --runs "$runs" --export-json "$results/$1.json" --style basic "${@:2}" >&2; }

echo "$(date +%T) up: $runs runs each (down before each, untimed)" >&2
measure up --cleanup "$both_down" -n ours --prepare "$ours_down" "$ours_up" \
    -n podman-compose --prepare "$podman_down" "$podman_up"
echo "$(date +%T) down: $runs runs each (up before each, untimed)" >&2
measure down -n ours --prepare "$ours_up" "$ours_down" \
    -n podman-compose --prepare "$podman_up" "$podman_down"
echo "$(date +%T) up with nothing changed: $runs runs each" >&2
measure again --setup "$ours_up && $podman_up" --cleanup "$both_down" -n ours "$ours_up" -n podman-compose "$podman_up"
# the port answers under both, or the numbers measure nothing
$ours_up
eval "$podman_up" >"$results/podman-up.log" 2>&1
answers() { for _ in $(seq 100); do [ "$(busybox wget -q -O - "http://127.0.0.1:$1/" 2>/dev/null)" = ok ] && return 0; sleep 0.1; done; return 1; }
answers 8080 || { echo "ours' project does not answer on its port" >&2; exit 1; }
answers 8081 || { echo "podman-compose's project does not answer on its port:" >&2; cat "$results/podman-up.log" >&2; exit 1; }
$ours_down
eval "$podman_down" >/dev/null 2>&1

echo "$(date +%T) ours in one process: $runs runs each" >&2
"$bench" "$work/ours" project-warm "$work/project" shop "$runs" > "$results/warm.json"
echo "$(date +%T) ours in one pwsh session: $runs runs each" >&2
CONTAINER_ROOT=$work/ours pwsh -NoProfile -NonInteractive -File "$here/pwsh-session.ps1" -Measure project -Module "$module" \
    -Runs "$runs" -Path "$work/project" -ProjectName shop > "$results/pwsh.json"
"$bench" "$work/ours" remove-all
EOS
here=$here work=$work bench=$bench runs=$runs runroots=$runroots module=$module unshare -m -n --propagation private bash "$work/measure.sh"

python3 - "$work/results" <<'PY'
import json, os, statistics, sys
results = sys.argv[1]
hyperfine = {name: {r["command"]: r for r in json.load(open(os.path.join(results, f"{name}.json")))["results"]}
             for name in ("up", "down", "again")}
warm = json.load(open(os.path.join(results, "warm.json")))
session = json.load(open(os.path.join(results, "pwsh.json")))
titles = {"up": "up -d", "down": "down", "again": "up -d, nothing changed"}
print()
print(f"{'':28} {'mean':>10} {'min':>10} {'podman-compose / it':>20}")
for name, title in titles.items():
    theirs = hyperfine[name]["podman-compose"]["mean"] * 1000
    ours = hyperfine[name]["ours"]
    print(title)
    print(f"  {'podman-compose':26} {theirs:8.1f}ms {hyperfine[name]['podman-compose']['min'] * 1000:8.1f}ms")
    print(f"  {'ours, a process each':26} {ours['mean'] * 1000:8.1f}ms {ours['min'] * 1000:8.1f}ms {theirs / (ours['mean'] * 1000):19.1f}x")
    mean = statistics.mean(warm[name])
    print(f"  {'ours, one process':26} {mean:8.1f}ms {min(warm[name]):8.1f}ms {theirs / mean:19.1f}x")
    mean = statistics.mean(session[name])
    print(f"  {'ours, one pwsh session':26} {mean:8.1f}ms {min(session[name]):8.1f}ms {theirs / mean:19.1f}x")
PY
