#!/usr/bin/env bash
# The programs, one a line, in order, from the one list: Package.swift's `let programs = [...]`
# line. The Makefile (PROGRAMS), the scripts, bench/benchlib.py and the tests all read that line;
# ProgramListTests checks it against Sources/ and jobs/.
# Usage: scripts/programs.sh [--words]   (--words: on one line, separated by spaces)
set -euo pipefail
cd "$(dirname "$0")/.."
list=$(sed -n 's/^let programs = \[\(.*\)\][[:space:]]*$/\1/p' Package.swift | tr -d '" ' | tr ',' '\n')
if [ -z "$list" ]; then
    echo "scripts/programs.sh: no \`let programs = [...]\` line in Package.swift" >&2
    exit 1
fi
if [ "${1:-}" = --words ]; then paste -sd " " - <<<"$list"; else echo "$list"; fi
