# MPI=intelmpi: Intel MPI 2021 from PyPI's impi-devel (headers, wrappers) and impi-rt (libraries, Hydra),
# in .mpi/intelmpi/ (scripts/install-mpi.sh writes the pkg-config file Intel does not ship).
# Hydra, as MPICH's: any number of ranks, root allowed, no options. I_MPI_FABRICS=shm keeps a one-node
# run off libfabric's network providers.
IMPI_VERSION ?= 2021.19.0
MPI_PYPI     := impi-devel==$(IMPI_VERSION) impi-rt==$(IMPI_VERSION)
MPI_PREFIX   := $(CURDIR)/.mpi/intelmpi
MPI_LAUNCHER := $(MPI_PREFIX)/bin/mpiexec
MPIEXEC      ?= $(MPI_LAUNCHER)
MPICC        := $(MPI_PREFIX)/bin/mpicc
MPI_DEBS     :=
SCRATCH      := .build-intelmpi
STATIC       := .build-static-intelmpi
# What the binaries need, for the release message and the modulefile.
MPI_NEEDS    := Intel MPI 2021 (PyPI's impi-rt; the intel toolchain's impi)
