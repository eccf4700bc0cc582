# Swift MPI programs: build, test, demo, bench, release.
# Launch settings live here, in one place; override on the command line: make demo NP=4

# --oversubscribe: more ranks than cores (the tests run 4 ranks on 2 cores).
# --mca odls_base_sigkill_timeout 0: when a rank exits non-zero (bad usage, an error), end the others
#   at once instead of Open MPI's default 1 s grace per signal (2.3 s for a one-rank usage error).
NP      ?= 2
MPIEXEC ?= mpiexec --oversubscribe --mca odls_base_sigkill_timeout 0
export MPIEXEC
PROGRAMS := whereami pingpong

SWIFT    ?= swift
RELEASE  := release
BINARIES := .build/release
BENCHBIN := .build/bench

# Open MPI refuses to run as root unless told; only then, and only for our own runs.
ifeq ($(shell id -u),0)
export OMPI_ALLOW_RUN_AS_ROOT := 1
export OMPI_ALLOW_RUN_AS_ROOT_CONFIRM := 1
endif

.PHONY: all deps build test demo bench release clean

all: build

deps:
	@bash scripts/install-deps.sh

# Optimised programs, with the Swift runtime linked statically.
build: deps
	@for program in $(PROGRAMS); do \
	    $(SWIFT) build -c release --static-swift-stdlib --product $$program || exit 1; done

# Unit tests in one process, then every program under real mpiexec at 1 to 4 ranks.
test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --no-parallel

# Every program at NP ranks with its defaults, then a summary.
demo: build
	@summary=""; status=0; for program in $(PROGRAMS); do \
	    echo "==> $(MPIEXEC) -n $(NP) $$program"; \
	    if $(MPIEXEC) -n $(NP) $(BINARIES)/$$program; then result=ok; else result=FAILED; status=1; fi; \
	    summary="$$summary  $$program: $$result\n"; echo; \
	done; \
	printf "summary (%s ranks):\n$$summary" "$(NP)"; exit $$status

# Swift against C references of the same algorithms, side by side in one run; prints Swift/C ratios.
bench: build
	@mkdir -p $(BENCHBIN)
	mpicc -O3 -Wall -Wextra -std=c11 bench/pingpong.c -o $(BENCHBIN)/pingpong-c
	python3 bench/compare.py --mpiexec "$(MPIEXEC)" --runs 7 pingpong \
	    --swift $(BINARIES)/pingpong --c $(BENCHBIN)/pingpong-c

# Programs copied to release/, checked to need no Swift runtime library (a cluster node may have no Swift).
release: build
	@mkdir -p $(RELEASE)
	@for program in $(PROGRAMS); do \
	    cp $(BINARIES)/$$program $(RELEASE)/; \
	    if ldd $(RELEASE)/$$program | grep -q 'libswift\|libFoundation\|libdispatch'; then \
	        echo "$$program links a Swift runtime library:"; ldd $(RELEASE)/$$program | grep swift; exit 1; fi; \
	done
	@echo "release/: $(PROGRAMS) (Swift runtime linked statically; needs Open MPI and hwloc on the node)"

clean:
	rm -rf .build $(RELEASE)
