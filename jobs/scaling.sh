#!/usr/bin/env bash
# scaling: strong- and weak-scaling sweep of one program inside this allocation (bench/scaling.py).
# Submit from the project folder, after `make release` (or `make build`):
#   sbatch jobs/scaling.sh PROGRAM [bench/scaling.py options]
#   sbatch jobs/scaling.sh pi --darts 1e9 --repeats 5
#   sbatch -n 8 -c 4 jobs/scaling.sh integrate2d --bins 8000
# Every shape R x T with R*T <= ntasks*cpus-per-task runs as `srun --mpi=<the MPI's PMI> -n R -c T`.
# The toolchain modules, the binaries' folder and the PMI come from jobs/launch.sh, as for every job.
# Results: bench/results/<program>-scaling-<host>-<date>.csv (+ .png when matplotlib is there).
#SBATCH -A hpc2nXXXX-YYY          # account: set your project here
#SBATCH -J scaling                # job name
#SBATCH -N 1                      # one node: the sweep measures scaling within a node
#SBATCH -n 4                      # tasks: the most MPI ranks of the sweep
#SBATCH -c 4                      # CPUs per task; max workers = n * c = 16
#SBATCH -t 00:30:00               # time limit: every shape runs --repeats times, twice (strong, weak)
#SBATCH -o scaling-%j.out         # output file (%j: the job id)
# shellcheck disable=SC2317  # launch.sh ends in `exit`, but LAUNCH_SETUP_ONLY returns before it
set -euo pipefail

# Python for the sweep, and a matplotlib module for the plot, e.g. 3.7.2 (Kebnekaise names; ignored
# where there is no `ml` command). Empty MATPLOTLIB_VERSION: none (the plot then comes from
# .venv-scaling/ if the project has one, else draw it later with bench/scaling.py --plot-only CSV).
PYTHON_VERSION="${PYTHON_VERSION:-3.11.3}"
MATPLOTLIB_VERSION="${MATPLOTLIB_VERSION:-}"

if [ "$#" -lt 1 ] || [ "${1#-}" != "$1" ]; then
    echo "usage: sbatch jobs/scaling.sh PROGRAM [bench/scaling.py options]" >&2
    exit 2
fi
PROGRAM="$1"
shift

cd "${SLURM_SUBMIT_DIR:-.}"
LAUNCH_SETUP_ONLY=1
# shellcheck source=jobs/launch.sh
source jobs/launch.sh
export SRUN_MPI

if command -v ml >/dev/null 2>&1; then
    set +u                      # Lmod's shell functions read unset variables
    ml "Python/${PYTHON_VERSION}" || echo "scaling: no module Python/${PYTHON_VERSION}: the python3 on PATH runs the sweep" >&2
    if [ -n "${MATPLOTLIB_VERSION}" ]; then ml "matplotlib/${MATPLOTLIB_VERSION}" || true; fi
    set -u
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
