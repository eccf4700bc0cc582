#!/usr/bin/env bash
# Submits an array job, jobs/PROGRAM-array.sh, and the combine job (jobs/combine.sh) that waits for
# every one of its tasks to succeed (--dependency=afterok) and then prints the result. Run it from
# the project folder, like sbatch:
#   bash jobs/submit-array.sh PROGRAM [program options]
#   bash jobs/submit-array.sh [sbatch options for the array job --] PROGRAM [program options]
#   bash jobs/submit-array.sh pi --darts 1e12
#   bash jobs/submit-array.sh -n 8 -c 4 --array=0-19 -- primes --limit 1e12
# The combine job runs in the same folder (--chdir, if given) and is cancelled if a task fails
# (--kill-on-invalid-dep). Prints the two job ids, and where the result will be.
set -euo pipefail

usage() {
    echo "usage: bash jobs/submit-array.sh [sbatch options --] PROGRAM [program options]" >&2
    exit 2
}
sbatch_options=()
workdir=""
if [ "$#" -gt 0 ] && [ "${1#-}" != "$1" ]; then
    while [ "$#" -gt 0 ] && [ "$1" != -- ]; do
        case "$1" in
            --chdir=*) workdir="${1#--chdir=}" ;;
            -D|--chdir) [ "$#" -ge 2 ] || usage; workdir="$2"; sbatch_options+=("$1"); shift ;;
            -D*) workdir="${1#-D}" ;;
        esac
        sbatch_options+=("$1")
        shift
    done
    [ "$#" -gt 0 ] || usage
    shift
fi
if [ "$#" -lt 1 ] || [ "${1#-}" != "$1" ]; then usage; fi
PROGRAM="$1"
shift
if [ ! -f "jobs/${PROGRAM}-array.sh" ]; then
    echo "submit-array: no jobs/${PROGRAM}-array.sh in $(pwd) (run it from the project folder; array jobs: pi, primes)" >&2
    exit 2
fi

array=$(sbatch --parsable ${sbatch_options[@]+"${sbatch_options[@]}"} "jobs/${PROGRAM}-array.sh" "$@")
array="${array%%;*}"    # "id;cluster" where there are several clusters
combine=$(sbatch --parsable ${workdir:+--chdir="$workdir"} -J "${PROGRAM}-combine" -o "${PROGRAM}-combine-%j.out" \
    --dependency=afterok:"${array}" --kill-on-invalid-dep=yes jobs/combine.sh "${PROGRAM}" "${array}" "$@")
combine="${combine%%;*}"
echo "array job ${array}: jobs/${PROGRAM}-array.sh, parts in ${workdir:-.}/${PROGRAM}-${array}.parts/"
echo "combine job ${combine}: after every task succeeded; result in ${workdir:-.}/${PROGRAM}-combine-${combine}.out"
