#!/usr/bin/env bash
# euler: Euler's number e to many digits, the terms split over ranks and threads.
# Submit from the project folder: sbatch jobs/euler.sh [program options]
# Long runs: add --checkpoint FILE; the job then saves and requeues itself before its limit (jobs/README.md).
#SBATCH -A hpc2nXXXX-YYY          # account: set your project here
#SBATCH -J euler                  # job name
#SBATCH -n 4                      # tasks: MPI ranks
#SBATCH -c 2                      # CPUs per task: threads per rank (SLURM_CPUS_PER_TASK)
#SBATCH -t 00:10:00               # time limit
#SBATCH -o euler-%j.out           # output file (%j: the job id)
#SBATCH --signal=B:USR1@120       # SIGUSR1 120 s before the limit: with --checkpoint, save and requeue
#SBATCH --requeue                 # the job may be requeued (it resumes from its checkpoint)
#SBATCH --open-mode=append        # a requeued job adds to its output file instead of emptying it
set -euo pipefail

PROGRAM=euler
# shellcheck source=jobs/launch.sh
source "${SLURM_SUBMIT_DIR:-.}/jobs/launch.sh"
