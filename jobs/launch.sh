# shellcheck shell=bash
# Shared by the job scripts (sourced, not run): toolchain modules where Lmod exists, then the launch.
# Set before sourcing: PROGRAM (the program's name). Program options come from the script's arguments.
# LAUNCH_SETUP_ONLY=1 (jobs/scaling.sh): the modules, BIN_DIR, SRUN_MPI and LAUNCHER only, no launch.

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
    LAUNCHER=(srun --mpi="${SRUN_MPI}" ${SLURM_CPUS_PER_TASK:+--cpus-per-task="${SLURM_CPUS_PER_TASK}"})
elif [ "${SLURM_CPUS_PER_TASK:-1}" -gt 1 ]; then
    LAUNCHER=(mpiexec -n "${SLURM_NTASKS:-2}" --bind-to none)
else
    LAUNCHER=(mpiexec -n "${SLURM_NTASKS:-2}")
fi
# shellcheck disable=SC2317  # launch.sh is sourced: return ends the sourcing, not the script
if [ -n "${LAUNCH_SETUP_ONLY:-}" ]; then return 0; fi

# Array jobs (jobs/<program>-array.sh sets LAUNCH_ARRAY_PARTS=1): task I of `sbatch --array=0-<N-1>`
# does part I of N of the work (`--part I/N`) and saves it (`--save`) to ARRAY_PARTS_DIR/part-I-of-N,
# by default <program>-<array job id>.parts/ in the job's folder, where jobs/combine.sh finds them.
# One task again (it failed): ARRAY_PARTS=N ARRAY_PARTS_DIR=<its folder> sbatch --array=I <script> ...
if [ -n "${LAUNCH_ARRAY_PARTS:-}" ]; then
    if [ -z "${SLURM_ARRAY_TASK_ID:-}" ]; then
        echo "${PROGRAM}-array: not a task of an array job: submit it with sbatch (jobs/README.md)" >&2
        exit 2
    fi
    if [ -z "${ARRAY_PARTS:-}" ]; then
        ARRAY_PARTS="${SLURM_ARRAY_TASK_COUNT}"
        if [ "${SLURM_ARRAY_TASK_MIN:-0}" -ne 0 ] || [ "${SLURM_ARRAY_TASK_MAX:-0}" -ne $((ARRAY_PARTS - 1)) ]; then
            echo "${PROGRAM}-array: --array must be 0-<N-1>, one task per part (got ${ARRAY_PARTS} tasks from ${SLURM_ARRAY_TASK_MIN:-?} to ${SLURM_ARRAY_TASK_MAX:-?}); to run some tasks again, set ARRAY_PARTS=N and ARRAY_PARTS_DIR" >&2
            exit 2
        fi
    fi
    for argument in "$@"; do
        case "$argument" in
            --part|--part=*|--save|--save=*)
                echo "${PROGRAM}-array: no ${argument%%=*} for an array job: each task is given its own --part and --save" >&2
                exit 2 ;;
            --checkpoint|--checkpoint=*)
                echo "${PROGRAM}-array: no --checkpoint for an array job: its tasks would share the file (make the parts smaller instead)" >&2
                exit 2 ;;
        esac
    done
    ARRAY_PARTS_DIR="${ARRAY_PARTS_DIR:-${PROGRAM}-${SLURM_ARRAY_JOB_ID}.parts}"
    mkdir -p "${ARRAY_PARTS_DIR}"
    set -- "$@" --part "${SLURM_ARRAY_TASK_ID}/${ARRAY_PARTS}" --save "${ARRAY_PARTS_DIR}/part-${SLURM_ARRAY_TASK_ID}-of-${ARRAY_PARTS}"
fi

