#!/usr/bin/env bash
# Installs the Debian packages the project builds against, only those missing (sudo when not root).
# Usage: scripts/install-deps.sh [extra packages...]
# MPI_DEBS (from mk/mpi-$(MPI).mk, exported by the Makefile) names the MPI's own packages: Open MPI's
# when unset, none for the implementations installed from PyPI (scripts/install-mpi.sh).
set -euo pipefail

# shellcheck disable=SC2206
packages=(libhwloc-dev libgmp-dev libsleef-dev pkg-config ${MPI_DEBS-libopenmpi-dev openmpi-bin} "$@")
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
