# shellcheck shell=bash
# Long jobs and array jobs under the test Slurm (sourced, not run; after scripts/slurm/submit.sh,
# with OUT_DIR, pass, fail and skip set; used by scripts/slurm-test.sh and scripts/multinode-test.sh).
# Three runs of pi over the same darts must print the same bits:
#   - reference: jobs/pi.sh, one plain run, which is sent SIGUSR1 too and, without --checkpoint,
#     must note it and run on;
#   - checkpoint: jobs/pi.sh --checkpoint, sent SIGUSR1 in its batch shell once it runs
#     (`scancel --signal=USR1 --batch`: what `#SBATCH --signal=B:USR1@120` sends before the time
#     limit); its trap passes the signal on, the program saves and exits 75, the script requeues the
#     job, and the job's second start resumes from the checkpoint and removes it;
#   - array: jobs/submit-array.sh, the array job jobs/pi-array.sh (its own --array=0-9, one part per
#     task) and the combine job waiting for it (--dependency=afterok), which removes the parts.
# And primes' array job (submit-array.sh with --array=0-3) must combine to pi(10^7) = 664579.
# long_jobs_submit starts them all and sends the signal; they then run while other checks wait (the
# --time limit check), and long_jobs_check waits for them and checks. The requeued job starts again
# cred_expire (10 s, scripts/slurm/slurm.conf.in) after its requeue.

# The jobs' shapes (sbatch options); scripts/multinode-test.sh sets its own before long_jobs_submit.
LONG_REFERENCE_SHAPE="-n 1 -c 2"
LONG_CHECKPOINT_SHAPE="-n 2 -c 1"
LONG_ARRAY_SHAPE="-n 1 -c 1"            # of each task
LONG_ARRAY_TASKS=10                     # the script's own --array=0-9 (otherwise add --array to the shape)
LONG_PRIMES_SHAPE="-n 1 -c 1"           # empty: no primes array job
LONG_DARTS=3e9                          # several seconds at 2 ranks: the signal must come before the end
LONG_PRIMES_LIMIT=1e7
LONG_PRIMES_COUNT=664579                # primes below 10^7

LONG_DIR=""
LONG_REFERENCE=""
LONG_CHECKPOINT=""
LONG_ARRAY=""
LONG_COMBINE=""
LONG_ARRAY_PROBLEM=""
LONG_PRIMES_ARRAY=""
LONG_PRIMES_COMBINE=""
LONG_PRIMES_PROBLEM=""
LONG_SKIP=""
LONG_STARTED=""
LONG_SIGNAL=""      # how the SIGUSR1 went: "sent after 'pi: N% done'", or what failed
LONG_REFERENCE_SIGNAL=""

# The JSON line of PROGRAM in a job's output file, and one field of it.
long_json() { grep -Eh "^\{\"program\":\"$1\"" "$2" 2>/dev/null | tail -n 1 || true; }
long_field() { grep -Eo "\"$1\":[^,}]+" <<<"$2" | head -n 1 | cut -d: -f2 || true; }

# The binary the job scripts run (jobs/launch.sh: BIN_DIR, else release/, else the build folder).
long_binary() {
    local bin="${BIN_DIR:-release}"
    [ -x "$bin/$1" ] || bin=".build-static/release"
    echo "$bin/$1"
}

# long_submit_array VARIABLE PROGRAM SHAPE PROGRAM-OPTIONS...: jobs/submit-array.sh; sets
# VARIABLE_ARRAY and VARIABLE_COMBINE to the two job ids, or VARIABLE_PROBLEM to its reply.
long_submit_array() {
    local name=$1 program=$2 shape=$3 reply array combine; shift 3
    # shellcheck disable=SC2086  # options, one per word
    reply=$(slurm_client bash jobs/submit-array.sh $shape --chdir="$LONG_DIR" -- "$program" "$@" 2>&1) || true
    array=$(sed -nE 's/^array job ([0-9]+):.*/\1/p' <<<"$reply")
    combine=$(sed -nE 's/^combine job ([0-9]+):.*/\1/p' <<<"$reply")
    printf -v "${name}_ARRAY" '%s' "$array"
    printf -v "${name}_COMBINE" '%s' "$combine"
    [ -n "$array" ] && [ -n "$combine" ] || printf -v "${name}_PROBLEM" '%s' "submit-array.sh: $reply; "
}

