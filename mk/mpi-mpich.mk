# MPI=mpich: Debian's MPICH 4.0 (ch4:ucx) and its Hydra mpiexec.
# Hydra runs any number of ranks on any number of cores and as root without options, and ends the
# other ranks at once when one exits non-zero: no launcher options.
MPI_LAUNCHER := $(or $(wildcard /usr/bin/mpiexec.mpich),mpiexec)
MPIEXEC      ?= $(MPI_LAUNCHER)
MPICC        := $(or $(wildcard /usr/bin/mpicc.mpich),mpicc)
MPI_DEBS     := libmpich-dev mpich
SCRATCH      := .build-mpich
STATIC       := .build-static-mpich
# What the binaries need, for the release message and the modulefile.
MPI_NEEDS    := MPICH 4.0 (Debian)
