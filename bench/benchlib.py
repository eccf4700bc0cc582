"""What the bench scripts share: running under mpiexec, logging, medians and ratios, text tables,
the machine line every table prints (the CPU model and the load), and the list of programs.

Imported by compare.py (make bench), scaling.py (make scaling), schedules.py (make bench-multinode)
and job_overhead.py (make bench-jobs); bench/ is their folder, so first on sys.path.
"""

import json
import os
import re
import shlex
import statistics
import subprocess
import sys
import time

_HERE = os.path.dirname(os.path.abspath(__file__))
PACKAGE_SWIFT = os.path.join(os.path.dirname(_HERE), "Package.swift")


class BenchError(Exception):
    """A run failed or its output could not be read."""


def programs():
    """The programs, in order, from the one list in Package.swift (`let programs = [...]`)."""
    with open(PACKAGE_SWIFT) as f:
        for line in f:
            m = re.match(r"let programs = \[(.*)\]\s*$", line)
            if m:
                return re.findall(r'"([^"]+)"', m.group(1))
    raise BenchError("%s: no `let programs = [...]` line" % PACKAGE_SWIFT)


# ---------------------------------------------------------------------------
# Logging and running
# ---------------------------------------------------------------------------

_log_prefix = "[bench] "


def set_log_prefix(name):
    """Log lines start with [name] (the script's name)."""
    global _log_prefix
    _log_prefix = "[%s] " % name


def log(msg):
    sys.stderr.write(_log_prefix + msg + "\n")
    sys.stderr.flush()


def child_env():
    """The environment for mpiexec: as root, Open MPI must be told it may run."""
    env = dict(os.environ)
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        env["OMPI_ALLOW_RUN_AS_ROOT"] = "1"
        env["OMPI_ALLOW_RUN_AS_ROOT_CONFIRM"] = "1"
    return env


def shown(cmd):
    return " ".join(shlex.quote(c) for c in cmd)


def run(cmd, timeout=None, label=None, stdout_only=True):
    """Run `cmd` (a list) and return its CompletedProcess (text). Raises BenchError when it cannot
    start, times out or exits non-zero, with the last lines of its stderr (or stdout)."""
    name = label or shown(cmd)
    log("running: " + shown(cmd))
    try:
        proc = subprocess.run(cmd, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE if stdout_only else subprocess.STDOUT,
                              env=child_env(), timeout=timeout, universal_newlines=True)
    except FileNotFoundError as exc:
        raise BenchError("%s: cannot start: %s" % (name, exc))
    except subprocess.TimeoutExpired:
        raise BenchError("%s: timed out after %s s" % (name, timeout))
    if proc.returncode != 0:
        tail = "\n".join(((proc.stderr or "").strip() or proc.stdout.strip()).splitlines()[-20:])
        raise BenchError("%s: exit status %d\n%s" % (name, proc.returncode, tail))
    return proc


def mpi_command(mpiexec, np, argv):
    """`mpiexec` (a command string such as "mpiexec --oversubscribe") -n np argv..."""
    return shlex.split(mpiexec) + ["-n", str(np)] + list(argv)


def run_mpi(mpiexec, np, argv, timeout=None, label=None):
    """Run `argv` under `mpiexec -n np` and return its stdout."""
    return run(mpi_command(mpiexec, np, argv), timeout=timeout, label=label).stdout


def json_reports(text, label):
    """The JSON lines (`--json`) of a program's stdout, as dicts; at least one."""
    reports = []
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("{"):
            try:
                reports.append(json.loads(line))
            except ValueError as exc:
                raise BenchError("%s: unreadable JSON line %r: %s" % (label, line[:200], exc))
    if not reports:
        raise BenchError("%s: no JSON report in its output" % label)
    return reports


def alternate_runs(runs, variants, run_one, settle=0.0):
    """Each variant `runs` times, interleaved (A, B, A, B, ...), so that a change in the machine's
    load falls on all of them. `run_one(name, index)` returns a parsed result. With `settle`, a
    pause of that many seconds before every run, so that each starts after the same idle time.
    Returns {name: [result, ...]}."""
    results = {name: [] for name in variants}
    for i in range(runs):
        for name in variants:
            if settle > 0:
                time.sleep(settle)
            log("run %d/%d: %s" % (i + 1, runs, name if isinstance(name, str) else " ".join(map(str, name))))
            results[name].append(run_one(name, i))
    return results


# ---------------------------------------------------------------------------
# Numbers and tables
# ---------------------------------------------------------------------------

def median(values):
    values = list(values)
    if not values:
        raise ValueError("median of no values")
    return statistics.median(values)


def ratio(num, den):
    """num/den, or None when either is missing or den is zero."""
    if num is None or den is None or den == 0:
        return None
    return num / den


def fmt(value, spec):
    """`value` formatted with `spec`, or '-' when missing."""
    return "-" if value is None else format(value, spec)


def print_table(headers, rows, out=None):
    """Rows (lists of strings) as right-aligned columns under a header and a rule."""
    out = out or sys.stdout
    widths = [max([len(h)] + [len(row[i]) for row in rows]) for i, h in enumerate(headers)]
    out.write("  ".join(h.rjust(w) for h, w in zip(headers, widths)) + "\n")
    out.write("  ".join("-" * w for w in widths) + "\n")
    for row in rows:
        out.write("  ".join(c.rjust(w) for c, w in zip(row, widths)) + "\n")
    out.flush()


def write_json(path, data):
    with open(path, "w") as f:
        json.dump(data, f, indent=2, sort_keys=False)
        f.write("\n")
    log("wrote " + path)


# ---------------------------------------------------------------------------
# The machine: every table says what it was measured on
# ---------------------------------------------------------------------------

def cpu_model():
    """The CPU's model name, its widest vector extension and the CPU count, from /proc/cpuinfo."""
    model, flags = "unknown CPU", set()
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                key, _, value = line.partition(":")
                key = key.strip()
                if key == "model name" and model == "unknown CPU":
                    model = " ".join(value.split())
                elif key == "flags" and not flags:
                    flags = set(value.split())
    except OSError:
        pass
    vector = next((v for v in ("avx512f", "avx2", "avx") if v in flags), "no AVX")
    return "%s (%s%s), %d CPUs" % (model, vector, ", fma" if "fma" in flags else "",
                                  os.cpu_count() or 0)


def load_average():
    try:
        return "%.2f" % os.getloadavg()[0]
    except OSError:
        return "?"


def print_machine(load_before, out=None):
    """One line under each table's title: the CPU, and the load before and after the runs."""
    out = out or sys.stdout
    out.write("# CPU: %s; load average %s before, %s after\n"
              % (cpu_model(), load_before, load_average()))
    out.flush()
