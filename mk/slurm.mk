# The release binaries and the job scripts under a real Slurm. Included from the Makefile
# (it provides `release` and PROGRAMS). Both need root on Debian: packages, munged, slurmd.
#
#   make test-release   # release/: no Swift runtime library needed, every program runs --help
#   make test-slurm     # a one-node Slurm on loopback in a temporary folder; every jobs/ script
#                       # submitted with sbatch --wait at small sizes; stopping signals; a checkpointed
#                       # job stopped by SIGUSR1, requeued and resumed, array jobs and their combine
#                       # jobs (scripts/slurm/longjobs.sh); the cluster torn down after
#
# scripts/slurm-test.sh installs slurmctld, slurmd, slurm-client, munge and libpmix-dev if missing.
# SLURM_TEST_KEEP=1 keeps the cluster's folder (config, logs, job output) for a look afterwards.

.PHONY: test-release test-slurm

test-release: release
	@RELEASE_DIR=$(RELEASE) bash scripts/check-release.sh $(PROGRAMS)

test-slurm: release
	@bash scripts/slurm-test.sh
