#!/usr/bin/env bash
# euler: Euler's number e to many digits, the terms split over ranks and threads.
# Submit from the project folder: sbatch jobs/euler.sh [program options]
#SBATCH -A hpc2nXXXX-YYY          # account: set your project here
#SBATCH -J euler                  # job name
#SBATCH -n 4                      # tasks: MPI ranks
#SBATCH -c 2                      # CPUs per task: threads per rank (SLURM_CPUS_PER_TASK)
#SBATCH -t 00:10:00               # time limit
#SBATCH -o euler-%j.out           # output file (%j: the job id)
set -euo pipefail

PROGRAM=euler
# shellcheck source=jobs/launch.sh
source "${SLURM_SUBMIT_DIR:-.}/jobs/launch.sh"
