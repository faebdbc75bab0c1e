#!/bin/sh
# Makes a root filesystem in DIR from the host's busybox-static: /bin/busybox, a link
# per applet, /etc/passwd and /etc/group. The tests' image, and the example's.
# usage: make-busybox-rootfs.sh DIR
set -eu
dir=$1
busybox=
for candidate in /bin/busybox /usr/bin/busybox; do
    if [ -x "$candidate" ]; then busybox=$candidate; break; fi
done
[ -n "$busybox" ] || { echo "busybox is not installed: apt-get install busybox-static" >&2; exit 1; }
mkdir -p "$dir"
cd "$dir"
mkdir -p bin sbin usr/bin usr/sbin etc root tmp proc sys dev var
cp "$busybox" bin/busybox
chmod 755 bin/busybox
# busybox --install -s in a chroot makes every applet's link at once; a fork per link takes
# about a minute under the cgroup v2 VM's emulation. Without root, one link at a time.
if ! chroot . /bin/busybox --install -s 2>/dev/null; then
    for applet in $(bin/busybox --list-full); do
        [ "$applet" = bin/busybox ] && continue
        [ -e "$applet" ] || [ -L "$applet" ] && continue
        mkdir -p "${applet%/*}"
        ln -s /bin/busybox "$applet"
    done
fi
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' > etc/passwd
printf 'root:x:0:\nnogroup:x:65534:\n' > etc/group
chmod 1777 tmp
