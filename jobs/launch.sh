# shellcheck shell=bash
# Shared by the job scripts (sourced, not run): toolchain modules where Lmod exists, then the launch.
# Set before sourcing: PROGRAM (the program's name). Program options come from the script's arguments.

# The MPI the binaries were built for (make release MPI=...; the installed module sets SWIFTMPI_MPI):
# openmpi or openmpi5 load the foss toolchain, intelmpi the intel one. Toolchain versions (Kebnekaise
# names) are ignored where there is no `ml` command. Override from the environment:
# MPI=intelmpi INTEL_VERSION=2023b sbatch jobs/pi.sh
MPI="${MPI:-${SWIFTMPI_MPI:-openmpi}}"
FOSS_VERSION="${FOSS_VERSION:-2023a}"       # GCC 12.3.0 + OpenMPI 4.1.5
FOSS5_VERSION="${FOSS5_VERSION:-2024a}"     # GCC 13.3.0 + OpenMPI 5.0.3
INTEL_VERSION="${INTEL_VERSION:-2023a}"     # intel-compilers 2023.1.0 + impi 2021.9.0

# A site without that toolchain module (another name, another version): a warning, and the modules
# already loaded stay as they are (no purge), rather than a job that fails before it starts.
if command -v ml >/dev/null 2>&1 && [ -z "${SWIFTMPI_KEEP_MODULES:-}" ]; then
    set +u                      # Lmod's shell functions read unset variables
    case "$MPI" in
        intelmpi) toolchain="intel/${INTEL_VERSION}" ;;
        openmpi5) toolchain="foss/${FOSS5_VERSION}" ;;
        *) toolchain="foss/${FOSS_VERSION}" ;;
    esac
    if ml is-avail "$toolchain" >/dev/null 2>&1; then
        installed="${SWIFTMPI_BIN:-}"   # the purge unloads this project's module too: loaded again below
        ml purge >/dev/null 2>&1
        ml "$toolchain"
        [ -n "$installed" ] && ml swift-mpi-programs/"$MPI" >/dev/null 2>&1
    else
        echo "${PROGRAM}: no module ${toolchain} here (set FOSS_VERSION, FOSS5_VERSION or INTEL_VERSION): running with the modules already loaded" >&2
    fi
    set -u
fi

# The binaries: the installed module's (SWIFTMPI_BIN), else release/ from `make release` (release-<MPI>/
# for another MPI; no Swift needed on the node), else `make build`'s folder.
release="release"; [ "$MPI" = openmpi ] || release="release-${MPI}"
static=".build-static"; [ "$MPI" = openmpi ] || static=".build-static-${MPI}"
BIN_DIR="${BIN_DIR:-${SWIFTMPI_BIN:-${SLURM_SUBMIT_DIR:-.}/${release}}}"
[ -x "${BIN_DIR}/${PROGRAM}" ] || BIN_DIR="${SLURM_SUBMIT_DIR:-.}/${static}/release"
if [ ! -x "${BIN_DIR}/${PROGRAM}" ]; then
    echo "${PROGRAM}: no binary in ${SLURM_SUBMIT_DIR:-.}/${release} or ${static}/release: run make release MPI=${MPI}" >&2
    exit 1
fi

# As root (a test cluster), Open MPI must be told it may run.
if [ "$(id -u)" -eq 0 ]; then
    export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
fi

# Threads come from SLURM_CPUS_PER_TASK (sbatch -c) through the program itself. srun gets the same
# -c again: since Slurm 22.05 it no longer takes it from the job, and would give each task one CPU.
# srun starts one task per rank, through the PMI the MPI speaks: PMIx for Open MPI (Debian's speaks
# no PMI-2), PMI-2 for the MPICH family (Intel MPI, MPICH); mpiexec where srun is absent, then without
# binding a rank to one core when its threads should have more.
case "$MPI" in openmpi|openmpi5) SRUN_MPI="${SRUN_MPI:-pmix}" ;; *) SRUN_MPI="${SRUN_MPI:-pmi2}" ;; esac
if command -v srun >/dev/null 2>&1 && [ -n "${SLURM_JOB_ID:-}" ]; then
    srun --mpi="${SRUN_MPI}" ${SLURM_CPUS_PER_TASK:+--cpus-per-task="${SLURM_CPUS_PER_TASK}"} \
        "${BIN_DIR}/${PROGRAM}" "$@"
elif [ "${SLURM_CPUS_PER_TASK:-1}" -gt 1 ]; then
    mpiexec -n "${SLURM_NTASKS:-2}" --bind-to none "${BIN_DIR}/${PROGRAM}" "$@"
else
    mpiexec -n "${SLURM_NTASKS:-2}" "${BIN_DIR}/${PROGRAM}" "$@"
fi
