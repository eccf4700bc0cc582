#!/usr/bin/env bash
# primes-array: primes as a Slurm array job. Task I of 10 counts the primes in part I of the range
# (--part I/10) and saves them to primes-<array job id>.parts/; jobs/combine.sh then prints the
# result one run of the whole range prints. Submit both from the project folder (jobs/README.md,
# "Array jobs"):
#   bash jobs/submit-array.sh primes --limit 1e11
# or by hand, the combine job waiting for every task to succeed:
#   array=$(sbatch --parsable jobs/primes-array.sh --limit 1e11)
#   sbatch --dependency=afterok:$array jobs/combine.sh primes $array --limit 1e11
#SBATCH -A hpc2nXXXX-YYY          # account: set your project here
#SBATCH -J primes-array           # job name
#SBATCH --array=0-9               # 10 tasks, parts 0/10 to 9/10: each its own job of -n ranks x -c threads
#SBATCH -n 4                      # tasks: MPI ranks (of each array task)
#SBATCH -c 2                      # CPUs per task: threads per rank (SLURM_CPUS_PER_TASK)
#SBATCH -t 00:10:00               # time limit (of each array task)
#SBATCH -o primes-array-%A_%a.out # output file (%A: the array's job id, %a: the task)
set -euo pipefail

PROGRAM=primes
LAUNCH_ARRAY_PARTS=1
# shellcheck source=jobs/launch.sh
source "${SLURM_SUBMIT_DIR:-.}/jobs/launch.sh"
