#!/usr/bin/env bash
# collatz: the longest Collatz chain below a limit, searched over ranks and threads.
# Submit from the project folder: sbatch jobs/collatz.sh [program options]
#SBATCH -A hpc2nXXXX-YYY          # account: set your project here
#SBATCH -J collatz                # job name
#SBATCH -n 4                      # tasks: MPI ranks
#SBATCH -c 2                      # CPUs per task: threads per rank (SLURM_CPUS_PER_TASK)
#SBATCH -t 00:10:00               # time limit
#SBATCH -o collatz-%j.out         # output file (%j: the job id)
set -euo pipefail

PROGRAM=collatz
# shellcheck source=jobs/launch.sh
source "${SLURM_SUBMIT_DIR:-.}/jobs/launch.sh"
