# shellcheck shell=bash
# A throwaway cluster of N hosts on this one machine (sourced, not run). Needs root.
#
#   source scripts/multinode/hosts.sh
#   trap mn_hosts_down EXIT
#   mn_hosts_up 3 /tmp/somewhere     # hosts node1..node3 at $MN_SUBNET.11, .12, .13
#   mn_exec 1 hostname               # node1
#   mn_exec 1 mpiexec "${MN_MPI_ARGS[@]}" -n 6 --hostfile /tmp/somewhere/hostfile prog
#
# Each host is a network namespace with one veth (eth0, an address in $MN_SUBNET.0/24) into a
# bridge that lives in a namespace of its own, loopback up, and no route out: the hosts reach each
# other and nothing else. A command entered on a host (mn_exec, or the launch agent
# scripts/multinode/agent for Open MPI) also gets a UTS namespace of its own with the host's name,
# so gethostname() and MPI_Get_processor_name() tell the hosts apart. Hosts are entered with
# `nsenter --net=/run/netns/NAME unshare --uts`, not `ip netns exec`: that one also remounts /sys,
# and slurmd then fails to find its cgroup file system.
#
# Names carry this shell's pid (mn<pid>-h1, mn<pid>-br), so a run right after a failed one (or
# another engineer's run) never meets them. mn_hosts_down kills only processes that live in this
# run's namespaces, then deletes those namespaces, and nothing else; it is safe to call twice.
# Everything else shares the machine: the file system, the CPUs, the user ids.

MN_SUBNET=${MN_SUBNET:-10.213.7}    # the hosts' /24: host I is $MN_SUBNET.$((10 + I))
MN_TAG=""                           # mn<pid>: the prefix of this run's namespaces
MN_DIR=""                           # this run's folder: hosts file, hostfile, agent's table
MN_HOSTS=()                         # namespace of host I at index I-1
MN_NAMES=()                         # host name of host I (node1, node2, ...)
MN_ADDRS=()                         # address of host I
MN_BRIDGE=""                        # namespace of the bridge

_mn_here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
MN_AGENT="$_mn_here/agent"          # Open MPI's launch agent: agent HOST COMMAND...

# Open MPI across the hosts, from any of them: TCP on the test subnet only (both the MPI traffic
# and the runtime's own), shared memory within a host, ranks not bound (every host has the same
# two cores; binding each host's rank 0 to core 0 runs 1000x slower), the launch agent above.
# Non-zero exits and lost daemons end the job at once (no grace per signal). Waiting ranks yield
# the CPU: Open MPI counts each host's slots, not that all hosts share the same two cores.
mn_mpi_args() {
    MN_MPI_ARGS=(--mca plm_rsh_agent "$MN_AGENT" --mca btl tcp,vader,self
        --mca btl_tcp_if_include "$MN_SUBNET.0/24" --mca oob_tcp_if_include "$MN_SUBNET.0/24"
        --mca odls_base_sigkill_timeout 0 --mca mpi_yield_when_idle 1 --bind-to none --oversubscribe)
}
mn_mpi_args

# mn_hosts_up N DIR: N hosts, their table in DIR (created). Exports MN_DIR for the agent.
mn_hosts_up() {
    local count=$1 dir=$2 i ns n=0
    # A namespace left by a run that was killed outright (no trap) under a pid now reused is not
    # ours: leave it, take another name.
    MN_TAG="mn$$"
    while [ -e "/run/netns/$MN_TAG-br" ]; do n=$((n + 1)); MN_TAG="mn$$x$n"; done
    MN_DIR=$dir
    export MN_DIR
    mkdir -p "$dir"
    MN_BRIDGE="$MN_TAG-br"
    ip netns add "$MN_BRIDGE" || return 1
    ip -n "$MN_BRIDGE" link add br0 type bridge || return 1
    ip -n "$MN_BRIDGE" link set br0 up || return 1
    : >"$dir/hosts"
    : >"$dir/hostfile"
    for ((i = 1; i <= count; i++)); do
        ns="$MN_TAG-h$i"
        ip netns add "$ns" || return 1
        MN_HOSTS+=("$ns")
        MN_NAMES+=("node$i")
        MN_ADDRS+=("$MN_SUBNET.$((10 + i))")
        # Both ends are made inside the namespaces: nothing appears on the machine's own network.
        ip -n "$MN_BRIDGE" link add "h$i" type veth peer name eth0 netns "$ns" || return 1
        ip -n "$MN_BRIDGE" link set "h$i" master br0 up || return 1
        ip -n "$ns" link set lo up || return 1
        # IPv4 only: no link-local IPv6 addresses for Open MPI or Slurm to try.
        nsenter --net="/run/netns/$ns" sh -c 'echo 1 >/proc/sys/net/ipv6/conf/eth0/disable_ipv6' 2>/dev/null || true
        ip -n "$ns" addr add "$MN_SUBNET.$((10 + i))/24" dev eth0 || return 1
        ip -n "$ns" link set eth0 up || return 1
        # The agent's table: address, name, namespace.
        echo "$MN_SUBNET.$((10 + i)) node$i $ns" >>"$dir/hosts"
        echo "$MN_SUBNET.$((10 + i)) slots=2" >>"$dir/hostfile"
    done
    # Up when host 1 reaches every other host: a TCP connection to a closed port there is refused
    # (an answer) rather than left without one (no ping needed).
    for ((i = 2; i <= count; i++)); do
        local tries=0
        until _mn_reaches 1 "${MN_ADDRS[i - 1]}"; do
            tries=$((tries + 1))
            [ "$tries" -lt 20 ] || { echo "host 1 cannot reach ${MN_ADDRS[i - 1]}" >&2; return 1; }
            sleep 0.1
        done
    done
}

