#!/usr/bin/env bash
# Benchmark: `run` of a busybox bundle that executes /bin/true, under our runtime, crun and
# runc, measured by hyperfine in one invocation and printed as ratios; plus each runtime's
# peak RSS during a run. Needs root, hyperfine, time, crun, runc, busybox-static and a built
# tree (dotnet build Container.sln).
# usage: bench/runtime-start.sh [RUNS]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
runs=${1:-100}
ours=$repo/artifacts/native/container-runtime
for tool in hyperfine crun runc python3 /usr/bin/time; do
    command -v "$tool" >/dev/null || { echo "needs $tool (apt-get install $tool)" >&2; exit 1; }
done
[ -x "$ours" ] || { echo "build first: dotnet build Container.sln" >&2; exit 1; }

work=$(mktemp -d /tmp/bench-runtime-XXXXXX)
# the runtimes delete each run's cgroup, not the parent /bench they made for it
trap 'rm -rf "$work"; rmdir /sys/fs/cgroup/bench /sys/fs/cgroup/*/bench 2>/dev/null || true' EXIT
"$repo/tools/make-busybox-rootfs.sh" "$work/bundle/rootfs"
"$ours" spec --bundle "$work/bundle"
python3 - "$work/bundle/config.json" <<'PY'
import json, sys
path = sys.argv[1]
config = json.load(open(path))
config["ociVersion"] = "1.0.2"           # crun 1.8 takes 1.0.x and 1.1.x only
config["process"]["terminal"] = False
config["process"]["args"] = ["/bin/true"]
config["linux"]["cgroupsPath"] = "/bench/true"
json.dump(config, open(path, "w"), indent=1)
PY

# crun refuses hybrid hosts whose cgroup2 mount lists controllers: the whole benchmark runs in a
# private mount namespace where that list is hidden, so no runtime pays for a workaround.
controllers=/sys/fs/cgroup/unified/cgroup.controllers
: > "$work/empty"
cat > "$work/measure.sh" <<EOS
set -e
if [ -e $controllers ]; then mount --bind $work/empty $controllers; fi
cd $work/bundle
hyperfine --warmup 10 --runs $runs --export-json $work/times.json \\
    -n ours "$ours --root $work/state-ours run bench" \\
    -n crun "crun --root $work/state-crun run bench" \\
    -n runc "runc --root $work/state-runc run bench"
# peak RSS (kB) of each runtime during a run: GNU time is small, so its child starts small
for name in ours crun runc; do
    case \$name in ours) runtime=$ours ;; *) runtime=\$name ;; esac
    /usr/bin/time -f "\$name %M" -a -o $work/rss.txt \$runtime --root $work/state-\$name run bench
done
EOS
unshare -m --propagation private bash "$work/measure.sh"

python3 - "$work/times.json" "$work/rss.txt" <<'PY'
import json, sys
results = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
rss = dict(line.split() for line in open(sys.argv[2]))
ours = results["ours"]["mean"]
print()
print(f"{'runtime':8} {'mean':>9} {'min':>9} {'ours / it':>10} {'peak RSS':>10}")
for name in ("ours", "crun", "runc"):
    r = results[name]
    print(f"{name:8} {r['mean']*1000:8.2f}ms {r['min']*1000:8.2f}ms {ours / r['mean']:10.2f} {int(rss[name])/1024:8.2f}MB")
print()
print(f"ours is {results['crun']['mean'] / ours:.2f}x the speed of crun and {results['runc']['mean'] / ours:.2f}x the speed of runc")
PY
