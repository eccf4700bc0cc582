# shellcheck shell=bash
# Job submission for the Slurm tests (sourced, not run): scripts/slurm-test.sh on one node,
# scripts/multinode-test.sh on simulated hosts. Needs scripts/slurm/cluster.sh (slurm_client: the
# cluster's client commands run where they reach it) and OUT_DIR, the folder jobs run in.

# submit PROGRAM [sbatch options] -- [program options]: `sbatch --wait` of jobs/PROGRAM.sh from the
# project folder (jobs find release/ through SLURM_SUBMIT_DIR); the job runs in OUT_DIR, where the
# script's own `-o PROGRAM-%j.out` puts its output. Sets JOB_ID, JOB_RC, JOB_STATE, JOB_OUTPUT.
submit() {
    local program=$1; shift
    local sbatch_options=()
    while [ $# -gt 0 ] && [ "$1" != -- ]; do sbatch_options+=("$1"); shift; done
    [ $# -eq 0 ] || shift
    local reply
    JOB_RC=0
    reply=$(slurm_client timeout 90 sbatch --wait --parsable --chdir="$OUT_DIR" "${sbatch_options[@]}" \
        "jobs/$program.sh" "$@" 2>&1) || JOB_RC=$?
    JOB_ID=$(grep -Eo '^[0-9]+' <<<"$reply" | head -n 1 || true)
    JOB_STATE="unknown"
    JOB_OUTPUT=""
    if [ -z "$JOB_ID" ]; then
        JOB_STATE="not submitted: $reply"
        return
    fi
    # The record stays MinJobAge (5 s) after the end; sbatch --wait notices the end within 2 s.
    local record
    if record=$(slurm_client scontrol -o show job "$JOB_ID" 2>/dev/null); then
        JOB_STATE="$(grep -Eo 'JobState=[A-Z_]+' <<<"$record" | cut -d= -f2) exit $(grep -Eo ' ExitCode=[0-9:]+' <<<"$record" | cut -d= -f2)"
    fi
    [ "$JOB_RC" -ne 124 ] || JOB_STATE="$JOB_STATE, sbatch --wait timed out"
    local file="$OUT_DIR/$program-$JOB_ID.out"
    if [ -f "$file" ]; then JOB_OUTPUT=$(cat "$file"); else JOB_STATE="$JOB_STATE, no $file"; fi
}

# The job ended COMPLETED with exit 0 (sbatch --wait's status is the job's exit code).
job_ok() {
    [ "$JOB_RC" -eq 0 ] && [[ "$JOB_STATE" == "COMPLETED exit 0:0" || "$JOB_STATE" == unknown ]]
}

# The program's JSON line (rank 0's report).
json_line() {
    grep -E "^\{\"program\":\"$1\"" <<<"$JOB_OUTPUT" | head -n 1 || true
}

# What went wrong with the last job, for a FAIL line.
job_problem() {
    echo "job ${JOB_ID:-none}: sbatch rc $JOB_RC, $JOB_STATE; output: $(tail -n 5 <<<"$JOB_OUTPUT" | cut -c1-300 | paste -sd "|" -)"
}

