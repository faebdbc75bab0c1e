#!/usr/bin/env bash
# Benchmark: what a pwsh user feels, timed inside pwsh 7.6.9 (bench/pwsh-session.ps1), beside
# the same work done by podman and docker invoked from the same pwsh, in one run, as ratios:
#   - a new session: Import-Module, and import plus the first Invoke-ContainerImage -Remove -- true
#     (a fresh pwsh each run), beside the import of an empty module: what any import costs a new pwsh;
#   - a warm session: Invoke-ContainerImage -Remove -- true (docker run --rm), the same work as
#     New/Start/Wait/Remove-Container, `podman run --rm --network none`, `docker run --rm --network none`;
#   - Get-Container and Get-ContainerStats with 20 and 200 running, `podman ps`, `podman stats --no-stream`,
#     and what each costs per container (at each count, and each container more).
# Beside each, the engine's figure for the same work (bench/container-lifecycle.sh has more).
# Needs root, pwsh, podman (docker.io optional), busybox-static and a built tree (pwsh ./build.ps1).
# usage: bench/pwsh-cmdlets.sh [RUNS] [MANY...]     (defaults: 20 runs; 20 200)
#        STEPS="first warm list" (the default) chooses what to measure: STEPS=first, a new session only.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
runs=${1:-20}
shift || true
counts=${*:-20 200}
steps=${STEPS:-first warm list}
module=$repo/out/Container/Container.psd1
for tool in pwsh podman python3; do
    command -v "$tool" >/dev/null || { echo "needs $tool (tools/install-prerequisites.sh)" >&2; exit 1; }
done
[ -f "$module" ] || { echo "build first: pwsh ./build.ps1" >&2; exit 1; }
. "$here/lib/store.sh"
bench_store_setup pwsh
. "$here/lib/peers.sh"
podman_private_config

cat > "$work/measure.sh" <<'EOS'
set -euo pipefail
. "$here/lib/peers.sh"
podman_ready_here
export CONTAINER_ROOT=$work/ours
session() { pwsh -NoProfile -NonInteractive -File "$here/pwsh-session.ps1" -Module "$module" -Runs "$runs" "$@"; }

measures() { [[ " $steps " == *" $1 "* ]]; }

if measures first; then
    echo "a new session: $runs runs" >&2
    mkdir -p "$work/Empty"
    echo "@{ ModuleVersion = '1.0' }" > "$work/Empty/Empty.psd1"
    for _ in $(seq "$runs"); do
        session -Measure first >> "$results/first"
        pwsh -NoProfile -NonInteractive -File "$here/pwsh-session.ps1" -Module "$work/Empty/Empty.psd1" -Measure import >> "$results/empty"
    done
fi

if measures warm; then
    echo "a warm session: $runs runs each" >&2
    peers="podman run --rm --network none=podman run --rm --network none localhost/busybox:bench /bin/true"
    start_private_dockerd
    if [ -n "$docker_host" ] && docker -H "$docker_host" import "$work/busybox.tar" busybox:bench >/dev/null 2>&1; then
        peers+=$'\n'"docker run --rm --network none=docker -H $docker_host run --rm --network none busybox:bench /bin/true"
    fi
    session -Measure warm -Peer "$peers" > "$results/warm"
    "$bench" "$work/ours" lifecycle busybox:bench "$runs" > "$results/engine-lifecycle"
    stop_private_dockerd
fi

if measures list; then
    for count in $counts; do
        echo "list and stats: $count running" >&2
        sleepers_running "$count"
        session -Measure list -Peer $'podman ps=podman ps\npodman stats --no-stream=podman stats --no-stream' > "$results/list-$count"
        "$bench" "$work/ours" list "$runs" > "$results/engine-list-$count"
        "$bench" "$work/ours" stats "$runs" > "$results/engine-stats-$count"
    done
fi
"$bench" "$work/ours" remove-all
EOS
here=$here work=$work bench=$bench runs=$runs counts="$counts" steps="$steps" module=$module unshare -m --propagation private bash "$work/measure.sh"

python3 - "$work/results" "$counts" <<'PY'
import json, os, statistics, sys
results, counts = sys.argv[1], sys.argv[2].split()
def lines(name):
    path = os.path.join(results, name)
    return [json.loads(line) for line in open(path)] if os.path.exists(path) else []
def table(title, series, ours, against=None):
    """Each series' mean, min and median, and its mean over ours' (the row named ours)."""
    base = statistics.mean(series[ours])
    print(f"{title}\n  {'':42} {'mean':>10} {'min':>10} {'median':>10} {'it / ours':>10}")
    for label, times in series.items():
        mean = statistics.mean(times)
        print(f"  {label:42} {mean:8.1f}ms {min(times):8.1f}ms {statistics.median(times):8.1f}ms {mean / base:9.2f}x")
    print()
def engine(name):
    return json.load(open(os.path.join(results, name)))
if first := lines("first"):
    series = {k: [r[k] for r in first] for k in first[0]}
    series["import of an empty module"] = [r["import"] for r in lines("empty")]
    table("a new session (a fresh pwsh each run)", series, "import")
if os.path.exists(os.path.join(results, "warm")):
    warm = json.load(open(os.path.join(results, "warm")))
    warm["the engine's create + start + wait + remove"] = engine("engine-lifecycle")
    table("a warm session", warm, "Invoke-ContainerImage -Remove -- true")
listed = {int(count): json.load(open(os.path.join(results, f"list-{count}"))) for count in counts
          if os.path.exists(os.path.join(results, f"list-{count}"))}
for count, times in listed.items():
    table(f"{count} running: listing", {**{k: times[k] for k in ("Get-Container", "podman ps")},
                                         "the engine's List()": engine(f"engine-list-{count}")}, "Get-Container")
    table(f"{count} running: stats", {**{k: times[k] for k in ("Get-ContainerStats", "podman stats --no-stream")},
                                       "the engine's StatsOfRunning()": engine(f"engine-stats-{count}")}, "Get-ContainerStats")
if not listed:
    sys.exit(0)
# flat is what a store that grows wants: the mean over the count at each count, and what each
# container more adds between the smallest and the largest
few, many = min(listed), max(listed)
print(f"per container\n  {'':42} " + " ".join(f"{f'at {c}':>10}" for c in listed) + f" {'each more':>10}")
for label in listed[few]:
    means = {c: statistics.mean(listed[c][label]) for c in listed}
    each = (means[many] - means[few]) / (many - few) if many > few else float("nan")
    print(f"  {label:42} " + " ".join(f"{means[c] / c:8.2f}ms" for c in listed) + f" {each:8.2f}ms")
PY
