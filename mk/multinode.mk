# Every program across hosts, on a simulated cluster on this machine. Included from the Makefile
# (it provides `build`, `release`, PROGRAMS, BINARIES and the root settings of Open MPI). The job
# scripts take release/ first, so the test refreshes it.
#
#   make test-multinode    # three hosts (network namespaces on one bridge, 10.213.7.0/24, no
#                          # route out): every program at np 3 and 6 against one host, whereami,
#                          # the dynamic schedule, faults across hosts (a killed rank, a lost host,
#                          # a thrown error), then a Slurm with one slurmd per host and every
#                          # jobs/ script under sbatch -N; torn down after (scripts/multinode-test.sh)
#   make test-multinode-reduced MPI=<name>   # after make test MPI=<name> (which runs it where
#                          # mk/mpi-<name>.mk says MULTINODE_IN_TEST): with the test build's binaries,
#                          # every program's same bits at np 3 (one rank per host) and the faults
#                          # (MULTINODE_REDUCED_PARTS), launched with MULTINODE_MPIEXEC
#   make bench-multinode   # across two hosts: static vs dynamic schedules, pingpong against the
#                          # C reference at the same placement (a benchmark, not a timed test)
#
# Both need root (namespaces, munged, slurmd). MULTINODE_PARTS="mpi faults slurm" picks parts of
# the test; MULTINODE_KEEP=1 keeps its folder. scripts/multinode/hosts.sh has the hosts (MN_SUBNET
# changes the /24), scripts/multinode/agent is Open MPI's launch agent for them.

.PHONY: test-multinode test-multinode-reduced bench-multinode layer-check

# layer-check is a test program, not one of PROGRAMS: built here, into the same folder.
layer-check: build
	@$(SWIFT) build -c release --static-swift-stdlib --scratch-path $(STATIC) --product layer-check

test-multinode: release layer-check
	@BIN_DIR=$(BINARIES) bash scripts/multinode-test.sh

# After `make test MPI=<name>` built $(SCRATCH)/debug: its binaries across the hosts under that MPI.
test-multinode-reduced:
	@BIN_DIR=$(SCRATCH)/debug MULTINODE_PARTS="$(MULTINODE_REDUCED_PARTS)" MULTINODE_NPS=3 MN_MPIEXEC="$(MULTINODE_MPIEXEC)" \
	    MN_HOSTFILE_STYLE=$(MULTINODE_HOSTFILE) bash scripts/multinode-test.sh

$(BENCHBIN)/pingpong-c: bench/pingpong.c bench/common.h
	@mkdir -p $(BENCHBIN)
	$(MPICC) -O3 -Wall -Wextra -std=c11 bench/pingpong.c -o $@ -lgmp -lm

bench-multinode: build $(BENCHBIN)/pingpong-c
	@BIN_DIR=$(BINARIES) PINGPONG_C=$(BENCHBIN)/pingpong-c bash scripts/multinode-bench.sh
