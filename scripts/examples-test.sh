#!/usr/bin/env bash
# Builds Examples/ (a downstream package depending on this one by path) and runs each of its
# programs under mpiexec at 3 ranks, checking what they print. Run by `make test-examples`.
set -euo pipefail
cd "$(dirname "$0")/.."
MPIEXEC=${MPIEXEC:-mpiexec --oversubscribe}
SWIFT=${SWIFT:-swift}
NP=3
if [ "$(id -u)" = 0 ]; then export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1; fi

$SWIFT build --package-path Examples
bin=$($SWIFT build --package-path Examples --show-bin-path)
failures=0

# check NAME EXPECTED-LINE...: runs NAME at NP ranks; it must exit 0 and print every expected line
# (in any order: lines of different ranks may come in any order).
check() {
    local name=$1; shift
    local out status=0
    out=$(timeout 120 $MPIEXEC -n $NP "$bin/$name" 2>&1) || status=$?
    local missing=""
    for line in "$@"; do
        if ! grep -qxF -- "$line" <<<"$out"; then missing+="  missing: $line"$'\n'; fi
    done
    if [ $status -ne 0 ] || [ -n "$missing" ]; then
        echo "FAIL $name (exit $status)"; printf '%s' "$missing"; echo "$out" | sed 's/^/  | /'
        failures=$((failures + 1))
    else
        echo "ok   $name"
    fi
}

host=$(hostname)
check hello "hello from rank 0 of 3 on $host" "hello from rank 1 of 3 on $host" "hello from rank 2 of 3 on $host"
check sum "sum" "  result      499999500000"
check structs "readings: 3 from 1 host(s)" \
    "  rank 0: samples [0.0, 0.25, 0.5] note none" \
    "  rank 1: samples [1.0, 1.25, 1.5] note from rank 1" \
    "  rank 2: samples [2.0, 2.25, 2.5] note from rank 2" \
    "rank 1 refused a Reading as Settings: MPI_Recv: the message from rank 0 does not decode as Settings: it holds a structs.Reading: no key 'title'"

[ $failures -eq 0 ] && echo "examples: all passed at $NP ranks" || { echo "examples: $failures failed"; exit 1; }
