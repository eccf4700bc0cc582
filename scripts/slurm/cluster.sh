# shellcheck shell=bash
# A throwaway one-node Slurm on loopback, no systemd, everything under one folder (sourced, not run).
#
#   source scripts/slurm/cluster.sh
#   trap slurm_cluster_stop EXIT
#   slurm_cluster_start /tmp/somewhere   # exports SLURM_CONF; sbatch, srun, squeue then use this cluster
#
# Its own munged (own key and socket), slurmctld and slurmd, started in the foreground as children
# of this shell, so slurm_cluster_stop ends exactly these processes, by pid, and nothing else:
# daemons already running on the machine (a system munged, a slurmctld from elsewhere) are left alone,
# and the ports are picked among free ones. Needs root (slurmd starts jobs as their user).

SLURM_CLUSTER_DIR=""
SLURM_CLUSTER_PIDS=()      # started order: munged, slurmctld, slurmd
SLURM_CLUSTER_NODE=localnode

# Whether something listens on 127.0.0.1:PORT.
_slurm_port_busy() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# The first free port from $1 on, skipping $2.
_slurm_free_port() {
    local port=$1
    while [ "$port" = "${2:-}" ] || _slurm_port_busy "$port"; do
        port=$((port + 1))
        [ "$port" -lt $(($1 + 200)) ] || { echo "no free port in $1-$port" >&2; return 1; }
    done
    echo "$port"
}

# Runs "$@" until it succeeds, every 0.2 s, for at most $1 seconds.
_slurm_until() {
    local deadline=$((SECONDS + $1)); shift
    until "$@" >/dev/null 2>&1; do
        [ "$SECONDS" -lt "$deadline" ] || return 1
        sleep 0.2
    done
}

# Whether process $1 (a child of this shell) still runs: an exited child stays a zombie until reaped.
_slurm_running() {
    local state=""
    kill -0 "$1" 2>/dev/null || return 1
    read -r _ _ state _ <"/proc/$1/stat" 2>/dev/null || return 1
    [ "$state" != Z ]
}

_slurm_stopped() {
    ! _slurm_running "$1"
}

# Whether every daemon started so far is still running (for a clear message instead of a timeout).
_slurm_alive() {
    local pid
    for pid in "${SLURM_CLUSTER_PIDS[@]}"; do _slurm_running "$pid" || return 1; done
}

_slurm_node_idle() {
    [ "$(sinfo -h -n "$SLURM_CLUSTER_NODE" -o %T 2>/dev/null)" = idle ]
}

_slurm_munge_works() {
    munge -n -S "$SLURM_CLUSTER_DIR/munge/munge.socket" | unmunge -S "$SLURM_CLUSTER_DIR/munge/munge.socket"
}

# Prints the last lines of every log (after a failure).
slurm_cluster_logs() {
    local log
    for log in "$SLURM_CLUSTER_DIR"/log/*.log "$SLURM_CLUSTER_DIR"/munge/munged.log; do
        [ -s "$log" ] || continue
        echo "--- $log (last 15 lines)"
        tail -n 15 "$log"
    done
}

# slurm_cluster_start DIR [CPUS]: config, state, logs and sockets under DIR (created; must be new or empty).
# CPUS: what the node declares (default: the machine's CPUs, at least 4).
slurm_cluster_start() {
    local dir=$1 cpus=${2:-}
    SLURM_CLUSTER_DIR=$dir
    if [ -z "$cpus" ]; then
        cpus=$(nproc)
        [ "$cpus" -ge 4 ] || cpus=4
    fi
    local here ctld_port slurmd_port
    here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
    ctld_port=$(_slurm_free_port 6817) || return 1
    slurmd_port=$(_slurm_free_port 6818 "$ctld_port") || return 1

    # munged checks that its folders are owned by its user and not writable by others,
    # and it must run as user munge (not root): its folder is its own, the parents are readable.
    mkdir -p "$dir"/{state,spool,run,log,out,tmp}
    chmod 0755 "$dir"
    install -d -o munge -g munge -m 0755 "$dir/munge"
    if ! setpriv --reuid=munge --regid=munge --init-groups \
            mungekey --create --keyfile="$dir/munge/munge.key" 2>/dev/null; then
        dd if=/dev/urandom of="$dir/munge/munge.key" bs=1024 count=1 status=none
    fi
    chown munge:munge "$dir/munge/munge.key"
    chmod 0400 "$dir/munge/munge.key"

    sed -e "s|@DIR@|$dir|g" -e "s|@CTLD_PORT@|$ctld_port|g" -e "s|@SLURMD_PORT@|$slurmd_port|g" \
        -e "s|@CPUS@|$cpus|g" "$here/slurm.conf.in" >"$dir/slurm.conf"
    export SLURM_CONF="$dir/slurm.conf"

    setpriv --reuid=munge --regid=munge --init-groups \
        munged --foreground --socket="$dir/munge/munge.socket" --key-file="$dir/munge/munge.key" \
        --log-file="$dir/munge/munged.log" --pid-file="$dir/munge/munged.pid" \
        --seed-file="$dir/munge/munged.seed" </dev/null >>"$dir/log/munged.out" 2>&1 &
    SLURM_CLUSTER_PIDS+=($!)
    _slurm_until 10 _slurm_munge_works || { echo "munged did not start" >&2; return 1; }

    # -D: foreground (our child, our pid); -i: ignore any saved state.
    slurmctld -D -i </dev/null >>"$dir/log/slurmctld.out" 2>&1 &
    SLURM_CLUSTER_PIDS+=($!)
    _slurm_until 20 scontrol ping || { echo "slurmctld did not answer on port $ctld_port" >&2; return 1; }

    slurmd -D -N "$SLURM_CLUSTER_NODE" </dev/null >>"$dir/log/slurmd.out" 2>&1 &
    SLURM_CLUSTER_PIDS+=($!)
    if ! _slurm_until 30 _slurm_node_idle; then
        _slurm_alive || echo "a Slurm daemon exited during start" >&2
        echo "node $SLURM_CLUSTER_NODE not idle: $(sinfo -h -N -o '%N %T %E' 2>&1)" >&2
        return 1
    fi
}

# Cancels the cluster's jobs, then ends slurmd, slurmctld and munged (those started above only),
# TERM first, KILL after 10 s. Safe to call twice, or after a failed start.
slurm_cluster_stop() {
    [ ${#SLURM_CLUSTER_PIDS[@]} -gt 0 ] || return 0
    if [ ${#SLURM_CLUSTER_PIDS[@]} -ge 2 ] && _slurm_running "${SLURM_CLUSTER_PIDS[1]}"; then
        local jobs
        jobs=$(squeue -h -o %i 2>/dev/null || true)
        if [ -n "$jobs" ]; then
            # shellcheck disable=SC2086  # one id per word
            scancel $jobs 2>/dev/null || true
            _slurm_until 10 test -z "$(squeue -h -o %i 2>/dev/null)" || true
        fi
    fi
    local i pid
    for ((i = ${#SLURM_CLUSTER_PIDS[@]} - 1; i >= 0; i--)); do
        pid=${SLURM_CLUSTER_PIDS[i]}
        kill -TERM "$pid" 2>/dev/null || continue
        _slurm_until 10 _slurm_stopped "$pid" || kill -KILL "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    SLURM_CLUSTER_PIDS=()
}
