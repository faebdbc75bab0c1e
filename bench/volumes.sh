#!/usr/bin/env bash
# Benchmark: volumes (issue 12), ours against podman and GNU tar, in one run, as ratios:
#   - create + start + wait + remove of /bin/true from a busybox image, network off, with no
#     mount, a bind mount (-Volume dir:/data) and a named volume (-Volume name:/data), against
#     `podman run --rm --network none` with none, `-v dir:/data` and `-v name:/data`; and what
#     the mount adds to our run, in ms (issue 12 wants at most 1 ms). Our three are run in
#     turn, one of each after another, so that a loaded machine's drift falls on each alike;
#   - Export-ContainerVolume and Import-ContainerVolume of a volume holding a generated tree
#     (20,000 small files, four big ones, hard links, symbolic links, owners, modes, extended
#     attributes) against GNU `tar -cf` and `tar -xf` of the same directory, and the round
#     trip checked (what the imported volume holds is what the exported one held).
# Ours is driven through the engine's API by bench/Bench, as container-lifecycle.sh does. The
# store says `none` for its network (and CONTAINER_NETWORK too): no host network is touched.
# Needs root, podman, python3, GNU tar, busybox-static and a built tree.
# usage: bench/volumes.sh [RUNS] [ARCHIVE_RUNS]     (defaults: 30 runs of each lifecycle; 3 of each archive, after untimed
# ones: five of ours, as in a session that has exported before, whose JIT has settled; one of tar)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
runs=${1:-30}
archive_runs=${2:-3}
for tool in podman python3 tar; do
    command -v "$tool" >/dev/null || { echo "needs $tool (apt-get install $tool)" >&2; exit 1; }
done
export CONTAINER_NETWORK=none
. "$here/lib/store.sh"
bench_store_setup volumes

. "$here/lib/peers.sh"
podman_private_config

# the tree a volume holds: the same on every run (a fixed seed)
echo "making the tree" >&2
python3 - "$work/tree" <<'PY'
import os, random, sys
root, rnd = sys.argv[1], random.Random(12)
files = []
for a in range(20):
    for b in range(10):
        directory = f"{root}/src/m{a:02}/p{b}"
        os.makedirs(directory)
        for c in range(100):
            path = f"{directory}/f{c:03}"
            with open(path, "wb") as f:   # median about 1.8 KB, a few tens of KB at most
                f.write(rnd.randbytes(min(int(rnd.lognormvariate(7.5, 1.2)), 64 << 10)))
            os.chmod(path, 0o755 if c % 10 == 0 else 0o600 if c % 17 == 0 else 0o644)
            if a % 5 == 0:
                os.chown(path, 1000, 1000)
            if c % 50 == 0:
                os.setxattr(path, "user.bench", f"file {a} {b} {c}".encode())
            files.append(path)
os.makedirs(f"{root}/big")
for i in range(4):
    with open(f"{root}/big/blob{i}", "wb") as f:
        f.write(rnd.randbytes(16 << 20))
os.link(f"{root}/big/blob0", f"{root}/big/blob0.again")
os.makedirs(f"{root}/links")
for i, path in enumerate(files[::20]):
    os.link(path, f"{root}/links/hard{i:04}")
for i, path in enumerate(files[5::100]):
    os.symlink(os.path.relpath(path, f"{root}/links"), f"{root}/links/soft{i:03}")
os.makedirs(f"{root}/empty")
PY
mkdir "$work/bind"

# in a private mount namespace, as container-lifecycle.sh says why (crun on hybrid hosts)
cat > "$work/measure.sh" <<'EOS'
set -euo pipefail
. "$here/lib/peers.sh"
podman_ready_here

echo "lifecycle with no mount, a bind and a named volume: $runs runs each" >&2
"$bench" "$work/ours" lifecycle-mounts busybox:bench "$runs" "$work/bind:/data" bench-data:/data > "$results/lifecycle-ours"
run="podman run --rm --network none"
"$bench" "$work/ours" exec "$runs" -- $run localhost/busybox:bench /bin/true > "$results/none-podman"
"$bench" "$work/ours" exec "$runs" -- $run -v "$work/bind:/data" localhost/busybox:bench /bin/true > "$results/bind-podman"
"$bench" "$work/ours" exec "$runs" -- $run -v bench-data:/data localhost/busybox:bench /bin/true > "$results/volume-podman"

