# The native core for linux-arm64, cross-built on an x64 Debian host (tools/build-native-arm64.sh):
# Debian's gcc-aarch64-linux-gnu, and the arm64 libseccomp and libnftables of multiarch
# (dpkg --add-architecture arm64), found under /usr/lib/aarch64-linux-gnu.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_LIBRARY_ARCHITECTURE aarch64-linux-gnu)
# ctest runs the arm64 C unit tests under user-mode qemu, the cross toolchain's libc as its root
find_program(QEMU_AARCH64 qemu-aarch64-static)
if(QEMU_AARCH64)
  set(CMAKE_CROSSCOMPILING_EMULATOR ${QEMU_AARCH64} -L /usr/aarch64-linux-gnu)
endif()
