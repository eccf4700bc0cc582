# Swift MPI programs: build, test, demo, bench, release.
# Launch settings live here, in one place; override on the command line: make demo NP=4

# --oversubscribe: more ranks than cores (the tests run 4 ranks on 2 cores).
# --mca odls_base_sigkill_timeout 0: when a rank exits non-zero (bad usage, an error), end the others
#   at once instead of Open MPI's default 1 s grace per signal (2.3 s for a one-rank usage error).
NP      ?= 2
MPIEXEC ?= mpiexec --oversubscribe --mca odls_base_sigkill_timeout 0
export MPIEXEC
PROGRAMS := whereami pingpong integrate2d pi parallel-map primes collatz euler

SWIFT    ?= swift
RELEASE  := release
# Static release builds get their own scratch folder, so a plain `swift build -c release` (dynamic
# runtime) never overwrites the binaries that `release` copies.
STATIC   := .build-static
BINARIES := $(STATIC)/release
BENCHBIN := .build/bench
# C references of the same algorithms, built with mpicc -O3 by `bench`.
BENCH_C  := pingpong integrate2d pi parallel_map primes_sieve primes_trial collatz euler_series

# Open MPI refuses to run as root unless told; only then, and only for our own runs.
ifeq ($(shell id -u),0)
export OMPI_ALLOW_RUN_AS_ROOT := 1
export OMPI_ALLOW_RUN_AS_ROOT_CONFIRM := 1
endif

.PHONY: all deps build test test-examples docs demo bench release clean

all: build

deps:
	@bash scripts/install-deps.sh

# Optimised programs, with the Swift runtime linked statically.
build: deps
	@for program in $(PROGRAMS); do \
	    $(SWIFT) build -c release --static-swift-stdlib --scratch-path $(STATIC) --product $$program || exit 1; done

# Unit tests in one process, every program under real mpiexec at 1 to 4 ranks, the downstream
# examples, then the release binaries and every job script under a real one-node Slurm (mk/slurm.mk).
test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --no-parallel
	$(MAKE) --no-print-directory test-examples
	$(MAKE) --no-print-directory test-slurm

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
	printf "summary (%s ranks):\n$$summary" "$(NP)"; exit $$status

# Swift against C references of the same algorithms, side by side in one run; prints Swift/C ratios.
# BENCH_RUNS runs of each binary, alternating; compute time of the slowest rank, medians.
BENCH_RUNS ?= 5
# The peers: Debian's primesieve, and mpmath with gmpy2 under Debian's own python3.
BENCH_PEERS := primesieve python3-mpmath python3-gmpy2
bench: build
	@bash scripts/install-deps.sh $(BENCH_PEERS)
	@mkdir -p $(BENCHBIN)
	@for c in $(BENCH_C); do \
	    mpicc -O3 -Wall -Wextra -std=c11 bench/$$c.c -o $(BENCHBIN)/$$(echo $$c | tr _ -)-c -lgmp -lm || exit 1; done
	python3 bench/compare.py --mpiexec "$(MPIEXEC)" --runs 7 pingpong \
	    --swift $(BINARIES)/pingpong --c $(BENCHBIN)/pingpong-c
	python3 bench/compare.py --mpiexec "$(MPIEXEC)" --runs $(BENCH_RUNS) integrate2d \
	    --swift $(BINARIES)/integrate2d --c $(BENCHBIN)/integrate2d-c --args "--bins 10000"
	python3 bench/compare.py --mpiexec "$(MPIEXEC)" --runs $(BENCH_RUNS) pi \
	    --swift $(BINARIES)/pi --c $(BENCHBIN)/pi-c --args "--darts 2e8"
	python3 bench/compare.py --mpiexec "$(MPIEXEC)" --runs $(BENCH_RUNS) parallel-map \
	    --swift $(BINARIES)/parallel-map --c $(BENCHBIN)/parallel-map-c --args "--size 1e8"
	python3 bench/compare.py --mpiexec "$(MPIEXEC)" --runs $(BENCH_RUNS) primes \
	    --swift $(BINARIES)/primes --c $(BENCHBIN)/primes-sieve-c --args "--limit 1e10"
	python3 bench/compare.py --mpiexec "$(MPIEXEC)" --runs $(BENCH_RUNS) primes \
	    --swift $(BINARIES)/primes --c $(BENCHBIN)/primes-trial-c --args "--limit 1e6 --method trial --schedule cyclic"
	python3 bench/compare.py --mpiexec "$(MPIEXEC)" --runs $(BENCH_RUNS) peer --name "primes to 10^10, primesieve -t1" \
	    --swift "$(BINARIES)/primes --limit 1e10 --threads 1" --peer "primesieve 1e10 -t1 --time" --bar 2.00
	python3 bench/compare.py --mpiexec "$(MPIEXEC)" --runs $(BENCH_RUNS) collatz \
	    --swift $(BINARIES)/collatz --c $(BENCHBIN)/collatz-c --args "--limit 1e7"
	python3 bench/compare.py --mpiexec "$(MPIEXEC)" --runs $(BENCH_RUNS) euler \
	    --swift $(BINARIES)/euler --c $(BENCHBIN)/euler-series-c --args "--method series --digits 1e6"
	python3 bench/compare.py --mpiexec "$(MPIEXEC)" --runs $(BENCH_RUNS) peer --name "e to 10^6 digits, mpmath+gmpy2" \
	    --swift "$(BINARIES)/euler --method series --digits 1e6 --threads 1" \
	    --peer "/usr/bin/python3 bench/peers/e_mpmath.py --digits 1000000" --bar 1.00

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
	@mkdir -p $(RELEASE)
	@for program in $(PROGRAMS); do \
	    if ldd $(BINARIES)/$$program | grep -q 'libswift\|libFoundation\|libdispatch\|libBlocksRuntime'; then \
	        echo "$$program links a Swift runtime library:"; ldd $(BINARIES)/$$program | grep swift; exit 1; fi; \
	    cp $(BINARIES)/$$program $(RELEASE)/; \
	done
	@echo "release/: $(PROGRAMS) (Swift runtime linked statically; needs Open MPI and hwloc on the node)"

clean:
	rm -rf .build $(STATIC) $(RELEASE) .build-docs Examples/.build

include mk/slurm.mk mk/scaling.mk
