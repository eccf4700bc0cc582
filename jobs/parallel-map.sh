#!/usr/bin/env bash
# parallel-map: a function mapped over an array, the elements split over ranks and threads.
# Submit from the project folder: sbatch jobs/parallel-map.sh [program options]
#SBATCH -A hpc2nXXXX-YYY          # account: set your project here
#SBATCH -J parallel-map           # job name
#SBATCH -n 4                      # tasks: MPI ranks
#SBATCH -c 2                      # CPUs per task: threads per rank (SLURM_CPUS_PER_TASK)
#SBATCH -t 00:10:00               # time limit
#SBATCH -o parallel-map-%j.out    # output file (%j: the job id)
set -euo pipefail

PROGRAM=parallel-map
# shellcheck source=jobs/launch.sh
source "${SLURM_SUBMIT_DIR:-.}/jobs/launch.sh"
