# shellcheck shell=bash
# Long jobs and array jobs under the test Slurm (sourced, not run; after scripts/slurm/submit.sh,
# with OUT_DIR, pass and fail set): three runs of pi over the same darts must print the same bits.
#   - reference: jobs/pi.sh, one plain run (-n 1 -c 2);
#   - checkpoint: jobs/pi.sh --checkpoint (-n 2 -c 1), sent SIGUSR1 in its batch shell once it runs
#     (`scancel --signal=USR1 --batch`: what `#SBATCH --signal=B:USR1@120` sends before the time
#     limit); its trap passes the signal on, the program saves and exits 75, the script requeues the
#     job, and the job's second start resumes from the checkpoint and removes it;
#   - array: jobs/submit-array.sh, the array job jobs/pi-array.sh (10 tasks of -n 1 -c 1, one part
#     each) and the combine job waiting for it (--dependency=afterok), which removes the parts.
# long_jobs_submit starts them and sends the signal; they then run while other checks wait (the
# --time limit check), and long_jobs_check waits for them and checks. The requeued job starts again
# cred_expire (10 s, scripts/slurm/slurm.conf.in) after its requeue.

LONG_DARTS=2e8
LONG_DIR=""
LONG_REFERENCE=""
LONG_CHECKPOINT=""
LONG_ARRAY=""
LONG_COMBINE=""
LONG_ARRAY_PROBLEM=""
LONG_SKIP=""
LONG_SIGNAL=""      # how the SIGUSR1 went: "sent at N% done", or what failed

# The JSON line of a job's output file, and one field of it (a number, or an object's inside count).
long_json() { grep -Eh '^\{"program":"pi"' "$1" 2>/dev/null | tail -n 1 || true; }
long_field() { grep -Eo "\"$1\":[^,}]+" <<<"$2" | head -n 1 | cut -d: -f2 || true; }

# The binary the job scripts run (jobs/launch.sh: BIN_DIR, else release/, else the build folder).
long_binary() {
    local bin="${BIN_DIR:-release}"
    [ -x "$bin/pi" ] || bin=".build-static/release"
    echo "$bin/pi"
}

