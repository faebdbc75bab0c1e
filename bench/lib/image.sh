# Sourced by the image benchmarks: the image they move, an OCI layout ($1, its image tagged
# "bench") of four layers of Debian's files, ~100 MB in all, as umoci makes it (gzip'd layers).
# usage: bench_debian_layout LAYOUT   (after $work is set; uses $work/bundle on the way)
bench_debian_layout() {
    local layout=$1 part
    umoci init --layout "$layout" >/dev/null
    umoci new --image "$layout:bench" >/dev/null
    for part in /usr/lib/python3.11 /usr/share/perl /usr/share/i18n /usr/share/zoneinfo; do
        umoci unpack --image "$layout:bench" "$work/bundle" >/dev/null
        mkdir -p "$work/bundle/rootfs$(dirname "$part")"
        cp -a "$part" "$work/bundle/rootfs$part"
        umoci repack --image "$layout:bench" "$work/bundle" >/dev/null
        rm -rf "$work/bundle"
    done
}
