#!/usr/bin/env bash
# Prints the Lmod modulefile of an install (make install): PATH, the MPI the binaries need, and the
# variables jobs/launch.sh reads (SWIFTMPI_BIN, SWIFTMPI_MPI).
# Usage: scripts/modulefile.sh <prefix> <mpi name> <what the binaries need>
set -euo pipefail
prefix="$1"; mpi="$2"; needs="$3"
programs=$(bash "$(dirname "$0")/programs.sh" | paste -sd , - | sed 's/,/, /g')
case "$mpi" in
    openmpi|openmpi5) toolchain="foss (GCC + OpenMPI)"; launch="srun --mpi=pmix, or Open MPI's mpiexec" ;;
    intelmpi) toolchain="intel (Intel compilers + impi)"; launch="srun --mpi=pmi2, or Intel MPI's mpiexec" ;;
    mpich) toolchain="an MPICH module (or any MPICH-ABI MPI: Cray MPICH, MVAPICH)"; launch="srun --mpi=pmi2, or Hydra's mpiexec" ;;
    *) toolchain="an MPI with the MPI 5.0 standard ABI (libmpi_abi.so)"; launch="that MPI's mpiexec" ;;
esac
cat <<LUA
-- Swift MPI programs (${programs}),
-- built for MPI=${mpi}. Written by make install.
help([[
Swift MPI programs, built against ${needs}.
Load the matching MPI first: ${toolchain}. Run with ${launch},
or submit a job script from ${prefix}/jobs (sbatch ${prefix}/jobs/pi.sh).
]])
whatis("Name: swift-mpi-programs")
whatis("Description: MPI-native SPMD programs in Swift")
whatis("MPI: ${needs}")
whatis("Toolchain: ${toolchain}")
prepend_path("PATH", "${prefix}/bin")
setenv("SWIFTMPI_BIN", "${prefix}/bin")
setenv("SWIFTMPI_JOBS", "${prefix}/jobs")
setenv("SWIFTMPI_MPI", "${mpi}")
if mode() == "load" then
    LmodMessage("swift-mpi-programs: the binaries need ${needs}; load ${toolchain} too")
end
LUA
