#!/usr/bin/env bash
# Benchmark: `New-Container busybox` (the engine's create; each container removed after it,
# untimed) in a store that holds only busybox and in one that holds 200 images, by this
# tree's engine and by a base commit's (default e332cdb: main before lookup by name went
# through the index alone), in one run, as ratios; and what one create opens under the image
# store (strace), to show what it reads. The 199 other images are the busybox root
# filesystem imported again with a label each: each its own config and manifest, one layer.
# Both engines are driven by this tree's bench/Bench (built against each engine), timed in
# that process as a pwsh session calls the engine.
# Needs root, strace, git, busybox-static and python3.
# usage: bench/image-lookup.sh [RUNS] [BASE]     (defaults: 30 runs; e332cdb)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
runs=${1:-30}
base=${2:-e332cdb}
for tool in strace git python3; do
    command -v "$tool" >/dev/null || { echo "needs $tool (apt-get install $tool)" >&2; exit 1; }
done

work=$(mktemp -d /var/tmp/bench-lookup-XXXXXX)
trap 'rm -rf "$work"' EXIT
# the base's tree, driven by this tree's program
mkdir "$work/before"
git -C "$repo" archive "$base" | tar -x -C "$work/before"
cp "$here/Bench/Program.cs" "$work/before/bench/Bench/Program.cs"
echo "building this tree's engine and $base's" >&2
for tree in "$repo" "$work/before"; do
    dotnet build "$tree/bench/Bench/Bench.csproj" -c Release -v quiet -nologo >/dev/null
done
declare -A bench=([before]="$work/before/bench/Bench/bin/Release/net10.0/Bench" [after]="$here/Bench/bin/Release/net10.0/Bench")

"$repo/tools/make-busybox-rootfs.sh" "$work/rootfs" >/dev/null
tar -C "$work/rootfs" -cf "$work/busybox.tar" .
echo "filling the stores: 1 image, 200 images" >&2
for count in 1 200; do
    "${bench[after]}" "$work/store-$count" import "$work/busybox.tar" busybox:bench
    if [ "$count" -gt 1 ]; then
        "${bench[after]}" "$work/store-$count" import-copies "$work/busybox.tar" bench/copy $((count - 1))
    fi
done

results=$work/results
mkdir -p "$results"
for engine in before after; do
    for count in 1 200; do
        echo "$engine, a store of $count: $runs creates" >&2
        "${bench[$engine]}" "$work/store-$count" create busybox:bench "$runs" > "$results/create-$engine-$count"
        # every open under the store's images and layers that did not fail, in one create (and its remove)
        strace -f -qq -e trace=openat -o "$work/trace" "${bench[$engine]}" "$work/store-$count" create-once busybox:bench
        { grep -v -- '= -1 ' "$work/trace" || true; } | { grep -oE "\"$work/store-$count/(images|layers)/[^\"]*\"" || true; } | tr -d '"' \
            > "$results/opened-$engine-$count"
    done
done

python3 - "$results" "$work" "$base" "$runs" <<'PY'
import os, statistics, sys, json
results, work, base, runs = sys.argv[1:]
def load(name):
    return json.load(open(os.path.join(results, name)))
label = {"before": f"before ({base})", "after": "after"}
print(f"\nNew-Container busybox (the engine's create), {runs} runs")
print(f"  {'':28} {'mean':>10} {'min':>10} {'median':>10} {'200 / 1':>8}")
means, medians = {}, {}
for engine in ("before", "after"):
    for count in (1, 200):
        times = load(f"create-{engine}-{count}")
        means[engine, count], medians[engine, count] = statistics.mean(times), statistics.median(times)
        ratio = f"{means[engine, 200] / means[engine, 1]:7.2f}x" if count == 200 else ""
        print(f"  {label[engine] + f', {count} image' + ('s' if count > 1 else ''):28} {means[engine, count]:8.2f}ms {min(times):8.2f}ms {medians[engine, count]:8.2f}ms {ratio:>8}")
# the median too: on a shared machine a few runs wait for the disk or the CPU
print(f"  with 200 images, before / after: {means['before', 200] / means['after', 200]:.2f}x (mean), "
      f"{medians['before', 200] / medians['after', 200]:.2f}x (median)")

def kind(path, count):
    rest = path[len(f"{work}/store-{count}/"):]
    if rest == "images/index.json":
        return "index.json"
    if rest.startswith("images/blobs/"):
        return "blobs"
    if rest.startswith("layers/") and rest.endswith("/size"):
        return "layer sizes"
    return "other"
kinds = ("index.json", "blobs", "layer sizes", "other")
print("\nfiles one create opens under the store's images/ and layers/ (strace)")
print(f"  {'':28} " + " ".join(f"{k:>11}" for k in kinds) + f" {'distinct':>9}")
for engine in ("before", "after"):
    for count in (1, 200):
        opened = open(os.path.join(results, f"opened-{engine}-{count}")).read().split()
        counts = {k: sum(1 for p in opened if kind(p, count) == k) for k in kinds}
        print(f"  {label[engine] + f', {count} image' + ('s' if count > 1 else ''):28} " + " ".join(f"{counts[k]:>11}" for k in kinds) + f" {len(set(opened)):>9}")
PY