# Whether host $1 gets an answer from address $2 (port 9: nothing listens there).
_mn_reaches() {
    local answer
    answer=$(mn_exec "$1" timeout 1 bash -c "exec 3<>/dev/tcp/$2/9" 2>&1 || true)
    [[ "$answer" == *refused* ]]
}

# mn_hostfile FILE SLOTS HOST...: a hostfile of the given hosts (numbers) with SLOTS each: Open MPI's
# "ADDRESS slots=N" lines, or with MN_HOSTFILE_STYLE=hydra Hydra's "ADDRESS:N" (MPICH, Intel MPI).
mn_hostfile() {
    local file=$1 slots=$2 i; shift 2
    : >"$file"
    for i in "$@"; do
        if [ "${MN_HOSTFILE_STYLE:-openmpi}" = hydra ]; then
            echo "${MN_ADDRS[i - 1]}:$slots" >>"$file"
        else
            echo "${MN_ADDRS[i - 1]} slots=$slots" >>"$file"
        fi
    done
}

# mn_on I: MN_ON, the words that run a command on host I: its network namespace, a UTS namespace
# named nodeI. Each step execs the next, so `"${MN_ON[@]}" daemon &` leaves $! the daemon's pid.
mn_on() {
    MN_ON=(nsenter --net="/run/netns/${MN_HOSTS[$1 - 1]}" unshare --uts
        /bin/sh -c 'hostname "$0" && exec "$@"' "${MN_NAMES[$1 - 1]}")
}

# mn_exec I COMMAND...: runs COMMAND on host I (in the foreground; for a daemon use mn_on).
mn_exec() {
    local MN_ON
    mn_on "$1"; shift
    "${MN_ON[@]}" "$@"
}

# mn_pids [I]: pids of the processes living on host I (every host when no I), one a line.
mn_pids() {
    local ns
    if [ $# -gt 0 ]; then
        ip netns pids "${MN_HOSTS[$1 - 1]}" 2>/dev/null || true
    else
        for ns in "${MN_HOSTS[@]}"; do ip netns pids "$ns" 2>/dev/null || true; done
    fi
}

# mn_kill_host I [SIGNAL]: every process of host I gets SIGNAL (default KILL): a lost node.
mn_kill_host() {
    local pids
    pids=$(mn_pids "$1")
    # shellcheck disable=SC2086  # one pid per word
    [ -z "$pids" ] || kill -"${2:-KILL}" $pids 2>/dev/null || true
}

# Kills what still runs on this run's hosts (TERM, KILL after 2 s), then deletes the namespaces.
mn_hosts_down() {
    [ -n "$MN_TAG" ] || return 0
    local pids i
    pids=$(mn_pids)
    if [ -n "$pids" ]; then
        # shellcheck disable=SC2086
        kill -TERM $pids 2>/dev/null || true
        for ((i = 0; i < 20; i++)); do
            [ -n "$(mn_pids)" ] || break
            sleep 0.1
        done
        pids=$(mn_pids)
        # shellcheck disable=SC2086
        [ -z "$pids" ] || kill -KILL $pids 2>/dev/null || true
    fi
    for i in "${MN_HOSTS[@]}" "$MN_BRIDGE"; do
        [ -n "$i" ] && ip netns del "$i" 2>/dev/null || true
    done
    MN_HOSTS=() MN_NAMES=() MN_ADDRS=() MN_BRIDGE="" MN_TAG=""
}
