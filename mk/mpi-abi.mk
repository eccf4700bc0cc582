# MPI=abi: one binary against the MPI 5.0 standard ABI (mpi_abi.h, libmpi_abi.so.1), built with
# PyPI's mpich 5.0 in .mpi/abi/ and run unchanged by any library of that ABI: MPICH 5.0's (the default,
# through the binary's run path) or Intel MPI 2021.19's (make test-abi-intelmpi: LD_LIBRARY_PATH and
# Intel's Hydra). Hydra in both: no launcher options.
MPICH5_VERSION ?= 5.0.2
MPI_PYPI     := mpich==$(MPICH5_VERSION)
MPI_PREFIX   := $(CURDIR)/.mpi/abi
MPI_LAUNCHER := $(MPI_PREFIX)/bin/mpiexec
MPIEXEC      ?= $(MPI_LAUNCHER)
MPICC        := $(MPI_PREFIX)/bin/mpicc_abi
MPI_DEBS     :=
SCRATCH      := .build-abi
STATIC       := .build-static-abi
# What the binaries need, for the release message and the modulefile.
MPI_NEEDS    := a library of the MPI 5.0 standard ABI (MPICH 5.0, Intel MPI 2021.19)
