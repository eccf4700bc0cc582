#!/usr/bin/env bash
# with-hosts.sh N COMMAND...: runs COMMAND on host 1 of N simulated hosts (scripts/multinode/hosts.sh),
# then tears them down, on every exit path. Needs root. COMMAND finds, in its environment:
#   MN_MPIEXEC   mpiexec with the options that span the hosts (launch agent, TCP on their subnet)
#   MN_HOSTLIST  a file with the hosts' addresses, one a line (bench/scaling.py --hosts)
#   MN_DIR       the hosts' folder (the agent's table)
# Example: scripts/multinode/with-hosts.sh 3 sh -c '$MN_MPIEXEC --host "$(paste -sd, $MN_HOSTLIST)" -n 3 hostname'
set -euo pipefail
if [ $# -lt 2 ] || ! [ "$1" -ge 1 ] 2>/dev/null; then
    echo "usage: $0 HOSTS COMMAND..." >&2
    exit 2
fi
if [ "$(id -u)" -ne 0 ]; then
    echo "$0: simulated hosts are network namespaces: run as root" >&2
    exit 1
fi
count=$1; shift
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=scripts/multinode/hosts.sh
source "$here/hosts.sh"
dir=$(mktemp -d /tmp/multinode-hosts.XXXXXX)
chmod 0755 "$dir"
trap 'mn_hosts_down; rm -rf "$dir"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP
mn_hosts_up "$count" "$dir"
printf '%s\n' "${MN_ADDRS[@]}" >"$dir/hostlist"
MN_MPIEXEC="mpiexec ${MN_MPI_ARGS[*]}"
export MN_MPIEXEC MN_HOSTLIST="$dir/hostlist" OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
echo "with-hosts: ${MN_NAMES[*]} at ${MN_ADDRS[*]}; on ${MN_NAMES[0]}: $*" >&2
rc=0
mn_exec 1 "$@" || rc=$?
exit "$rc"
