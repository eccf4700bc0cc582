# MPI=openmpi: Debian's Open MPI 4.1 (the default), or the `foss` toolchain's OpenMPI module.
# Launcher options in one place; the Makefile reads MPIEXEC, MPICC, MPI_DEBS and the scratch folders.
#
# --oversubscribe: more ranks than cores (the tests run 4 ranks on 2 cores).
# --mca odls_base_sigkill_timeout 0: when a rank exits non-zero (bad usage, an error), end the others
#   at once instead of Open MPI's default 1 s grace per signal (2.3 s for a one-rank usage error).
# Debian's suffixed names where they exist (MPICH may be installed beside it), else the module's.
# Expanded where used (=, not :=): on a fresh machine `deps` installs the package after make has
# read this file, and the suffixed names exist only from then on.
MPI_LAUNCHER  = $(or $(wildcard /usr/bin/mpiexec.openmpi),mpiexec)
MPIEXEC      ?= $(MPI_LAUNCHER) --oversubscribe --mca odls_base_sigkill_timeout 0
MPICC         = $(or $(wildcard /usr/bin/mpicc.openmpi),mpicc)
MPI_DEBS     := libopenmpi-dev openmpi-bin
# The default keeps the folders it always had.
SCRATCH      := .build
STATIC       := .build-static
# Open MPI refuses to run as root unless told; only then, and only for our own runs.
ifeq ($(shell id -u),0)
export OMPI_ALLOW_RUN_AS_ROOT := 1
export OMPI_ALLOW_RUN_AS_ROOT_CONFIRM := 1
endif
# What the binaries need, for the release message and the modulefile.
MPI_NEEDS    := Open MPI 4.1 (Debian; the foss toolchain's OpenMPI)
# Across the simulated hosts: scripts/multinode/hosts.sh's MN_MPI_ARGS (make test-multinode, the
# default set; also with-hosts.sh, scaling and bench-multinode), so nothing here.
MULTINODE_MPIEXEC  :=
MULTINODE_HOSTFILE := openmpi
MULTINODE_REDUCED_PARTS := mpi faults
MULTINODE_IN_TEST       :=