echo "export and import of the tree: $archive_runs runs each" >&2
data=$("$bench" "$work/ours" volume-create tree)
cp -a "$work/tree/." "$data/"
"$bench" "$work/ours" volume-export tree "$work/ours.tar" "$archive_runs" > "$results/export-ours"
"$bench" "$work/ours" exec "$archive_runs" --warmup 1 -- tar -cf "$work/tar.tar" -C "$data" . > "$results/export-tar"
# ours writes its archive to disk before it is renamed into place: tar, and then the same
"$bench" "$work/ours" exec "$archive_runs" --warmup 1 -- sh -c 'tar -cf "$1" -C "$2" . && sync "$1"' - "$work/tar.tar" "$data" > "$results/export-tar-sync"
"$bench" "$work/ours" exec "$archive_runs" --warmup 1 -- tar --xattrs -cf "$work/xattrs.tar" -C "$data" . > "$results/export-tar-xattrs"
"$bench" "$work/ours" volume-import "$work/ours.tar" "$archive_runs" > "$results/import-ours"
"$bench" "$work/ours" exec "$archive_runs" --warmup 1 --fresh "$work/untar" -- tar -xf "$work/tar.tar" -C "$work/untar" > "$results/import-tar"
"$bench" "$work/ours" exec "$archive_runs" --warmup 1 --fresh "$work/untar" -- tar --xattrs -xf "$work/xattrs.tar" -C "$work/untar" > "$results/import-tar-xattrs"
echo "$data" > "$results/exported"
"$bench" "$work/ours" volume-import-once "$work/ours.tar" round-trip > "$results/imported"
EOS
here=$here work=$work bench=$bench runs=$runs archive_runs=$archive_runs unshare -m --propagation private bash "$work/measure.sh"

python3 - "$work/results" <<'PY'
import hashlib, json, os, statistics, sys
results = sys.argv[1]
def load(name):
    return json.load(open(os.path.join(results, name)))
def stat(times):
    return f"{statistics.mean(times):8.2f}ms {statistics.median(times):8.2f}ms {min(times):8.2f}ms"

ours = dict(zip(["none", "bind", "volume"], load("lifecycle-ours")))
print("create + start + wait + remove of /bin/true, network off")
print(f"  {'':22} {'ours: mean':>10} {'median':>10} {'min':>10}   {'podman run --rm: mean':>21} {'median':>10} {'min':>10}   podman / ours")
for kind, label in [("none", "no mount"), ("bind", "bind (-v dir:/data)"), ("volume", "named (-v name:/data)")]:
    podman = load(f"{kind}-podman")
    print(f"  {label:22} {stat(ours[kind])}   {'':11}{stat(podman)}   {statistics.mean(podman) / statistics.mean(ours[kind]):8.2f}x")
print("what the mount adds to our run (issue 12: at most 1 ms), by mean and by median")
for kind, label in [("bind", "bind mount"), ("volume", "named volume")]:
    added = [statistics.mean(ours[kind]) - statistics.mean(ours["none"]), statistics.median(ours[kind]) - statistics.median(ours["none"])]
    podman = statistics.mean(load(f"{kind}-podman")) - statistics.mean(load("none-podman"))
    print(f"  {label:14} ours {added[0]:+6.2f} ms ({added[1]:+6.2f} ms)   podman's {podman:+7.2f} ms")
print()

def compare(title, rows):
    base = statistics.mean(load(rows[0][1]))
    print(f"{title}\n  {'':52} {'mean':>10} {'median':>10} {'min':>10} {'it / ours':>9}")
    for label, name in rows:
        times = load(name)
        print(f"  {label:52} {stat(times)} {statistics.mean(times) / base:8.2f}x")
    print()
compare("export of the tree's volume to an archive", [
    ("ours (Export-ContainerVolume; written to disk, renamed)", "export-ours"),
    ("tar -cf", "export-tar"),
    ("tar -cf, then sync of the archive", "export-tar-sync"),
    ("tar --xattrs -cf", "export-tar-xattrs")])
compare("import of that archive into a new volume (a directory)", [
    ("ours (Import-ContainerVolume)", "import-ours"),
    ("tar -xf", "import-tar"),
    ("tar --xattrs -xf", "import-tar-xattrs")])

# what a directory holds, each entry's kind, owner, mode, time, xattrs, target or content, and
# which names are one file
def manifest(root):
    entries, inodes = {}, {}
    for directory, names, files in os.walk(root):
        for name in names + files:
            path = os.path.join(directory, name)
            st = os.lstat(path)
            link = os.path.islink(path)
            what = os.readlink(path) if link else None
            if not link and not os.path.isdir(path):
                what = hashlib.sha256(open(path, "rb").read()).hexdigest()
                if st.st_nlink > 1:
                    inodes.setdefault(st.st_ino, set()).add(os.path.relpath(path, root))
            xattrs = {} if link else {x: os.getxattr(path, x) for x in os.listxattr(path)}
            entries[os.path.relpath(path, root)] = (st.st_mode, st.st_uid, st.st_gid, int(st.st_mtime), xattrs, what)
    return entries, sorted(sorted(names) for names in inodes.values())
exported = manifest(open(os.path.join(results, "exported")).read().strip())
imported = manifest(open(os.path.join(results, "imported")).read().strip())
if exported != imported:
    differing = [p for p in sorted(set(exported[0]) | set(imported[0])) if exported[0].get(p) != imported[0].get(p)]
    print(f"the round trip changed {len(differing)} entries, e.g. {differing[:5]}; hard links kept: {exported[1] == imported[1]}")
    sys.exit(1)
print(f"round trip: the imported volume holds what the exported one held ({len(exported[0])} entries, "
      f"{len(exported[1])} files of more than one name, {sum(1 for e in exported[0].values() if e[4])} with extended attributes)")
PY
