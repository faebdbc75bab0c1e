#!/bin/sh
# Makes a root filesystem in DIR that compiles C: the busybox root (make-busybox-rootfs.sh)
# and the host's gcc, as and ld with what they load, libc's headers and static libraries.
# No image can be downloaded here: the tests' multi-stage build compiles its binary with this.
# usage: make-toolchain-rootfs.sh DIR
set -eu
dir=$1
here=$(cd "$(dirname "$0")" && pwd)
triplet=$(gcc -dumpmachine)
version=$(gcc -dumpversion)
libexec=/usr/lib/gcc/$triplet/$version
[ -x "$libexec/cc1" ] || { echo "gcc is not installed: apt-get install gcc" >&2; exit 1; }
"$here/make-busybox-rootfs.sh" "$dir"

# a file at each name it is reached by, as a copy: the root has no /lib -> /usr/lib link of the host's
place() {
    for name in "$@"; do
        [ -e "$name" ] || continue
        mkdir -p "$dir$(dirname "$name")"
        cp -L "$name" "$dir$name"
    done
}
programs="$(readlink -f "$(command -v gcc)") $(command -v as) $(command -v ld) $libexec/cc1 $libexec/collect2 $libexec/liblto_plugin.so"
place $programs
mkdir -p "$dir/usr/bin" && cp -L "$(command -v gcc)" "$dir/usr/bin/gcc"
place $(for program in $programs; do ldd "$program" 2>/dev/null | awk '/=>/ { print $3 } /^\t\// { print $1 }'; done | sort -u)
place "$libexec"/crt*.o "$libexec"/libgcc.a "$libexec"/libgcc_eh.a "$libexec"/libgcc_s.so
cp -a "$libexec/include" "$dir$libexec/"
# libc's development files: headers, crt1.o and friends, libc.a, the libc.so linker script
for package in libc6-dev linux-libc-dev libcrypt-dev; do
    dpkg -L "$package" 2>/dev/null | while read -r path; do
        [ -f "$path" ] && place "$path"
    done
done
