#!/usr/bin/env bash
# combine: the result of an array job (jobs/<program>-array.sh) from the parts its tasks saved:
# `<program> --combine <the parts>` with the array's program options, on one rank. It prints what
# one run of the whole job prints, to the last bit, then removes the parts (KEEP_PARTS=1 keeps them).
# A missing part, one given twice, or one of another job is refused (exit 2), naming it.
# Submit it from the project folder to wait for the array job (jobs/submit-array.sh does both):
#   sbatch --dependency=afterok:ARRAY_JOB_ID jobs/combine.sh PROGRAM ARRAY_JOB_ID [the array's program options]
# The parts are in PROGRAM-ARRAY_JOB_ID.parts/ of the job's folder (ARRAY_PARTS_DIR: another folder).
#SBATCH -A hpc2nXXXX-YYY          # account: set your project here
#SBATCH -J combine                # job name
#SBATCH -n 1                      # tasks: one rank reads and merges the parts
#SBATCH -c 1                      # CPUs per task
#SBATCH -t 00:05:00               # time limit
#SBATCH -o combine-%j.out         # output file (%j: the job id)
set -euo pipefail

if [ "$#" -lt 2 ] || [ "${1#-}" != "$1" ] || [ "${2#-}" != "$2" ]; then
    echo "usage: sbatch --dependency=afterok:ARRAY_JOB_ID jobs/combine.sh PROGRAM ARRAY_JOB_ID [program options]" >&2
    exit 2
fi
PROGRAM="$1"
ARRAY_JOB_ID="$2"
shift 2
ARRAY_PARTS_DIR="${ARRAY_PARTS_DIR:-${PROGRAM}-${ARRAY_JOB_ID}.parts}"
parts=("${ARRAY_PARTS_DIR}"/part-*-of-*)
if [ ! -e "${parts[0]}" ]; then
    echo "combine: no parts in ${ARRAY_PARTS_DIR}/ (from jobs/${PROGRAM}-array.sh, job ${ARRAY_JOB_ID}, run in $(pwd))" >&2
    exit 2
fi
set -- "$@" --combine "${parts[@]}"
LAUNCH_REMOVE_PARTS="${ARRAY_PARTS_DIR}"
# shellcheck source=jobs/launch.sh
source "${SLURM_SUBMIT_DIR:-.}/jobs/launch.sh"
