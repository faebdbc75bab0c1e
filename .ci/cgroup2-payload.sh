#!/bin/sh
# Runs inside the cgroup v2 VM (../shared/cgroup2-vm, --hostfs): the kernel-facing tests, from
# the build the host made, on a kernel with only cgroup v2: xunit's Kernel category, then the
# Pester tests tagged Root in one pwsh (pwsh takes about 50 s to start under emulation), but
# those that take minutes under emulation and hold nothing of the cgroup version's own, which the
# host's run proves: the eight-session concurrency test (160 containers from eight pwsh starts),
# the help's examples run as written (each a container, as the other files start them), and the
# tests that start a child pwsh (ChildSession: a terminal, Ctrl+C, stdin; each such start takes
# longer there than the terminal driver waits), a registry's (Registry: its protocol),
# remoting's (Remoting: sshd sessions, each a pwsh start) and the compose cmdlets' (Compose: the
# engine's ProjectUpTests run there as Kernel tests), and the module package's (Package: a cross
# build, Publish-PSResource and Save-PSResource in child pwsh starts, then a fresh pwsh's one
# container; what it proves is the package's, the same on either cgroup version).
# usage: cgroup2-payload.sh <repository path on the host> <test assembly, relative> [xunit filter]
set -u
repo=$1
assembly=$2
filter=${3:-Category=Kernel}
# the tests know the repository by its host path: make that path lead to the share
mkdir -p "$(dirname "$repo")"
[ -e "$repo" ] || ln -s /mnt/host "$repo"
echo "cgroup: $(stat -fc %T /sys/fs/cgroup)"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1 HOME=/tmp
cd "$repo" || exit 125
# a test that hangs is ended and named (the blame collector, no dump) rather than holding the VM
# until its timeout with nothing said; Pester has no such collector: a Pester test that hangs
# leaves the console silent, which .ci/run's watchdog ends
dotnet test "$repo/$assembly" --filter "$filter" --blame-hang-timeout "${CGROUP2_TEST_HANG:-15m}" --blame-hang-dump-type none \
    --logger "trx;LogFileName=/mnt/host/.cg2vm/cgroup2.trx" --logger "console;verbosity=normal"
xunit=$?
pester=0
if [ "${CGROUP2_PESTER:-1}" = 1 ]; then
    pwsh -NoProfile -File "$repo/tests/Pester/Run.ps1" -Tag Root -ExcludeTag Concurrency,Examples,ChildSession,Registry,Remoting,Compose,Package -ResultFile /mnt/host/.cg2vm/cgroup2-pester.xml
    pester=$?
fi
echo "cgroup v2: xunit exit code $xunit, Pester failed tests $pester"
[ "$xunit" -eq 0 ] && [ "$pester" -eq 0 ]
