#!/usr/bin/env bash
# make install, end to end, as a cluster user meets it: install into a temporary PREFIX, then in a
# clean shell with Lmod (Debian's lmod, installed here if missing) `module use PREFIX/modulefiles;
# module load swift-mpi-programs/<MPI>`, and the installed pi must be the one on PATH, run under
# mpiexec, and give the build tree's result bits; `module unload` must take it off PATH again. Then,
# as root, one installed job script (PREFIX/jobs/pi.sh) under a one-node Slurm (scripts/slurm/),
# submitted from that module-loaded shell: jobs/launch.sh sees Lmod there, loads the toolchain (a
# stand-in modulefile, since this machine has no foss or intel modules) and the installed module
# again, and runs the installed binary with srun. Everything is removed after, on every exit path.
# Run after `make release` (make test-install does both). Prints PASS/FAIL lines; exits non-zero
# on any failure. Usage: MPI=<name> MPIEXEC="<launcher and options>" scripts/install-test.sh
set -euo pipefail
cd "$(dirname "$0")/.."
MPI=${MPI:-openmpi}
MPIEXEC=${MPIEXEC:-mpiexec}
RELEASE=release; [ "$MPI" = openmpi ] || RELEASE="release-$MPI"
[ "$(id -u)" -ne 0 ] || export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1

bash scripts/install-deps.sh lmod
LMOD_INIT=/usr/share/lmod/lmod/init/bash
[ -r "$LMOD_INIT" ] || { echo "FAIL install: no $LMOD_INIT after installing lmod"; exit 1; }

failures=0
pass() { echo "PASS $*"; }
fail() { echo "FAIL $*"; failures=$((failures + 1)); }
field() { python3 scripts/multinode/field.py "$1" <<<"$2" 2>/dev/null || echo "(no $1)"; }

DIR=$(mktemp -d /tmp/install-test.XXXXXX)
chmod 0755 "$DIR"
CLUSTER_STARTED=""
teardown() {
    [ -z "$CLUSTER_STARTED" ] || slurm_cluster_stop
    rm -rf "$DIR"
}
trap teardown EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP

PREFIX="$DIR/prefix"
if make --no-print-directory install PREFIX="$PREFIX" MPI="$MPI" >"$DIR/install.log" 2>&1; then
    pass "make install PREFIX=$PREFIX MPI=$MPI: $(find "$PREFIX/bin" -type f | wc -l) programs, $(find "$PREFIX/jobs" -type f | wc -l) job files, $(cd "$PREFIX" && ls modulefiles/*/*)"
else
    fail "make install: $(tail -n 3 "$DIR/install.log" | paste -sd '|' -)"
    exit 1
fi

# The build tree's own result, to compare the installed binary's with (same program, same bits).
ARGS=(--darts 1000000 --json)
# shellcheck disable=SC2086  # the launcher and its options
reference=$(field result "$($MPIEXEC -n 1 "$RELEASE/pi" "${ARGS[@]}" 2>&1 | grep '^{')")
[ "$reference" != "(no result)" ] || { echo "FAIL install: $RELEASE/pi under $MPIEXEC printed no result"; exit 1; }

# A clean login-like shell: nothing from this one but PATH and HOME (and Open MPI's root settings).
in_lmod_shell() {
    env -i PATH=/usr/local/bin:/usr/bin:/bin HOME="$HOME" USER="${USER:-root}" \
        OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 bash -c "source $LMOD_INIT; $1" 2>&1
}
out=$(in_lmod_shell "module use '$PREFIX/modulefiles' && module load swift-mpi-programs/$MPI \
    && echo \"which: \$(command -v pi)\" && echo \"mpi: \$SWIFTMPI_MPI\" && $MPIEXEC -n 2 pi ${ARGS[*]} \
    && module unload swift-mpi-programs/$MPI && echo \"after unload: \$(command -v pi || echo none)\"") || true
