# shellcheck shell=bash
# A throwaway Slurm, no systemd, everything under one folder (sourced, not run): one node on
# loopback, or one node per simulated host of scripts/multinode/hosts.sh.
#
#   source scripts/slurm/cluster.sh
#   trap slurm_cluster_stop EXIT
#   slurm_cluster_start /tmp/somewhere   # exports SLURM_CONF; sbatch, srun, squeue then use this cluster
#
#   source scripts/multinode/hosts.sh; mn_hosts_up 3 /tmp/hosts
#   slurm_cluster_start_hosts /tmp/somewhere 2   # node1..node3, 2 CPUs each; slurmctld on node1
#   slurm_client sbatch -N 3 ...                 # client commands run on node1 (slurm_client)
#
# Its own munged (own key and socket), slurmctld and slurmd, started in the foreground as children
# of this shell, so slurm_cluster_stop ends exactly these processes, by pid, and nothing else:
# daemons already running on the machine (a system munged, a slurmctld from elsewhere) are left alone,
# and the ports are picked among free ones. Needs root (slurmd starts jobs as their user).

SLURM_CLUSTER_DIR=""
SLURM_CLUSTER_PIDS=()      # started order: munged, slurmctld, slurmd (one per node)
SLURM_CLUSTER_NODES=()     # node names
SLURM_CLUSTER_CLIENT=()    # what client commands (sinfo, sbatch, ...) run under: empty on loopback,
                           # (mn_exec 1) on simulated hosts, whose network only host 1 reaches

# A Slurm client command against this cluster: slurm_client sbatch ...
slurm_client() {
    ${SLURM_CLUSTER_CLIENT[@]+"${SLURM_CLUSTER_CLIENT[@]}"} "$@"
}

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

