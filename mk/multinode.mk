# Every program across hosts, on a simulated cluster on this machine. Included from the Makefile
# (it provides `build`, `release`, PROGRAMS, BINARIES and the root settings of Open MPI). The job
# scripts take release/ first, so the test refreshes it.
#
#   make test-multinode    # three hosts (network namespaces on one bridge, 10.213.7.0/24, no
#                          # route out): every program at np 3 and 6 against one host, whereami,
#                          # the dynamic schedule, faults across hosts (a killed rank, a lost host,
#                          # a thrown error), then a Slurm with one slurmd per host and every
#                          # jobs/ script under sbatch -N; torn down after (scripts/multinode-test.sh)
#   make bench-multinode   # across two hosts: static vs dynamic schedules, pingpong against the
#                          # C reference at the same placement (a benchmark, not a timed test)
#
# Both need root (namespaces, munged, slurmd). MULTINODE_PARTS="mpi faults slurm" picks parts of
# the test; MULTINODE_KEEP=1 keeps its folder. scripts/multinode/hosts.sh has the hosts (MN_SUBNET
# changes the /24), scripts/multinode/agent is Open MPI's launch agent for them.

.PHONY: test-multinode bench-multinode layer-check

# layer-check is a test program, not one of PROGRAMS: built here, into the same folder.
layer-check: build
	@$(SWIFT) build -c release --static-swift-stdlib --scratch-path $(STATIC) --product layer-check

test-multinode: release layer-check
	@bash scripts/multinode-test.sh

$(BENCHBIN)/pingpong-c: bench/pingpong.c bench/common.h
	@mkdir -p $(BENCHBIN)
	$(MPICC) -O3 -Wall -Wextra -std=c11 bench/pingpong.c -o $@ -lgmp -lm

bench-multinode: build $(BENCHBIN)/pingpong-c
	@BIN_DIR=$(BINARIES) PINGPONG_C=$(BENCHBIN)/pingpong-c bash scripts/multinode-bench.sh
