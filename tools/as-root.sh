#!/bin/sh
# Runs a command as root: as it is for root (a fresh Debian machine has no sudo), with sudo
# for anyone else, keeping PATH so that dotnet and pwsh are found as the caller finds them.
# usage: as-root.sh COMMAND [ARGS...]
if [ "$(id -u)" -eq 0 ]; then
    exec "$@"
fi
command -v sudo >/dev/null 2>&1 || { echo "$1 needs root: run it as root, or install sudo" >&2; exit 1; }
exec sudo env "PATH=$PATH" "$@"
