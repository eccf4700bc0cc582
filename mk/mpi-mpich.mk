# MPI=mpich: Debian's MPICH 4.0 (ch4:ucx) and its Hydra mpiexec.
# Hydra runs any number of ranks on any number of cores and as root without options, and ends the
# other ranks at once when one exits non-zero: no launcher options.
# Expanded where used (=, not :=): on a fresh machine `deps` installs the package after make has
# read this file, and the suffixed names exist only from then on.
MPI_LAUNCHER  = $(or $(wildcard /usr/bin/mpiexec.mpich),mpiexec)
MPIEXEC      ?= $(MPI_LAUNCHER)
MPICC         = $(or $(wildcard /usr/bin/mpicc.mpich),mpicc)
MPI_DEBS     := libmpich-dev mpich
SCRATCH      := .build-mpich
STATIC       := .build-static-mpich
# What the binaries need, for the release message and the modulefile.
MPI_NEEDS    := MPICH 4.0 (Debian)
# Across the simulated hosts (make test MPI=mpich, scripts/multinode-test.sh): Hydra starts its
# proxies through the hosts' launch agent in place of ssh, on the hosts' one interface; "-f" takes
# the hostfile ("ADDRESS:SLOTS" lines). UCX finds the hosts over TCP by itself.
MULTINODE_MPIEXEC   = $(MPI_LAUNCHER) -launcher ssh -launcher-exec $(CURDIR)/scripts/multinode/agent -iface eth0 -f
MULTINODE_HOSTFILE := hydra
# What that checks (scripts/multinode-test.sh parts), and whether make test MPI=mpich runs it (CI).
MULTINODE_REDUCED_PARTS := mpi faults
MULTINODE_IN_TEST       := yes
