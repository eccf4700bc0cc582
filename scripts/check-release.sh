#!/usr/bin/env bash
# Checks the programs in release/ (from `make release`): none needs a Swift runtime library
# (a cluster node may have no Swift), and each runs `--help` successfully. The project's one `ldd`
# check: `make release` runs it with --ldd-only on the binaries before it copies them.
# Usage: scripts/check-release.sh [--ldd-only] [program...]   (default: every executable in
# $RELEASE_DIR, by default release/)
# Prints one PASS/FAIL line per program; exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."

RELEASE_DIR="${RELEASE_DIR:-release}"
# What the Swift toolchain brings and a plain node lacks.
SWIFT_RUNTIME='libswift|libFoundation|libdispatch|libBlocksRuntime'

LDD_ONLY=""
if [ "${1:-}" = --ldd-only ]; then LDD_ONLY=1; shift; fi
programs=("$@")
if [ ${#programs[@]} -eq 0 ]; then
    for file in "$RELEASE_DIR"/*; do
        [ -f "$file" ] && [ -x "$file" ] && programs+=("$(basename "$file")")
    done
fi
if [ ${#programs[@]} -eq 0 ]; then
    echo "FAIL release: no programs in $RELEASE_DIR/ (run make release)"
    exit 1
fi

# --help may start MPI as a singleton; as root Open MPI must be told it may.
if [ "$(id -u)" -eq 0 ]; then
    export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
fi

failures=0
for program in "${programs[@]}"; do
    binary="$RELEASE_DIR/$program"
    if [ ! -x "$binary" ]; then
        echo "FAIL release $program: $binary missing or not executable"
        failures=$((failures + 1))
        continue
    fi
    if ! libraries=$(ldd "$binary" 2>&1); then
        echo "FAIL release $program: ldd failed: $libraries"
        failures=$((failures + 1))
        continue
    fi
    swift_libraries=$(grep -E "$SWIFT_RUNTIME" <<<"$libraries" | awk '{print $1}' | paste -sd ' ' - || true)
    missing=$(grep 'not found' <<<"$libraries" | awk '{print $1}' | paste -sd ' ' - || true)
    if [ -n "$swift_libraries" ]; then
        echo "FAIL release $program: needs Swift runtime libraries: $swift_libraries"
        failures=$((failures + 1))
    elif [ -n "$missing" ]; then
        echo "FAIL release $program: libraries not found: $missing"
        failures=$((failures + 1))
    elif [ -n "$LDD_ONLY" ]; then
        echo "PASS release $program: no Swift runtime library"
    elif ! help=$(timeout 30 "$binary" --help 2>&1); then
        echo "FAIL release $program: --help failed: $(head -n 3 <<<"$help")"
        failures=$((failures + 1))
    elif ! grep -q 'USAGE:' <<<"$help"; then
        echo "FAIL release $program: --help printed no usage: $(head -n 3 <<<"$help")"
        failures=$((failures + 1))
    else
        echo "PASS release $program: no Swift runtime library, --help runs"
    fi
done
exit $((failures > 0))
