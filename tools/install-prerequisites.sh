#!/bin/sh
# What building and testing need on Debian 12, beyond the .NET SDK: the native core's
# toolchain, libseccomp and libnftables, nftables and iptables (the network tests read and
# play a host's firewall with them), busybox-static (the test images), attr (getfattr), the peers the
# tests compare with (crun, runc, skopeo, umoci, podman), aardvark-dns (networks' name
# resolution) and dnsmasq (the DNS tests' upstream server), and PowerShell 7.6.9 with Pester
# 5.9.1 for the module's own suite. Run it as root or as a user with sudo.
set -eu
[ "$(id -u)" -eq 0 ] || exec sudo env "PATH=$PATH" "$0" "$@"
here=$(cd "$(dirname "$0")" && pwd)
export DEBIAN_FRONTEND=noninteractive DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

apt-get update
apt-get install -y --no-install-recommends \
    cmake make gcc libc6-dev libseccomp-dev libnftables-dev nftables iptables busybox-static attr iproute2 ca-certificates \
    aardvark-dns dnsmasq \
    crun runc skopeo umoci podman

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
