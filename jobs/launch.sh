# shellcheck shell=bash
# Shared by the job scripts (sourced, not run): toolchain modules where Lmod exists, then the launch.
# Set before sourcing: PROGRAM (the program's name). Program options come from the script's arguments.

# Versions of the cluster's modules (Kebnekaise names, the foss/2023a toolchain); ignored where
# there is no `ml` command. Override from the environment: GCC_VERSION=13.2.0 sbatch jobs/pi.sh
GCC_VERSION="${GCC_VERSION:-12.3.0}"
OPENMPI_VERSION="${OPENMPI_VERSION:-4.1.5}"

if command -v ml >/dev/null 2>&1; then
    set +u                      # Lmod's shell functions read unset variables
    ml purge >/dev/null 2>&1
    ml "GCC/${GCC_VERSION}" "OpenMPI/${OPENMPI_VERSION}"
    set -u
fi

# The binaries: release/ from `make release` (no Swift needed on the node), else `make build`'s folder.
BIN_DIR="${BIN_DIR:-${SLURM_SUBMIT_DIR:-.}/release}"
[ -x "${BIN_DIR}/${PROGRAM}" ] || BIN_DIR="${SLURM_SUBMIT_DIR:-.}/.build-static/release"
if [ ! -x "${BIN_DIR}/${PROGRAM}" ]; then
    echo "${PROGRAM}: no binary in ${SLURM_SUBMIT_DIR:-.}/release or .build-static/release: run make release" >&2
    exit 1
fi

# As root (a test cluster), Open MPI must be told it may run.
if [ "$(id -u)" -eq 0 ]; then
    export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
fi

# Threads come from SLURM_CPUS_PER_TASK (sbatch -c) through the program itself. srun gets the same
# -c again: since Slurm 22.05 it no longer takes it from the job, and would give each task one CPU.
# srun starts one task per rank (Debian's Open MPI speaks PMIx, not PMI-2); mpiexec where srun is
# absent, then without binding a rank to one core when its threads should have more.
if command -v srun >/dev/null 2>&1 && [ -n "${SLURM_JOB_ID:-}" ]; then
    srun --mpi=pmix ${SLURM_CPUS_PER_TASK:+--cpus-per-task="${SLURM_CPUS_PER_TASK}"} \
        "${BIN_DIR}/${PROGRAM}" "$@"
elif [ "${SLURM_CPUS_PER_TASK:-1}" -gt 1 ]; then
    mpiexec -n "${SLURM_NTASKS:-2}" --bind-to none "${BIN_DIR}/${PROGRAM}" "$@"
else
    mpiexec -n "${SLURM_NTASKS:-2}" "${BIN_DIR}/${PROGRAM}" "$@"
fi
