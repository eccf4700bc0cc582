#!/usr/bin/env bash
# The start-up checks, against whatever other MPI is installed here: a program built for MPI=<name>,
# started by another implementation's launcher, exits 2 with one line naming the launcher it needs;
# one that loads a library of another family exits 2 with one line saying which and how to rebuild.
# Usage: scripts/check-mismatch.sh <name> <binary>   (skips what is not installed)
set -uo pipefail
name="$1"; binary="$2"
here="$(pwd)"
fails=0

expect_two() {  # <what> <command...>: exit 2, one line on stderr naming the fix, within 10 s
    local what="$1"; shift
    local err; err="$(mktemp)"
    timeout 10 env OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 "$@" >/dev/null 2>"$err"
    local status=$? lines; lines=$(grep -c 'launch it with\|rebuild with' "$err")
    if [ "$status" -eq 2 ] && [ "$lines" -eq 1 ]; then
        echo "ok: $what: $(grep 'launch it with\|rebuild with' "$err")"
    else
        echo "FAILED: $what: exit $status, $lines line(s):"; cat "$err"; fails=1
    fi
    rm -f "$err"
}

openmpi_launcher="$(command -v mpiexec.openmpi || true)"
hydra_launcher="$(command -v mpiexec.mpich || true)"
case "$name" in
    openmpi|openmpi5)
        [ -n "$hydra_launcher" ] && expect_two "Hydra starts an Open MPI program" "$hydra_launcher" -n 2 "$binary" ;;
    mpich|intelmpi)
        [ -n "$openmpi_launcher" ] && expect_two "Open MPI starts an MPICH-ABI program" \
            "$openmpi_launcher" --oversubscribe -n 2 "$binary" ;;
esac
# A library of another family first on the library path: Open MPI 5's libmpi.so.40 under a 4.1 build.
if [ "$name" = openmpi ] && [ -e "$here/.mpi/openmpi5/lib/libmpi.so.40" ] && [ -n "$openmpi_launcher" ]; then
    expect_two "Open MPI 5's library under an Open MPI 4 build" \
        env LD_LIBRARY_PATH="$here/.mpi/openmpi5/lib" "$openmpi_launcher" -n 2 "$binary"
fi
exit $fails
