# shellcheck shell=bash
# Shared by the job scripts (sourced, not run): toolchain modules where Lmod exists, then the launch.
# Set before sourcing: PROGRAM (the program's name). Program options come from the script's arguments.

# Versions of the cluster's modules (Kebnekaise names); ignored where there is no `ml` command.
GCC_VERSION="${GCC_VERSION:-12.3.0}"
OPENMPI_VERSION="${OPENMPI_VERSION:-4.1.5}"

if command -v ml >/dev/null 2>&1; then
    ml purge
    ml "GCC/${GCC_VERSION}" "OpenMPI/${OPENMPI_VERSION}"
fi

# The binaries: release/ from `make release` (no Swift needed on the node), else the build folder.
BIN_DIR="${BIN_DIR:-${SLURM_SUBMIT_DIR:-.}/release}"
[ -x "${BIN_DIR}/${PROGRAM}" ] || BIN_DIR="${SLURM_SUBMIT_DIR:-.}/.build/release"

# Threads come from SLURM_CPUS_PER_TASK through the program itself (-c on the sbatch line).
# As root (a test cluster), Open MPI must be told it may run.
if [ "$(id -u)" -eq 0 ]; then
    export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
fi

# srun starts one task per rank (Debian's Open MPI speaks PMIx, not PMI-2); mpiexec where srun is absent.
if command -v srun >/dev/null 2>&1 && [ -n "${SLURM_JOB_ID:-}" ]; then
    srun --mpi=pmix "${BIN_DIR}/${PROGRAM}" "$@"
else
    mpiexec -n "${SLURM_NTASKS:-2}" "${BIN_DIR}/${PROGRAM}" "$@"
fi