long_jobs_submit() {
    LONG_STARTED=$EPOCHREALTIME
    LONG_DIR="$OUT_DIR/long"
    LONG_SKIP=""
    if ! "$(long_binary pi)" --help 2>/dev/null | grep -q -- '--checkpoint'; then
        LONG_SKIP="$(long_binary pi) has no --checkpoint"
        return 0
    fi
    mkdir -p "$LONG_DIR"
    # The checkpoint job first: with the CPUs free, it starts at once.
    # shellcheck disable=SC2086  # options, one per word
    LONG_CHECKPOINT=$(slurm_client sbatch --parsable --chdir="$LONG_DIR" $LONG_CHECKPOINT_SHAPE jobs/pi.sh \
        --darts "$LONG_DARTS" --checkpoint "$LONG_DIR/pi.ckpt" --progress 0.25 --json 2>&1) || LONG_CHECKPOINT=""
    # shellcheck disable=SC2086
    LONG_REFERENCE=$(slurm_client sbatch --parsable --chdir="$LONG_DIR" $LONG_REFERENCE_SHAPE jobs/pi.sh \
        --darts "$LONG_DARTS" --progress 0.25 --json 2>&1) || LONG_REFERENCE=""
    long_submit_array LONG pi "$LONG_ARRAY_SHAPE" --darts "$LONG_DARTS" --json
    if [ -n "$LONG_PRIMES_SHAPE" ]; then
        long_submit_array LONG_PRIMES primes "$LONG_PRIMES_SHAPE --array=0-3" --limit "$LONG_PRIMES_LIMIT" --json
    fi

    # SIGUSR1 to the checkpoint job's batch shell once the program reports progress (it then runs),
    # and to the reference's, which has no --checkpoint: it must run on to its result.
    LONG_SIGNAL=$(long_signal "$LONG_CHECKPOINT")
    LONG_REFERENCE_SIGNAL=$(long_signal "$LONG_REFERENCE")
}

# long_signal JOB: SIGUSR1 to the batch shell of pi's job JOB once its output has a progress line;
# prints how it went.
long_signal() {
    local job=$1 out="$LONG_DIR/pi-$1.out" deadline=$((SECONDS + 60)) line
    [ -n "$job" ] || { echo "not sent: no job"; return; }
    until grep -q "% done" "$out" 2>/dev/null || [ $SECONDS -ge "$deadline" ]; do sleep 0.05; done
    line=$(grep -m 1 "% done" "$out" 2>/dev/null || true)
    if [ -z "$line" ]; then
        echo "not sent: no progress line in 60 s"
    elif slurm_client scancel --signal=USR1 --batch "$job"; then
        echo "sent after '${line%%,*}'"
    else
        echo "not sent: scancel --signal=USR1 --batch failed"
    fi
}

# Waits until none of the given jobs (array jobs with all their tasks) is queued, for at most $1 s.
long_wait() {
    local deadline=$((SECONDS + $1)) job; shift
    for job in "$@"; do
        [ -n "$job" ] || continue
        while [ $SECONDS -lt "$deadline" ] && slurm_client squeue -h -j "$job" 2>/dev/null | grep -q .; do sleep 0.1; done
    done
}

# long_check_array NAME PROGRAM TASKS ARRAY COMBINE PROBLEM FIELD EXPECTED: each task saved its part,
# the combine job printed FIELD = EXPECTED, and the parts are gone.
long_check_array() {
    local name=$1 program=$2 tasks=$3 array=$4 combine=$5 problem=$6 key=$7 expected=$8
    local out="$LONG_DIR/$program-combine-$combine.out" task saved=0 json value
    for ((task = 0; task < tasks; task++)); do
        grep -q "^part $task/$tasks of $program saved to $program-$array.parts/part-$task-of-$tasks$" \
            "$LONG_DIR/$program-array-${array}_$task.out" 2>/dev/null && saved=$((saved + 1))
    done
    json=$(long_json "$program" "$out")
    value=$(long_field "$key" "$json")
    if [ -n "$combine" ] && [ "$saved" = "$tasks" ] && [ "$value" = "$expected" ] \
        && [ ! -e "$LONG_DIR/$program-$array.parts" ]; then
        pass "$name: $tasks parts saved, combined to $key $value as expected, parts removed (jobs $array, $combine)"
    else
        fail "$name (jobs ${array:-not submitted}, ${combine:-not submitted}): ${problem}parts saved $saved of $tasks, $key ${value:-none} (expected $expected), parts folder $([ -e "$LONG_DIR/$program-$array.parts" ] && echo left || echo removed); combine: $(tail -n 4 "$out" 2>/dev/null | cut -c1-200 | paste -sd '|' -)"
    fi
}