long_jobs_submit() {
    LONG_DIR="$OUT_DIR/long"
    LONG_SKIP=""
    if ! "$(long_binary)" --help 2>/dev/null | grep -q -- '--checkpoint'; then
        LONG_SKIP="$(long_binary) has no --checkpoint"
        return 0
    fi
    mkdir -p "$LONG_DIR"
    # The checkpoint job first: with the CPUs free, it starts at once.
    LONG_CHECKPOINT=$(slurm_client sbatch --parsable --chdir="$LONG_DIR" -n 2 -c 1 jobs/pi.sh \
        --darts "$LONG_DARTS" --checkpoint "$LONG_DIR/pi.ckpt" --progress 0.25 --json 2>&1) || LONG_CHECKPOINT=""
    LONG_REFERENCE=$(slurm_client sbatch --parsable --chdir="$LONG_DIR" -n 1 -c 2 jobs/pi.sh \
        --darts "$LONG_DARTS" --json 2>&1) || LONG_REFERENCE=""
    local reply
    reply=$(slurm_client bash jobs/submit-array.sh -n 1 -c 1 --chdir="$LONG_DIR" -- pi --darts "$LONG_DARTS" --json 2>&1) || true
    LONG_ARRAY=$(sed -nE 's/^array job ([0-9]+):.*/\1/p' <<<"$reply")
    LONG_COMBINE=$(sed -nE 's/^combine job ([0-9]+):.*/\1/p' <<<"$reply")
    [ -n "$LONG_ARRAY" ] && [ -n "$LONG_COMBINE" ] || LONG_ARRAY_PROBLEM="submit-array.sh: $reply"

    # SIGUSR1 to the checkpoint job's batch shell once the program reports progress (it then runs).
    LONG_SIGNAL="not sent"
    [ -n "$LONG_CHECKPOINT" ] || return 0
    local out="$LONG_DIR/pi-$LONG_CHECKPOINT.out" deadline=$((SECONDS + 60)) line
    until grep -q "% done" "$out" 2>/dev/null || [ $SECONDS -ge "$deadline" ]; do sleep 0.05; done
    line=$(grep -m 1 "% done" "$out" 2>/dev/null || true)
    if [ -z "$line" ]; then
        LONG_SIGNAL="not sent: no progress line in 60 s"
    elif slurm_client scancel --signal=USR1 --batch "$LONG_CHECKPOINT"; then
        LONG_SIGNAL="sent after '${line%%,*}'"
    else
        LONG_SIGNAL="scancel --signal=USR1 --batch failed"
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

long_jobs_check() {
    if [ -n "$LONG_SKIP" ]; then
        skip "long jobs (checkpoint + requeue, array + combine): $LONG_SKIP"
        return
    fi
    long_wait 240 "$LONG_REFERENCE" "$LONG_CHECKPOINT" "$LONG_ARRAY" "$LONG_COMBINE"

    local reference result inside expected
    reference=$(long_json "$LONG_DIR/pi-$LONG_REFERENCE.out")
    expected=$(long_field result "$reference")
    inside=$(long_field inside "$reference")
    if [ -n "$LONG_REFERENCE" ] && [ -n "$expected" ] && [ -n "$inside" ]; then
        pass "pi --darts $LONG_DARTS, one plain job (-n 1 -c 2): result $expected, $inside inside (job $LONG_REFERENCE)"
    else
        fail "pi --darts $LONG_DARTS, one plain job (job ${LONG_REFERENCE:-not submitted}): no result; $(tail -n 3 "$LONG_DIR/pi-$LONG_REFERENCE.out" 2>/dev/null | paste -sd '|' -)"
        return
    fi

    # Stopped once by the signal (the program's line, the script's requeue), resumed, the same bits.
    local out="$LONG_DIR/pi-$LONG_CHECKPOINT.out" json saved requeued
    json=$(long_json "$out")
    result=$(long_field result "$json")
    saved=$(grep -Ec "^checkpoint saved to $LONG_DIR/pi.ckpt: [0-9]+% done; run the same command to resume$" "$out" 2>/dev/null || true)
    requeued=$(grep -c "requeueing job $LONG_CHECKPOINT (restart 1)" "$out" 2>/dev/null || true)
    if [ -n "$LONG_CHECKPOINT" ] && [ "$saved" = 1 ] && [ "$requeued" = 1 ] && [ "$result" = "$expected" ] \
        && [ "$(long_field inside "$json")" = "$inside" ] && [ ! -e "$LONG_DIR/pi.ckpt" ] \
        && [ "$(grep -c '^{"program":"pi"' "$out")" = 1 ]; then
        pass "pi --checkpoint job (-n 2 -c 1), SIGUSR1 to its batch shell $LONG_SIGNAL: '$(grep -m 1 -o 'checkpoint saved.*% done' "$out")', requeued, resumed to the same bits, checkpoint removed (job $LONG_CHECKPOINT)"
    else
        fail "pi --checkpoint job ${LONG_CHECKPOINT:-not submitted}, SIGUSR1 $LONG_SIGNAL: saved lines ${saved:-0}, requeue lines ${requeued:-0}, result ${result:-none} (expected $expected), checkpoint $([ -e "$LONG_DIR/pi.ckpt" ] && echo left || echo removed); $(grep -v '% done, ' "$out" 2>/dev/null | tail -n 6 | cut -c1-200 | paste -sd '|' -)"
    fi

    # Ten parts, each saved by its own task, combined to the same bits; the parts removed after.
    local combine="$LONG_DIR/pi-combine-$LONG_COMBINE.out" task parts_saved=0
    for task in $(seq 0 9); do
        grep -q "^part $task/10 of pi saved to pi-$LONG_ARRAY.parts/part-$task-of-10$" \
            "$LONG_DIR/pi-array-${LONG_ARRAY}_$task.out" 2>/dev/null && parts_saved=$((parts_saved + 1))
    done
    json=$(long_json "$combine")
    result=$(long_field result "$json")
    if [ -n "$LONG_COMBINE" ] && [ "$parts_saved" = 10 ] && [ "$result" = "$expected" ] \
        && [ "$(long_field inside "$json")" = "$inside" ] && [ ! -e "$LONG_DIR/pi-$LONG_ARRAY.parts" ]; then
        pass "pi array job (--array=0-9, -n 1 -c 1 each) + combine job (afterok): 10 parts saved, combined to the same bits, parts removed (jobs $LONG_ARRAY, $LONG_COMBINE)"
    else
        fail "pi array job ${LONG_ARRAY:-not submitted} + combine job ${LONG_COMBINE:-not submitted}: ${LONG_ARRAY_PROBLEM:-}parts saved $parts_saved of 10, result ${result:-none} (expected $expected), parts folder $([ -e "$LONG_DIR/pi-$LONG_ARRAY.parts" ] && echo left || echo removed); combine: $(tail -n 4 "$combine" 2>/dev/null | cut -c1-200 | paste -sd '|' -)"
    fi
}