json=$(grep '^{' <<<"$out" || true)
if grep -qx "which: $PREFIX/bin/pi" <<<"$out" && grep -qx "mpi: $MPI" <<<"$out" \
    && [ "$(field ranks "$json")" = 2 ] && [ "$(field result "$json")" = "$reference" ] \
    && grep -qx "after unload: none" <<<"$out"; then
    pass "module load swift-mpi-programs/$MPI: pi from $PREFIX/bin, mpiexec -n 2 pi gives $reference as the build tree's; unloaded, off PATH"
else
    fail "module load swift-mpi-programs/$MPI: expected pi from $PREFIX/bin giving $reference, then none after unload; got: $(tail -n 6 <<<"$out" | cut -c1-200 | paste -sd '|' -)"
fi

if [ "$(id -u)" -ne 0 ]; then
    echo "install test: the Slurm part needs root (slurmd, munged): left out"
else
    bash scripts/install-deps.sh slurmctld slurmd slurm-client munge libpmix-dev
    # shellcheck source=scripts/slurm/cluster.sh
    source scripts/slurm/cluster.sh
    if slurm_cluster_start "$DIR/slurm"; then
        CLUSTER_STARTED=1
        # Stand-ins for the toolchain modules jobs/launch.sh loads (foss/<v>, intel/<v>): each says so.
        mkdir -p "$DIR/toolchains/foss" "$DIR/toolchains/intel"
        for module in foss/2023a foss/2024a intel/2023a; do
            printf 'LmodMessage("toolchain %s (a stand-in) loaded")\n' "$module" >"$DIR/toolchains/$module.lua"
        done
        mkdir -p "$DIR/out"
        # sbatch passes the shell's environment (Lmod's ml function and MODULEPATH, the module's
        # variables) to the job, as on a cluster. batch_pi MODULEPATHS: the job's output in OUTPUT.
        batch_pi() {
            local job id
            job=$(in_lmod_shell "module use $1 && module load swift-mpi-programs/$MPI \
                && cd '$PREFIX' && SLURM_CONF='$SLURM_CONF' timeout 90 sbatch --wait --parsable --chdir='$DIR/out' \
                   -n 2 -c 1 jobs/pi.sh ${ARGS[*]}") || true
            id=$(grep -Eo '^[0-9]+' <<<"$job" | tail -n 1 || true)
            JOB_ID=${id:-none}
            OUTPUT=$(cat "$DIR/out/pi-$id.out" 2>/dev/null || echo "(no output file for job '${id}': $job)")
            JSON=$(grep '^{' <<<"$OUTPUT" || true)
        }
        batch_pi "'$DIR/toolchains' '$PREFIX/modulefiles'"
        if [ "$(field result "$JSON")" = "$reference" ] && [ "$(field ranks "$JSON")" = 2 ] \
            && grep -Eq "toolchain (foss|intel)/[0-9a-z]+ \(a stand-in\) loaded" <<<"$OUTPUT"; then
            pass "sbatch $PREFIX/jobs/pi.sh with the module loaded: job $JOB_ID, the toolchain loaded through Lmod, 2 ranks give $reference"
        else
            fail "sbatch $PREFIX/jobs/pi.sh: job $JOB_ID: $(tail -n 6 <<<"$OUTPUT" | cut -c1-200 | paste -sd '|' -)"
        fi
        # A site without that toolchain module: the job says so and runs with what is loaded.
        batch_pi "'$PREFIX/modulefiles'"
        if [ "$(field result "$JSON")" = "$reference" ] && grep -q "pi: no module .* here" <<<"$OUTPUT"; then
            pass "sbatch $PREFIX/jobs/pi.sh without the toolchain module: job $JOB_ID says so ($(grep -o 'no module [^ ]*' <<<"$OUTPUT")) and runs with the modules loaded, $reference"
        else
            fail "sbatch $PREFIX/jobs/pi.sh without the toolchain module: job $JOB_ID: $(tail -n 6 <<<"$OUTPUT" | cut -c1-200 | paste -sd '|' -)"
        fi
    else
        fail "slurm up"
        slurm_cluster_logs
    fi
fi
[ "$failures" -eq 0 ] || { echo "install test: $failures check(s) FAILED"; exit 1; }
echo "install test: all checks passed"
