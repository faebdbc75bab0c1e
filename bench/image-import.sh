#!/usr/bin/env bash
# Benchmark: import of one ~100 MB multi-layer image archive made of Debian files, by our
# engine (docker-archive in: blobs verified and stored, layers unpacked) against
# `skopeo copy docker-archive:... oci:...` and `umoci unpack` of the same image, in one
# hyperfine run, as ratios. Needs root, hyperfine, skopeo, umoci and a built tree.
# Inputs and outputs live on tmpfs (/dev/shm), for every tool alike: on the build machines'
# virtual disk, creating inodes costs 0.1-1 ms each and varies run to run, which would
# measure the disk rather than the tools.
# usage: bench/image-import.sh [RUNS]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
runs=${1:-10}
for tool in hyperfine skopeo umoci python3; do
    command -v "$tool" >/dev/null || { echo "needs $tool (apt-get install $tool)" >&2; exit 1; }
done
dotnet build "$here/Bench/Bench.csproj" -c Release -v quiet -nologo >/dev/null
bench="dotnet $here/Bench/bin/Release/net10.0/Bench.dll"

work=$(mktemp -d /dev/shm/bench-import-XXXXXX)
trap 'rm -rf "$work"' EXIT
. "$here/lib/image.sh"
layout=$work/layout
bench_debian_layout "$layout"
skopeo copy -q "oci:$layout:bench" "docker-archive:$work/bench.tar:bench/debian:1"
echo "archive: $(du -h "$work/bench.tar" | cut -f1), $(umoci stat --image "$layout:bench" | grep -c '^sha256') layers"

hyperfine --warmup 1 --runs "$runs" --export-json "$work/times.json" \
    -n ours --prepare "rm -rf $work/store" "$bench $work/store import $work/bench.tar" \
    -n skopeo --prepare "rm -rf $work/skopeo" "skopeo copy -q docker-archive:$work/bench.tar oci:$work/skopeo:bench" \
    -n umoci --prepare "rm -rf $work/umoci" "umoci unpack --image $layout:bench $work/umoci"

python3 - "$work/times.json" <<'PY'
import json, sys
results = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
ours = results["ours"]["mean"]
print()
print(f"{'tool':8} {'mean':>9} {'min':>9} {'ours / it':>10}")
for name in ("ours", "skopeo", "umoci"):
    r = results[name]
    print(f"{name:8} {r['mean']*1000:8.0f}ms {r['min']*1000:8.0f}ms {ours / r['mean']:10.2f}")
print()
print(f"ours is {results['skopeo']['mean'] / ours:.2f}x the speed of skopeo copy and {results['umoci']['mean'] / ours:.2f}x the speed of umoci unpack")
PY
