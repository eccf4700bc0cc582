#!/usr/bin/env bash
# Across two simulated hosts (scripts/multinode/with-hosts.sh), one rank on each, one thread per
# rank: the static against the dynamic schedule (bench/schedules.py) on uneven work (collatz, trial
# division) and even work (pi, integrate2d, where they have --schedule), and pingpong across the
# hosts against the C reference at the same placement (bench/compare.py). A benchmark, not a test:
# it reports; it exits non-zero only when a run fails. Run by `make bench-multinode` (needs root).
# BENCH_RUNS (default 5) runs of each, alternating; medians.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN_DIR:-.build-static/release}
PINGPONG_C=${PINGPONG_C:-.build/bench/pingpong-c}
RUNS=${BENCH_RUNS:-5}
if [ "${MN_MPIEXEC:-}" = "" ]; then
    exec bash scripts/multinode/with-hosts.sh 2 bash "$0" "$@"
fi
# On host 1 now, with two hosts up.
echo "# bench-multinode: 2 hosts ($(paste -sd ' ' "$MN_HOSTLIST")), 1 rank per host, $(lscpu | grep 'Model name' | sed 's/  */ /g'), $(nproc) CPUs shared by both hosts"
hostfile=$(dirname "$MN_HOSTLIST")/hostfile-bench
sed 's/$/ slots=1/' "$MN_HOSTLIST" >"$hostfile"
MPI="$MN_MPIEXEC --hostfile $hostfile"
status=0
schedules() {
    python3 bench/schedules.py --mpiexec "$MPI" --np 2 --runs "$RUNS" "$@" || status=1
    echo
}
schedules --name "collatz to 4e8" --expect faster \
    --static "$BIN/collatz --limit 4e8 --threads 1 --schedule block" \
    --dynamic "$BIN/collatz --limit 4e8 --threads 1 --schedule dynamic"
schedules --name "primes by trial division to 2e6" --expect faster \
    --static "$BIN/primes --limit 2e6 --method trial --threads 1 --schedule block" \
    --dynamic "$BIN/primes --limit 2e6 --method trial --threads 1 --schedule dynamic"
for even in "pi --darts 4e8" "integrate2d --bins 6000"; do
    program=${even%% *}
    if "$BIN/$program" --help | grep -q -- '--schedule'; then
        schedules --name "$even" --expect even \
            --static "$BIN/$even --threads 1 --schedule block" \
            --dynamic "$BIN/$even --threads 1 --schedule dynamic"
    else
        echo "$program: no --schedule option in this build: static vs dynamic not measured (note)"
        echo
    fi
done
# Up to 1 MiB (the sizes of compare.py's two verdicts): 16 MiB messages over the veths take a
# minute a run on this machine.
python3 bench/compare.py --mpiexec "$MPI" --runs 7 pingpong --np 2 --args "--max-size 1048576" \
    --swift "$BIN/pingpong" --c "$PINGPONG_C" || status=1
exit "$status"