# Whether every node is idle (registered, nothing running).
_slurm_nodes_idle() {
    [ "$(slurm_client sinfo -h -N -t idle -o %N 2>/dev/null | sort -u | wc -l)" -eq ${#SLURM_CLUSTER_NODES[@]} ]
}

_slurm_queue_empty() {
    [ -z "$(slurm_client squeue -h -o %i 2>/dev/null)" ]
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

# slurm_cluster_start DIR [CPUS]: a one-node cluster on loopback. Config, state, logs and sockets
# under DIR (created; must be new or empty). CPUS: what the node declares (default: the machine's
# CPUs, at least 4).
slurm_cluster_start() {
    local dir=$1 cpus=${2:-}
    if [ -z "$cpus" ]; then
        cpus=$(nproc)
        [ "$cpus" -ge 4 ] || cpus=4
    fi
    local ctld_port slurmd_port
    ctld_port=$(_slurm_free_port 6817) || return 1
    slurmd_port=$(_slurm_free_port 6818 "$ctld_port") || return 1
    SLURM_CLUSTER_NODES=(localnode)
    SLURM_CLUSTER_CLIENT=()
    _slurm_cluster_config "$dir" localhost "$ctld_port" "$slurmd_port" \
        "NodeName=localnode NodeHostname=localhost NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=1000 State=UNKNOWN" || return 1
    _slurm_cluster_daemons "$dir" ""
}

# slurm_cluster_start_hosts DIR CPUS: one node per simulated host of scripts/multinode/hosts.sh
# (already up, sourced): node I is MN_NAMES[I-1] at MN_ADDRS[I-1] with CPUS CPUs, slurmctld and
# client commands on host 1, one slurmd on each host. The hosts' ports are their own (fresh network
# namespaces), so Slurm's default ones are used.
slurm_cluster_start_hosts() {
    local dir=$1 cpus=$2 i nodes=""
    SLURM_CLUSTER_NODES=("${MN_NAMES[@]}")
    SLURM_CLUSTER_CLIENT=(mn_exec 1)
    for i in "${!MN_NAMES[@]}"; do
        nodes+="NodeName=${MN_NAMES[i]} NodeAddr=${MN_ADDRS[i]} CPUs=$cpus RealMemory=1000 State=UNKNOWN"$'\n'
    done
    _slurm_cluster_config "$dir" "${MN_NAMES[0]}(${MN_ADDRS[0]})" 6817 6818 "${nodes%$'\n'}" || return 1
    _slurm_cluster_daemons "$dir" mn_on
}

# _slurm_cluster_config DIR CTLD_HOST CTLD_PORT SLURMD_PORT NODE_LINES: the folders, a munge key and
# DIR/slurm.conf (exported as SLURM_CONF) for the nodes in SLURM_CLUSTER_NODES.
_slurm_cluster_config() {
    local dir=$1 ctld_host=$2 ctld_port=$3 slurmd_port=$4 node_lines=$5 here conf node node_list
    SLURM_CLUSTER_DIR=$dir
    here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

    # munged checks that its folders are owned by its user and not writable by others,
    # and it must run as user munge (not root): its folder is its own, the parents are readable.
    mkdir -p "$dir"/{state,spool,run,log,out,tmp}
    for node in "${SLURM_CLUSTER_NODES[@]}"; do mkdir -p "$dir/spool/$node" "$dir/tmp/$node"; done
    chmod 0755 "$dir"
    install -d -o munge -g munge -m 0755 "$dir/munge"
    if ! setpriv --reuid=munge --regid=munge --init-groups \
            mungekey --create --keyfile="$dir/munge/munge.key" 2>/dev/null; then
        dd if=/dev/urandom of="$dir/munge/munge.key" bs=1024 count=1 status=none
    fi
    chown munge:munge "$dir/munge/munge.key"
    chmod 0400 "$dir/munge/munge.key"

    node_list=$(IFS=,; echo "${SLURM_CLUSTER_NODES[*]}")
    conf=$(<"$here/slurm.conf.in")
    conf=${conf//@DIR@/$dir}
    conf=${conf//@CTLD_HOST@/$ctld_host}
    conf=${conf//@CTLD_PORT@/$ctld_port}
    conf=${conf//@SLURMD_PORT@/$slurmd_port}
    conf=${conf//@NODE_LIST@/$node_list}
    conf=${conf//@NODES@/$node_lines}
    printf '%s\n' "$conf" >"$dir/slurm.conf"
    export SLURM_CONF="$dir/slurm.conf"
}

# _slurm_cluster_daemons DIR ON: munged (on the machine: its socket is a file every host sees),
# slurmctld on the first node, a slurmd per node; ON is the function that puts a daemon on host I
# (`ON I` sets MN_ON, the words before the daemon's; scripts/multinode/hosts.sh's mn_on), empty for
# loopback.
_slurm_cluster_daemons() {
    local dir=$1 on=$2 i node MN_ON=()
    setpriv --reuid=munge --regid=munge --init-groups \
        munged --foreground --socket="$dir/munge/munge.socket" --key-file="$dir/munge/munge.key" \
        --log-file="$dir/munge/munged.log" --pid-file="$dir/munge/munged.pid" \
        --seed-file="$dir/munge/munged.seed" </dev/null >>"$dir/log/munged.out" 2>&1 &
    SLURM_CLUSTER_PIDS+=($!)
    _slurm_until 10 _slurm_munge_works || { echo "munged did not start" >&2; return 1; }

    # -D: foreground (our child, our pid: the host's nsenter and unshare exec into it); -i: ignore
    # any saved state.
    [ -z "$on" ] || "$on" 1
    ${MN_ON[@]+"${MN_ON[@]}"} slurmctld -D -i </dev/null >>"$dir/log/slurmctld.out" 2>&1 &
    SLURM_CLUSTER_PIDS+=($!)
    _slurm_until 20 slurm_client scontrol ping || { echo "slurmctld did not answer" >&2; return 1; }

    for i in "${!SLURM_CLUSTER_NODES[@]}"; do
        node=${SLURM_CLUSTER_NODES[i]}
        [ -z "$on" ] || "$on" $((i + 1))
        ${MN_ON[@]+"${MN_ON[@]}"} slurmd -D -N "$node" </dev/null >>"$dir/log/slurmd-$node.out" 2>&1 &
        SLURM_CLUSTER_PIDS+=($!)
    done
    if ! _slurm_until 30 _slurm_nodes_idle; then
        _slurm_alive || echo "a Slurm daemon exited during start" >&2
        echo "nodes not idle: $(slurm_client sinfo -h -N -o '%N %T %E' 2>&1 | paste -sd ';' -)" >&2
        return 1
    fi
}

# Cancels the cluster's jobs, then ends slurmd, slurmctld and munged (those started above only),
# TERM first, KILL after 10 s. Safe to call twice, or after a failed start.
slurm_cluster_stop() {
    [ ${#SLURM_CLUSTER_PIDS[@]} -gt 0 ] || return 0
    if [ ${#SLURM_CLUSTER_PIDS[@]} -ge 2 ] && _slurm_running "${SLURM_CLUSTER_PIDS[1]}"; then
        local jobs
        jobs=$(slurm_client squeue -h -o %i 2>/dev/null || true)
        if [ -n "$jobs" ]; then
            # shellcheck disable=SC2086  # one id per word
            slurm_client scancel $jobs 2>/dev/null || true
            _slurm_until 10 _slurm_queue_empty || true
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
