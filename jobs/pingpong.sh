#!/usr/bin/env bash
# pingpong: latency and bandwidth between ranks 0 and 1.
# Submit from the project folder: sbatch jobs/pingpong.sh [program options]
#SBATCH -A hpc2nXXXX-YYY          # account: set your project here
#SBATCH -J pingpong               # job name
#SBATCH -n 2                      # tasks: MPI ranks
#SBATCH -c 1                      # CPUs per task: threads per rank (SLURM_CPUS_PER_TASK)
#SBATCH -t 00:05:00               # time limit
#SBATCH -o pingpong-%j.out        # output file (%j: the job id)
set -euo pipefail

PROGRAM=pingpong
# shellcheck source=jobs/launch.sh
source "${SLURM_SUBMIT_DIR:-.}/jobs/launch.sh"
