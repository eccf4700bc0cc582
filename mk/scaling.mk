# Strong- and weak-scaling sweep of one program: CSV, text table and PNG in bench/results/.
# Included from the Makefile (it provides `build`, MPIEXEC and the root settings of Open MPI).
#
#   make scaling PROGRAM=pi
#   make scaling PROGRAM=integrate2d SCALING_ARGS="--max-workers 4 --repeats 5 --bins 3000"
#
# PROGRAM       the program to sweep (required)
# SCALING_ARGS  more options for bench/scaling.py (python3 bench/scaling.py --help lists them)
# SCALING_HOSTS N: the sweep over 1, 2, ... N simulated hosts (network namespaces on this machine,
#               scripts/multinode/with-hosts.sh; needs root), one rank per host (--ranks-per-host
#               in SCALING_ARGS for more), e.g. make scaling PROGRAM=pi SCALING_HOSTS=3
#               SCALING_ARGS="--strong-shapes none --darts 2e7". All hosts share this machine's
#               CPUs: it shows the launch and the traffic across hosts, not more compute.
# The sweep itself needs only python3; matplotlib for the plot goes into a virtual environment,
# $(SCALING_VENV), created on first use.

SCALING_VENV   ?= .venv-scaling
SCALING_PYTHON ?= python3
SCALING_ARGS   ?=
SCALING_HOSTS  ?=
SCALING_STAMP  := $(SCALING_VENV)/.matplotlib-installed

.PHONY: scaling

# Checked before anything is built, and only when `scaling` is asked for.
ifneq ($(filter scaling,$(MAKECMDGOALS)),)
ifeq ($(strip $(PROGRAM)),)
$(error make scaling needs PROGRAM, e.g. `make scaling PROGRAM=pi` (programs: $(filter-out pingpong,$(PROGRAMS))))
endif
endif

ifeq ($(strip $(SCALING_HOSTS)),)
scaling: build $(SCALING_STAMP)
	$(SCALING_VENV)/bin/python bench/scaling.py --program $(PROGRAM) \
	    --bin-dir $(or $(BINARIES),.build/release) --mpiexec "$(MPIEXEC)" $(SCALING_ARGS)
else
scaling: build $(SCALING_STAMP)
	bash scripts/multinode/with-hosts.sh $(SCALING_HOSTS) sh -c '$(SCALING_VENV)/bin/python bench/scaling.py \
	    --program $(PROGRAM) --bin-dir $(or $(BINARIES),.build/release) --mpiexec "$$MN_MPIEXEC" \
	    --hosts "$$MN_HOSTLIST" $(SCALING_ARGS)'
endif

$(SCALING_STAMP):
	@test -x $(SCALING_VENV)/bin/python || $(SCALING_PYTHON) -m venv $(SCALING_VENV) || { \
	    rm -rf $(SCALING_VENV); \
	    echo "cannot create $(SCALING_VENV) with $(SCALING_PYTHON) -m venv (on Debian: apt-get install python3-venv)"; \
	    exit 1; }
	$(SCALING_VENV)/bin/python -m pip install --quiet --disable-pip-version-check 'matplotlib>=3.5'
	@touch $@