long_jobs_check() {
    if [ -n "$LONG_SKIP" ]; then
        skip "long jobs (checkpoint + requeue, array + combine): $LONG_SKIP"
        return
    fi
    long_wait 240 "$LONG_REFERENCE" "$LONG_CHECKPOINT" "$LONG_ARRAY" "$LONG_COMBINE" \
        "$LONG_PRIMES_ARRAY" "$LONG_PRIMES_COMBINE"

    if [ -n "$LONG_PRIMES_SHAPE" ]; then
        long_check_array "primes array job (sbatch $LONG_PRIMES_SHAPE --array=0-3) + combine job" primes 4 \
            "$LONG_PRIMES_ARRAY" "$LONG_PRIMES_COMBINE" "$LONG_PRIMES_PROBLEM" result "$LONG_PRIMES_COUNT"
    fi

    local reference result inside expected
    reference=$(long_json pi "$LONG_DIR/pi-$LONG_REFERENCE.out")
    expected=$(long_field result "$reference")
    inside=$(long_field inside "$reference")
    local note="SIGUSR1 (the time limit is near), but no --checkpoint FILE: the run goes on"
    if [ -n "$LONG_REFERENCE" ] && [ -n "$expected" ] && [ -n "$inside" ] \
        && [ "$(grep -c "$note" "$LONG_DIR/pi-$LONG_REFERENCE.out")" = 1 ]; then
        pass "pi --darts $LONG_DARTS, one plain job (sbatch $LONG_REFERENCE_SHAPE), SIGUSR1 to its batch shell $LONG_REFERENCE_SIGNAL, noted, run on: result $expected, $inside inside (job $LONG_REFERENCE)"
    else
        fail "pi --darts $LONG_DARTS, one plain job (job ${LONG_REFERENCE:-not submitted}), SIGUSR1 $LONG_REFERENCE_SIGNAL: result ${expected:-none}, notes of the signal $(grep -c "$note" "$LONG_DIR/pi-$LONG_REFERENCE.out" 2>/dev/null); $(grep -v '% done, ' "$LONG_DIR/pi-$LONG_REFERENCE.out" 2>/dev/null | tail -n 3 | cut -c1-200 | paste -sd '|' -)"
        return
    fi

    # Stopped once by the signal (the program's line, the script's requeue), resumed, the same bits.
    local out="$LONG_DIR/pi-$LONG_CHECKPOINT.out" json saved requeued
    json=$(long_json pi "$out")
    result=$(long_field result "$json")
    saved=$(grep -Ec "^checkpoint saved to $LONG_DIR/pi.ckpt: [0-9]+% done; run the same command to resume$" "$out" 2>/dev/null || true)
    requeued=$(grep -c "requeueing job $LONG_CHECKPOINT (restart 1)" "$out" 2>/dev/null || true)
    if [ -n "$LONG_CHECKPOINT" ] && [ "$saved" = 1 ] && [ "$requeued" = 1 ] && [ "$result" = "$expected" ] \
        && [ "$(long_field inside "$json")" = "$inside" ] && [ ! -e "$LONG_DIR/pi.ckpt" ] \
        && [ "$(grep -c '^{"program":"pi"' "$out")" = 1 ]; then
        pass "pi --checkpoint job (sbatch $LONG_CHECKPOINT_SHAPE), SIGUSR1 to its batch shell $LONG_SIGNAL: '$(grep -m 1 -o 'checkpoint saved.*% done' "$out")', requeued, resumed to the same bits, checkpoint removed (job $LONG_CHECKPOINT)"
    else
        fail "pi --checkpoint job ${LONG_CHECKPOINT:-not submitted}, SIGUSR1 $LONG_SIGNAL: saved lines ${saved:-0}, requeue lines ${requeued:-0}, result ${result:-none} (expected $expected), checkpoint $([ -e "$LONG_DIR/pi.ckpt" ] && echo left || echo removed); $(grep -v '% done, ' "$out" 2>/dev/null | tail -n 6 | cut -c1-200 | paste -sd '|' -)"
    fi

    long_check_array "pi array job (jobs/pi-array.sh, sbatch $LONG_ARRAY_SHAPE) + combine job" pi "$LONG_ARRAY_TASKS" \
        "$LONG_ARRAY" "$LONG_COMBINE" "$LONG_ARRAY_PROBLEM" result "$expected"
    # The darts inside, too (the result is their ratio).
    local inside_combined
    inside_combined=$(long_field inside "$(long_json pi "$LONG_DIR/pi-combine-$LONG_COMBINE.out")")
    [ "$inside_combined" = "$inside" ] || fail "pi array + combine: ${inside_combined:-no} darts inside, one run $inside"
    echo "long jobs: submitted to checked in $(awk -v a="$LONG_STARTED" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }') s"
}
