#!/usr/bin/env bash
# scaling: strong- and weak-scaling sweep of one program inside this allocation (bench/scaling.py).
# Submit from the project folder, after `make release` (or `make build`):
#   sbatch jobs/scaling.sh PROGRAM [bench/scaling.py options]
#   sbatch jobs/scaling.sh pi --darts 1e9 --repeats 5
#   sbatch -n 8 -c 4 jobs/scaling.sh integrate2d --bins 8000
# Every shape R x T with R*T <= ntasks*cpus-per-task runs as `srun --mpi=pmix -n R -c T`.
# Results: bench/results/<program>-scaling-<host>-<date>.csv (+ .png when matplotlib is there).
#SBATCH -A hpc2nXXXX-YYY          # account: set your project here
#SBATCH -J scaling                # job name
#SBATCH -N 1                      # one node: the sweep measures scaling within a node
#SBATCH -n 4                      # tasks: the most MPI ranks of the sweep
#SBATCH -c 4                      # CPUs per task; max workers = n * c = 16
#SBATCH -t 00:30:00               # time limit: every shape runs --repeats times, twice (strong, weak)
#SBATCH -o scaling-%j.out         # output file (%j: the job id)
set -euo pipefail

# Versions of the cluster's modules (Kebnekaise names); ignored where there is no `ml` command.
GCC_VERSION="${GCC_VERSION:-12.3.0}"
OPENMPI_VERSION="${OPENMPI_VERSION:-4.1.5}"
PYTHON_VERSION="${PYTHON_VERSION:-3.11.3}"
# A matplotlib module for the plot, e.g. 3.7.2; empty: none (the plot then comes from .venv-scaling/
# if the project has one, else draw it later with bench/scaling.py --plot-only CSV).
MATPLOTLIB_VERSION="${MATPLOTLIB_VERSION:-}"

if [ "$#" -lt 1 ] || [ "${1#-}" != "$1" ]; then
    echo "usage: sbatch jobs/scaling.sh PROGRAM [bench/scaling.py options]" >&2
    exit 2
fi
PROGRAM="$1"
shift

if command -v ml >/dev/null 2>&1; then
    ml purge
    ml "GCC/${GCC_VERSION}" "OpenMPI/${OPENMPI_VERSION}" "Python/${PYTHON_VERSION}"
    if [ -n "${MATPLOTLIB_VERSION}" ]; then
        ml "matplotlib/${MATPLOTLIB_VERSION}"
    fi
fi

cd "${SLURM_SUBMIT_DIR:-.}"

# The binaries: release/ from `make release` (no Swift needed on the node), else the build folder.
BIN_DIR="${BIN_DIR:-release}"
[ -x "${BIN_DIR}/${PROGRAM}" ] || BIN_DIR=".build-static/release"

# As root (a test cluster), Open MPI must be told it may run.
if [ "$(id -u)" -eq 0 ]; then
    export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
fi

# The sweep needs only python3; the plot needs matplotlib (module, or the project's .venv-scaling/).
PYTHON=python3
if [ -x .venv-scaling/bin/python ] && .venv-scaling/bin/python -c 'import matplotlib' 2>/dev/null; then
    PYTHON=.venv-scaling/bin/python
fi
PLOT=()
if ! "${PYTHON}" -c 'import matplotlib' 2>/dev/null; then
    echo "no matplotlib: CSV only; plot it later with: python3 bench/scaling.py --plot-only CSV"
    PLOT=(--no-plot)
fi

echo "scaling ${PROGRAM} on $(hostname): ${SLURM_NTASKS:-?} tasks x ${SLURM_CPUS_PER_TASK:-?} CPUs, binaries in ${BIN_DIR}"
"${PYTHON}" bench/scaling.py --program "${PROGRAM}" --bin-dir "${BIN_DIR}" \
    --out-dir bench/results ${PLOT[@]+"${PLOT[@]}"} "$@"
