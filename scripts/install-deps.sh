#!/usr/bin/env bash
# Installs the Debian packages the project builds against, only those missing (sudo when not root).
# Usage: scripts/install-deps.sh [extra packages...]
set -euo pipefail

packages=(libopenmpi-dev openmpi-bin libhwloc-dev libgmp-dev pkg-config "$@")
missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "installing: ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