# Checkpoint and requeue (jobs/README.md, "Long jobs"). With --checkpoint FILE among the program's
# options, the program saves its state and stops with exit status 75 on SIGUSR1; a script with
# `#SBATCH --signal=B:USR1@120` gets that signal, in this shell only, 120 s before its time limit.
# So the program runs in the background and this shell waits for it: bash runs a trap only between
# commands, and `wait` returns as soon as a trapped signal arrives. The trap passes SIGUSR1 on to
# srun (or mpiexec), which passes it to every rank; the program then exits 75, and the job is
# requeued (`scontrol requeue`, which keeps its id and, with `--open-mode=append`, its output file):
# it runs the same command again, which resumes from FILE. Without --checkpoint, a SIGUSR1 is
# noted and the run goes on to its limit, as it would without the trap.
# A program that stops with 75 for any other reason (the first SIGTERM of an `scancel` or of the
# time limit itself) has saved too, but is not requeued: run the same command again to resume.
# MAX_REQUEUES (default 20) bounds the requeues of one job, against a --signal time longer than -t.
CHECKPOINT_GIVEN=""
for argument in "$@"; do
    case "$argument" in --checkpoint|--checkpoint=*) CHECKPOINT_GIVEN=1 ;; esac
done
USR1_SEEN=""         # since the last wait
USR1_FORWARDED=""    # ever, in this run of the script
PROGRAM_PID=""
# shellcheck disable=SC2317  # run by the trap
forward_usr1() {
    USR1_SEEN=1
    if [ -n "$CHECKPOINT_GIVEN" ]; then
        echo "${PROGRAM}: SIGUSR1 (the time limit is near): the program saves its checkpoint and stops" >&2
        USR1_FORWARDED=1
        [ -z "$PROGRAM_PID" ] || kill -USR1 "$PROGRAM_PID" 2>/dev/null || true
    else
        echo "${PROGRAM}: SIGUSR1 (the time limit is near), but no --checkpoint FILE: the run goes on" >&2
    fi
}
trap forward_usr1 USR1

"${LAUNCHER[@]}" "${BIN_DIR}/${PROGRAM}" "$@" &
PROGRAM_PID=$!
while :; do
    USR1_SEEN=""
    PROGRAM_STATUS=0
    wait "$PROGRAM_PID" || PROGRAM_STATUS=$?
    # A wait cut short by the trap (128 + SIGUSR1) while the program still runs: wait again.
    if [ -z "$USR1_SEEN" ] || [ "$PROGRAM_STATUS" -ne 138 ]; then break; fi
done
trap '' USR1    # a SIGUSR1 from now on, as the program ends, must not end this script

if [ "$PROGRAM_STATUS" -eq 75 ] && [ -n "$USR1_FORWARDED" ] && [ -n "${SLURM_JOB_ID:-}" ] \
    && command -v scontrol >/dev/null 2>&1; then
    restarts="${SLURM_RESTART_COUNT:-0}"
    if [ "$restarts" -ge "${MAX_REQUEUES:-20}" ]; then
        echo "${PROGRAM}: not requeued: job ${SLURM_JOB_ID} has been requeued ${restarts} times (MAX_REQUEUES); submit the same command again to resume" >&2
    else
        # Slurm ends this script once the job is requeued.
        echo "${PROGRAM}: requeueing job ${SLURM_JOB_ID} (restart $((restarts + 1))): it resumes from its checkpoint when it starts again" >&2
        scontrol requeue "${SLURM_JOB_ID}" && exit 0
        echo "${PROGRAM}: scontrol requeue ${SLURM_JOB_ID} failed: submit the same command again to resume" >&2
    fi
fi
# The combine job (jobs/combine.sh) removes the parts once their result is out, unless KEEP_PARTS=1.
if [ "$PROGRAM_STATUS" -eq 0 ] && [ -n "${LAUNCH_REMOVE_PARTS:-}" ] && [ "${KEEP_PARTS:-0}" != 1 ]; then
    rm -rf -- "${LAUNCH_REMOVE_PARTS}"
fi
exit "$PROGRAM_STATUS"
