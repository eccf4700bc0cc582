# MPI=intelmpi: Intel MPI 2021 from PyPI's impi-devel (headers, wrappers) and impi-rt (libraries, Hydra),
# in .mpi/intelmpi/ (scripts/install-mpi.sh writes the pkg-config file Intel does not ship).
# Hydra, as MPICH's: any number of ranks, root allowed, no options. I_MPI_FABRICS=shm keeps a one-node
# run off libfabric's network providers.
IMPI_VERSION ?= 2021.19.0
MPI_PYPI     := impi-devel==$(IMPI_VERSION) impi-rt==$(IMPI_VERSION)
MPI_PREFIX   := $(CURDIR)/.mpi/intelmpi
MPI_LAUNCHER := $(MPI_PREFIX)/bin/mpiexec
MPIEXEC      ?= $(MPI_LAUNCHER)
# Intel's compiler wrapper finds its headers and libraries through I_MPI_ROOT, which the wheels do not set.
MPICC        := I_MPI_ROOT=$(MPI_PREFIX) $(MPI_PREFIX)/bin/mpicc
MPI_DEBS     :=
SCRATCH      := .build-intelmpi
STATIC       := .build-static-intelmpi
# What the binaries need, for the release message and the modulefile.
MPI_NEEDS    := Intel MPI 2021 (PyPI's impi-rt; the intel toolchain's impi)
# Across the simulated hosts (make test MPI=intelmpi, scripts/multinode-test.sh): Intel's Hydra
# spells MPICH's -launcher as -bootstrap, and takes "ADDRESS:SLOTS" only from a -machinefile (under -f it
# fills the first host's cores first). The wheels bring no libfabric: Intel MPI loads Debian's (1.17),
# whose default tcp;ofi_rxm provider hangs layer-check across the hosts (every rank in MPI_Sendrecv),
# so the ranks get its sockets provider (-genv FI_PROVIDER sockets), which passes.
MULTINODE_MPIEXEC  := $(MPI_LAUNCHER) -bootstrap ssh -bootstrap-exec $(CURDIR)/scripts/multinode/agent -iface eth0 \
    -genv FI_PROVIDER sockets -machinefile
MULTINODE_HOSTFILE := hydra
# What that checks; not in make test (CI): Intel MPI takes 2-10 s to start each job across the hosts.
MULTINODE_REDUCED_PARTS := mpi faults
MULTINODE_IN_TEST       :=
