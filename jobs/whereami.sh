#!/usr/bin/env bash
# whereami: where every rank and thread runs.
# Submit from the project folder: sbatch jobs/whereami.sh [program options]
#SBATCH -A hpc2nXXXX-YYY          # account: set your project here
#SBATCH -J whereami               # job name
#SBATCH -n 2                      # tasks: MPI ranks
#SBATCH -c 2                      # CPUs per task: threads per rank (SLURM_CPUS_PER_TASK)
#SBATCH -t 00:02:00               # time limit
#SBATCH -o whereami-%j.out        # output file (%j: the job id)
set -euo pipefail

PROGRAM=whereami
# shellcheck source=jobs/launch.sh
source "${SLURM_SUBMIT_DIR:-.}/jobs/launch.sh"
