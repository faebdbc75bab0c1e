#!/usr/bin/env bash
# Benchmark: one container's bridge network set up and torn down (namespace, veth on the
# bridge, address, default route, masquerade and a published port's DNAT), by our helper
# (container-network: netlink and libnftables in process) against netavark (podman's, which
# podman run --network bridge calls for the same work), measured by hyperfine in one
# invocation and printed as ratios. Also the same nftables rules applied by spawning nft, the
# choice our helper makes in process instead. Everything happens in a network namespace of the
# benchmark's own that plays the host: the machine's network is not touched.
# Needs root, hyperfine, nft, python3 and a built tree (dotnet build Container.sln); netavark
# (apt-get install netavark) for its numbers.
# usage: bench/network-setup.sh [RUNS]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
runs=${1:-200}
ours=$repo/artifacts/native/container-network
netavark=/usr/lib/podman/netavark
for tool in hyperfine nft python3 ip; do
    command -v "$tool" >/dev/null || { echo "needs $tool (apt-get install $tool)" >&2; exit 1; }
done
[ -x "$ours" ] || { echo "build first: dotnet build Container.sln" >&2; exit 1; }

work=$(mktemp -d /tmp/bench-network-XXXXXX)
host=bench-net-$$
ip netns add "$host"
ip -n "$host" link set lo up
trap 'ip netns del "$host"; rm -rf "$work"' EXIT

# ours: a member that stays (the bridge then exists, as on a host with running containers) and
# the one measured
request() { # id address host-port
    cat <<JSON
{"hostNamespace":"/run/netns/$host","setup":{"containerId":"$1","namespacePath":"$work/run/netns/$1",
 "attachments":[{"network":"bridge","bridge":"container0","interface":"eth0","hostInterface":"veth${1:0:8}",
   "subnet":"10.88.0.0/16","address":"$2/16","gateway":"10.88.0.1","mtu":1500,"internal":false}],
 "ports":[{"hostIp":"","hostPort":$3,"containerPort":80,"protocol":"tcp"}]}}
JSON
}
request residentaaaa 10.88.0.2 8000 > "$work/resident.json"
request measuredbbbb 10.88.0.3 8080 > "$work/measured.json"
"$ours" setup "$work/resident.json"

# the same ruleset as ours, applied and removed by two nft spawns
python3 - "$work" <<'PY'
import sys
work = sys.argv[1]
rules = """add table inet bench
add chain inet bench forward { type filter hook forward priority filter; policy accept; }
add chain inet bench prerouting { type nat hook prerouting priority dstnat; policy accept; }
add chain inet bench output { type nat hook output priority -100; policy accept; }
add chain inet bench postrouting { type nat hook postrouting priority srcnat; policy accept; }
add rule inet bench forward oifname "container0" ip daddr 10.88.0.3 ct state established,related accept comment "b"
add rule inet bench forward oifname "container0" ip daddr 10.88.0.3 ct status dnat accept comment "b"
add rule inet bench forward oifname "container0" ip daddr 10.88.0.3 iifname != "container0" drop comment "b"
add rule inet bench forward iifname "container0" ip saddr 10.88.0.3 accept comment "b"
add rule inet bench postrouting ip saddr 10.88.0.3 ip daddr != 10.88.0.0/16 masquerade comment "b"
add rule inet bench prerouting meta nfproto ipv4 fib daddr type local tcp dport 8080 dnat ip to 10.88.0.3:80 comment "b"
add rule inet bench output meta nfproto ipv4 fib daddr type local tcp dport 8080 dnat ip to 10.88.0.3:80 comment "b"
add rule inet bench postrouting oifname "container0" ip daddr 10.88.0.3 ct status dnat ip saddr 127.0.0.0/8 masquerade comment "b"
add rule inet bench postrouting oifname "container0" ip daddr 10.88.0.3 ct status dnat ip saddr 10.88.0.0/16 masquerade comment "b"
"""
open(f"{work}/rules.nft", "w").write(rules)
PY

# ours enters the benchmark's namespace itself (hostNamespace); the others run there by ip netns
# exec, whose own cost is measured alone (enter) and taken out. (ip netns exec gives each run a
# mount namespace of its own: our namespaces' mounts would die with it.)
inside="ip netns exec $host sh -c"
commands=(-n enter "$inside true"
          -n ours "$ours setup $work/measured.json && $ours teardown - < $work/measured.json"
          -n nft-spawned "$inside 'nft -f $work/rules.nft && nft delete table inet bench'")
if [ -x "$netavark" ]; then
    # netavark's own options, as podman hands them; it needs the namespace made first (podman
    # makes it in process): ip netns add/del is measured alone too, to take it out
    cat > "$work/netavark.json" <<JSON
{"container_id":"measuredbbbb","container_name":"measured",
 "networks":{"podman":{"interface_name":"eth0","static_ips":["10.89.0.3"]}},
 "network_info":{"podman":{"name":"podman","id":"2f259bab93aaaaa2542ba43ef33eb990d0999ee1b9924b557b7be53c0b7a1bb9","driver":"bridge",
   "network_interface":"podman0","subnets":[{"subnet":"10.89.0.0/16","gateway":"10.89.0.1"}],
   "ipv6_enabled":false,"internal":false,"dns_enabled":false,"ipam_options":{"driver":"host-local"}}},
 "port_mappings":[{"host_ip":"","container_port":80,"host_port":8080,"range":1,"protocol":"tcp"}]}
JSON
    mkdir -p "$work/netavark"
    commands+=(-n netavark "$inside 'ip netns add nv-$$ && $netavark --config $work/netavark setup /run/netns/nv-$$ < $work/netavark.json >/dev/null && $netavark --config $work/netavark teardown /run/netns/nv-$$ < $work/netavark.json && ip netns del nv-$$'"
               -n ip-netns "$inside 'ip netns add nv-$$ && ip netns del nv-$$'")
else
    echo "netavark is not installed (apt-get install netavark): no netavark numbers" >&2
fi
hyperfine --warmup 10 --runs "$runs" --export-json "$work/times.json" "${commands[@]}"
"$ours" teardown "$work/resident.json"

python3 - "$work/times.json" <<'PY'
import json, sys
results = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
enter = results.pop("enter")["mean"]
print()
print(f"{'what':12} {'mean':>9} {'min':>9}   (but ours: with ip netns exec, which alone takes {enter*1000:.2f} ms)")
for name, r in results.items():
    print(f"{name:12} {r['mean']*1000:8.2f}ms {r['min']*1000:8.2f}ms")
ours = results["ours"]["mean"]
spawned = results["nft-spawned"]["mean"] - enter
print()
print(f"ours, setup + teardown: {ours*1000:.2f} ms")
print(f"the same nftables rules by two nft spawns alone: {spawned*1000:.2f} ms, {spawned / ours:.2f}x our whole setup and teardown")
if "netavark" in results:
    netavark = results["netavark"]["mean"] - results["ip-netns"]["mean"]
    print(f"netavark setup + teardown (its namespace's ip netns add/del taken out): {netavark*1000:.2f} ms; ours is {netavark / ours:.2f}x as fast")
PY
