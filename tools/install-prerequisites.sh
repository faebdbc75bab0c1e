#!/bin/sh
# What building and testing need on Debian 12, beyond the .NET SDK:
# the native core's toolchain and libseccomp, busybox-static (the test images), attr (getfattr),
# and the OCI runtimes the tests compare ours with.
set -eu
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends \
    cmake make gcc libc6-dev libseccomp-dev busybox-static attr iproute2 ca-certificates \
    crun runc
