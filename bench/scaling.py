#!/usr/bin/env python3
"""Strong- and weak-scaling sweeps of one SPMD program, with a CSV, a text table and a PNG.

Usage:
    python3 bench/scaling.py --program NAME [options] [--SIZE-OPTION N]
    python3 bench/scaling.py --plot-only bench/results/FILE.csv

Strong scaling: one fixed problem, run at every ranks x threads shape whose product (the worker
count p) is 1, 2, 4, ... up to --max-workers (and --max-workers itself when it is not a power of
two): 1x1, 2x1, 1x2, 4x1, 2x2, 1x4, ...  Weak scaling: the problem grows with p (see SIZES).
Each shape is ONE launch with `--repeat K --json` (K JSON lines); the median of the K
`compute_seconds` (the slowest rank's compute time) is the time of that shape.

    strong speedup    S(p) = T(1x1) / T(p)        strong efficiency  S(p) / p
    weak efficiency   E(p) = T(1x1) / T(p)        (times normalised by work per worker when the
    weak "speedup"    p * E(p)                    size cannot grow exactly with p, integrate2d)

Every strong run must report the same `result` (the programs promise bit-identical results for
every split of the work); a difference is printed loudly, marked DIFFERS in the CSV and makes the
exit status 3 (after the CSV and the plot are written).

Launching: inside a Slurm allocation (SLURM_JOB_ID set and srun present) each shape runs as
`srun --mpi=$SRUN_MPI -n R -c T` (jobs/scaling.sh sets SRUN_MPI for the MPI, default pmix);
elsewhere as `--mpiexec CMD -n R` (default $MPIEXEC, else `mpiexec --oversubscribe`), with
`--map-by slot:PE=T --bind-to core` so that each rank owns T cores, or `--bind-to none` when the
shape has more workers than the machine has CPUs (oversubscribed: shown shaded in the plot), unless
CMD brings its own binding options. The program always gets `--threads T`.

A shared machine: each mpiexec launch measures how many CPUs other processes kept busy meanwhile
(/proc/stat minus our own children's CPU time). A shape that ran short of CPUs because of them is
run again (--retry-busy, default 2 more times), then marked BUSY in the table and the CSV;
--wait-idle S waits up to S seconds for an idle machine before each launch. (Under srun the tasks
are not our children, so there is no such check: the allocation is the job's own.)

Outputs (in --out-dir, default bench/results/): <program>-scaling-<host>-<date>.csv and .png; the
table and the plot name the CPU model.
The sweep needs only the standard library; matplotlib is imported for the plot only
(`make scaling` installs it into .venv-scaling/). Without matplotlib the CSV is still written and
`--plot-only CSV` draws the plot later.

Exit status: 0 done; 1 a run failed or printed no JSON; 2 bad usage; 3 results differ across a
strong sweep; 4 the plot could not be drawn (matplotlib missing) though the CSV was written.
"""

import argparse
import csv
import datetime
import hashlib
import json
import math
import os
import re
import shlex
import shutil
import socket
import statistics
import sys
import time

from benchlib import (BenchError, cpu_model, fmt, json_reports, log, print_table, run,
                      set_log_prefix)

set_log_prefix("scaling")
BIN_DIRS = [".build/release", ".build-static/release", "release"]
DEFAULT_MPIEXEC = "mpiexec --oversubscribe --mca odls_base_sigkill_timeout 0"


# ---------------------------------------------------------------------------
# The programs: which option sets the problem size, its strong-scaling default, how the weak
# sweep grows it, and how much work a size is (for normalising weak times).
# ---------------------------------------------------------------------------

def linear(size):
    return float(size)


def square(size):
    return float(size) ** 2


# name: option (None: no size), strong default, fixed extra args, weak growth ("linear": size*p,
# "sqrt": size*sqrt(p), since work is size^2), work(size), deterministic result (checked across
# the strong sweep), note
SIZES = {
    "integrate2d": dict(option="--bins", strong=4000, args=[], weak="sqrt", work=square,
                        deterministic=True, note="work ~ bins^2; weak bins = base*sqrt(p)"),
    "pi": dict(option="--darts", strong=int(2e8), args=[], weak="linear", work=linear,
               deterministic=True, note="work ~ darts"),
    "parallel-map": dict(option="--size", strong=int(2e7), args=[], weak="linear", work=linear,
                         deterministic=True, note="work ~ size"),
    "primes": dict(option="--limit", strong=int(1e9), args=["--method", "sieve"], weak="linear",
                   work=linear, deterministic=True, note="sieve; work ~ limit (n log log n)"),
    "collatz": dict(option="--limit", strong=int(2e8), args=[], weak="linear", work=linear,
                    deterministic=True, note="work ~ limit (roughly)"),
    "euler": dict(option="--trials", strong=int(5e7), args=["--method", "montecarlo"],
                  weak="linear", work=linear, deterministic=True,
                  note="Monte Carlo; work ~ trials"),
    "whereami": dict(option=None, strong=None, args=[], weak="linear", work=lambda s: 1.0,
                     deterministic=False,
                     note="smoke test: no problem size, its result is the placement"),
}

SIZE_OPTIONS = sorted({spec["option"] for spec in SIZES.values() if spec["option"]})


def parse_size(text):
    """Exact sizes as the programs accept them: 30000000, 30_000_000, 3e7, 2^20."""
    t = text.strip().replace("_", "")
    try:
        if "^" in t:
            base, exp = t.split("^", 1)
            value = int(base) ** int(exp)
        elif re.fullmatch(r"[0-9]+", t):
            value = int(t)
        else:
            f = float(t)
            if not f.is_integer():
                raise ValueError
            value = int(f)
    except (ValueError, OverflowError):
        raise argparse.ArgumentTypeError("not an exact whole size: %r" % text)
    if value < 1:
        raise argparse.ArgumentTypeError("size must be at least 1: %r" % text)
    return value


# ---------------------------------------------------------------------------
# Machine, allocation, shapes
# ---------------------------------------------------------------------------

def in_slurm():
    return bool(os.environ.get("SLURM_JOB_ID")) and shutil.which("srun") is not None


def affinity_cpus():
    try:
        return sorted(os.sched_getaffinity(0))
    except AttributeError:
        return list(range(os.cpu_count() or 1))


def physical_cores(cpus):
    """Distinct cores among `cpus` (SMT siblings counted once); len(cpus) if unknown."""
    cores = set()
    for cpu in cpus:
        base = "/sys/devices/system/cpu/cpu%d/topology/" % cpu
        for name in ("core_cpus_list", "thread_siblings_list"):
            try:
                with open(base + name) as f:
                    cores.add(f.read().strip())
                break
            except OSError:
                continue
        else:
            return len(cpus)
    return len(cores)


def cpu_busy_seconds():
    """CPU seconds all processes of this machine have run so far (Linux /proc/stat), or None."""
    try:
        with open("/proc/stat") as f:
            v = [int(x) for x in f.readline().split()[1:]]
        return (sum(v[:8]) - v[3] - v[4]) / float(os.sysconf("SC_CLK_TCK"))
    except (OSError, ValueError, IndexError):
        return None


def children_cpu_seconds():
    import resource
    u = resource.getrusage(resource.RUSAGE_CHILDREN)
    return u.ru_utime + u.ru_stime


class OthersProbe:
    """How many CPUs' worth of work processes other than ours ran during an interval."""

    def __init__(self):
        self.t0 = time.monotonic()
        self.busy0 = cpu_busy_seconds()
        self.own0 = children_cpu_seconds()

    def cpus(self):
        if self.busy0 is None:
            return None
        busy = cpu_busy_seconds()
        wall = time.monotonic() - self.t0
        if busy is None or wall <= 0:
            return None
        others = (busy - self.busy0) - (children_cpu_seconds() - self.own0)
        return max(0.0, others / wall)


def wait_idle(limit, threshold=0.25):
    """Wait (up to `limit` seconds) until others use less than `threshold` CPUs for 2 s."""
    if limit <= 0:
        return
    deadline = time.monotonic() + limit
    said = False
    while True:
        probe = OthersProbe()
        time.sleep(2.0)
        busy = probe.cpus()
        if busy is None or busy < threshold:
            return
        if time.monotonic() >= deadline:
            log("still %.1f CPUs busy after waiting %g s: going on" % (busy, limit))
            return
        if not said:
            log("other processes keep %.1f CPUs busy: waiting for an idle machine (up to %g s)"
                % (busy, limit))
            said = True


def default_max_workers():
    """SLURM_NTASKS * SLURM_CPUS_PER_TASK inside an allocation, else the CPUs we may run on."""
    if os.environ.get("SLURM_JOB_ID"):
        try:
            tasks = int(os.environ.get("SLURM_NTASKS") or os.environ.get("SLURM_NPROCS") or 1)
            per = int(os.environ.get("SLURM_CPUS_PER_TASK") or 1)
            return max(1, tasks * per)
        except ValueError:
            pass
    return max(1, len(affinity_cpus()))


def worker_counts(max_workers):
    counts = []
    p = 1
    while p <= max_workers:
        counts.append(p)
        p *= 2
    if counts[-1] != max_workers:
        counts.append(max_workers)
    return counts


def slurm_node_cpus():
    """The fewest CPUs the Slurm allocation has on one node (SLURM_JOB_CPUS_PER_NODE, e.g.
    "4,2(x3)"), or None outside Slurm: a rank's threads cannot span nodes (sbatch -N 2)."""
    text = os.environ.get("SLURM_JOB_CPUS_PER_NODE", "") if in_slurm() else ""
    counts = [int(m.group(1)) for m in re.finditer(r"(\d+)(?:\(x\d+\))?", text)]
    return min(counts) if counts else None


def shapes_for(p, which):
    """(ranks, threads) with ranks*threads == p, most ranks first.

    all: every divisor pair; ranks: p x 1; threads: 1 x p.
    Inside a Slurm allocation of several nodes, shapes whose rank has more threads than one node
    has CPUs are left out."""
    if which == "ranks":
        shapes = [(p, 1)]
    elif which == "threads":
        shapes = [(1, p)]
    else:
        shapes = [(p // t, t) for t in range(1, p + 1) if p % t == 0]
    node_cpus = slurm_node_cpus()
    return [(r, t) for r, t in shapes if node_cpus is None or t <= node_cpus]


def weak_size(base, p, growth):
    if growth == "sqrt":
        return max(1, int(round(base * math.sqrt(p))))
    return base * p


# ---------------------------------------------------------------------------
# Running
# ---------------------------------------------------------------------------

def counts_for(args):
    """The sweep's worker counts: 1, 2, 4, ... --max-workers; with --hosts, --ranks-per-host on
    1, 2, ... H hosts."""
    if args.hosts:
        return [args.ranks_per_host * h for h in range(1, len(args.hosts) + 1)]
    return worker_counts(args.max_workers)


class Launcher:
    def __init__(self, mpiexec, use_srun, cpus, cores, hosts=None, ranks_per_host=1,
                 hostfile_dir=None):
        # --hosts: each shape's ranks on the first hosts, ranks_per_host on each (a hostfile).
        self.hosts = hosts or []
        self.ranks_per_host = ranks_per_host
        self.hostfile_dir = hostfile_dir
        self.mpiexec = shlex.split(mpiexec)
        self.use_srun = use_srun
        self.cpus = cpus
        self.cores = cores
        self.srun_mpi = os.environ.get("SRUN_MPI") or "pmix"
        # A launcher command that already says how to bind keeps its own choice.
        self.own_binding = any(a.startswith(("--bind-to", "--map-by", "-bind-to", "-map-by",
                                             "--cpu-set", "--rankfile")) for a in self.mpiexec)

    def describe(self):
        if self.use_srun:
            return "srun --mpi=%s -n R -c T" % self.srun_mpi
        if self.hosts:
            return " ".join(self.mpiexec) + " --hostfile (%d rank(s) on each of the first hosts of %s) -n R" % (
                self.ranks_per_host, ",".join(self.hosts))
        return " ".join(self.mpiexec) + " -n R" + (
            " (its own binding options)" if self.own_binding else
            " (+ --map-by slot:PE=T --bind-to core; --bind-to none when oversubscribed)")

    def command(self, ranks, threads):
        if self.use_srun:
            return ["srun", "--mpi=" + self.srun_mpi, "-n", str(ranks), "-c", str(threads)]
        cmd = self.mpiexec + ["-n", str(ranks)]
        if self.hosts:
            used = self.hosts[:-(-ranks // self.ranks_per_host)]
            path = os.path.join(self.hostfile_dir or ".", "hostfile-%d" % len(used))
            with open(path, "w") as f:
                f.writelines("%s slots=%d\n" % (h, self.ranks_per_host) for h in used)
            cmd += ["--hostfile", path]
        workers = ranks * threads
        if not self.own_binding:
            if workers <= self.cores:
                cmd += ["--map-by", "slot:PE=%d" % threads, "--bind-to", "core"]
            elif workers <= self.cpus:
                cmd += ["--use-hwthread-cpus", "--map-by", "slot:PE=%d" % threads,
                        "--bind-to", "hwthread"]
            else:
                cmd += ["--bind-to", "none"]
        return cmd


def run_shape(launcher, binary, program_args, ranks, threads, repeats, timeout, idle_wait=0):
    """One launch with --repeat K --json; returns (runs as dicts, the command as text, the CPUs
    other processes kept busy meanwhile or None)."""
    cmd = launcher.command(ranks, threads) + [binary] + program_args + [
        "--threads", str(threads), "--repeat", str(repeats), "--json"]
    shown = " ".join(shlex.quote(c) for c in cmd)
    wait_idle(idle_wait)
    # Under srun the tasks are slurmstepd's children, not ours: no telling them from others.
    probe = None if launcher.use_srun else OthersProbe()
    runs = json_reports(run(cmd, timeout=timeout).stdout, shown)
    if len(runs) != repeats:
        raise BenchError("%s: expected %d JSON lines, got %d" % (shown, repeats, len(runs)))
    for one in runs:
        if one.get("ranks") != ranks or one.get("threads") != threads:
            raise BenchError("%s: the program reports %s ranks x %s threads, asked for %d x %d"
                             % (shown, one.get("ranks"), one.get("threads"), ranks, threads))
        if not isinstance(one.get("compute_seconds"), (int, float)):
            raise BenchError("%s: no compute_seconds in %r" % (shown, one))
    return runs, shown, probe.cpus() if probe else None


def result_text(value):
    """The result as canonical JSON (floats as Python's shortest round-trip repr: bit-exact)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


def result_cell(text):
    if len(text) <= 120:
        return text
    return "sha256:%s (%d chars)" % (hashlib.sha256(text.encode()).hexdigest()[:16], len(text))


def measure(args, spec, launcher, kind, ranks, threads, size, cache):
    """Median/min/max compute time of one shape at one size; cached by (ranks, threads, size)."""
    key = (ranks, threads, size)
    if key in cache:
        return dict(cache[key])
    program_args = list(spec["args"])
    if spec["option"]:
        program_args += [spec["option"], str(size)]
    program_args += shlex.split(args.args)
    tries = 1 + (0 if launcher.use_srun else max(0, args.retry_busy))
    row = None
    for attempt in range(1, tries + 1):
        runs, shown, others = run_shape(launcher, args.binary, program_args, ranks, threads,
                                        args.repeats, args.timeout,
                                        0 if launcher.use_srun else args.wait_idle)
        times = [float(r["compute_seconds"]) for r in runs]
        # Run k of every shape is compared with run k of 1x1 (a program may seed each run
        # differently).
        runs.sort(key=lambda r: r.get("run", 0))
        results = [result_text(r.get("result")) for r in runs]
        new = dict(ranks=ranks, threads=threads, workers=ranks * threads, size=size,
                   median_s=statistics.median(times), min_s=min(times), max_s=max(times),
                   wall_median_s=statistics.median(float(r.get("wall_seconds", 0.0))
                                                   for r in runs),
                   imbalance_median=statistics.median(float(r.get("imbalance", 1.0))
                                                      for r in runs),
                   results=results, result_full=results[0], command=shown, others_cpus=others)
        # Other processes matter when they and this shape together want more CPUs than there are.
        new["suspect"] = bool(others is not None and others > 0.25
                              and ranks * threads + others > launcher.cpus + 0.25)
        if new["suspect"]:
            log("WARNING: %dx%d ran while other processes kept %.1f CPUs busy: its times are "
                "suspect%s" % (ranks, threads, others,
                               "; running it again" if attempt < tries else ""))
        if row is None or (new["others_cpus"] or 0) < (row["others_cpus"] or 0):
            row = new
        if not new["suspect"]:
            break
    cache[key] = row
    log("%s %dx%d%s: median %.6g s (min %.6g, max %.6g)"
        % (kind, ranks, threads, "" if size is None else " size %d" % size, row["median_s"],
           row["min_s"], row["max_s"]))
    return dict(row)


def loud(msg):
    bar = "!" * 78
    sys.stderr.write("\n%s\n!!! RESULT MISMATCH: %s\n%s\n\n" % (bar, msg, bar))
    sys.stderr.flush()


# ---------------------------------------------------------------------------
# Sweeps
# ---------------------------------------------------------------------------

def sweep(args, spec, launcher, machine):
    counts = counts_for(args)
    cache = {}
    rows = []
    common = dict(program=args.program, size_option=spec["option"] or "", host=machine["host"],
                  cpus=machine["cpus"], cpu_model=machine["cpu_model"], date=machine["date"],
                  launcher=launcher.describe())

    def finish(row, kind):
        row.update(common)
        row["kind"] = kind
        row["oversubscribed"] = "yes" if row["workers"] > machine["cpus"] else "no"
        rows.append(row)
        return row

    strong = []
    if args.strong_shapes != "none":
        for p in counts:
            for r, t in shapes_for(p, args.strong_shapes):
                strong.append(finish(measure(args, spec, launcher, "strong", r, t,
                                             args.size, cache), "strong"))
        base = strong[0]["median_s"]
        reference = strong[0]["results"]
        for row in strong:
            row["speedup"] = base / row["median_s"] if row["median_s"] > 0 else None
            row["efficiency"] = row["speedup"] / row["workers"] if row["speedup"] else None
            if not spec["deterministic"]:
                row["result_matches"] = "n/a"
            elif row["results"] == reference:
                row["result_matches"] = "yes"
            else:
                row["result_matches"] = "DIFFERS"
        if spec["deterministic"]:
            bad = [r for r in strong if r["result_matches"] == "DIFFERS"]
            if bad:
                loud("%s strong sweep: results are NOT identical across splits.\n  1x1: %s\n%s"
                     % (args.program, " | ".join(reference),
                        "\n".join("  %dx%d: %s" % (r["ranks"], r["threads"],
                                                    " | ".join(r["results"])) for r in bad)))

    if args.weak_shapes != "none" and not spec["option"]:
        log("%s has no problem size: no weak sweep" % args.program)
    elif args.weak_shapes != "none":
        work = spec["work"]
        weak = []
        for p in counts:
            size = weak_size(args.weak_size, p, spec["weak"]) if spec["option"] else None
            for r, t in shapes_for(p, args.weak_shapes):
                weak.append(finish(measure(args, spec, launcher, "weak", r, t, size, cache),
                                   "weak"))
        base = weak[0]
        per_work_1 = base["median_s"] / (work(base["size"]) if spec["option"] else 1.0)
        for row in weak:
            # time per unit of work per worker against 1x1's: T(1)/T(p) when work grows exactly
            # with p
            share = (work(row["size"]) / row["workers"]) if spec["option"] else 1.0
            eff = per_work_1 * share / row["median_s"] if row["median_s"] > 0 else None
            row["efficiency"] = eff
            row["speedup"] = eff * row["workers"] if eff is not None else None
            row["result_matches"] = "n/a"
    return rows


CSV_FIELDS = ["program", "kind", "ranks", "threads", "workers", "size", "size_option", "median_s",
              "min_s", "max_s", "speedup", "efficiency", "result", "result_matches", "repeats",
              "wall_median_s", "imbalance_median", "others_cpus", "busy", "oversubscribed", "host",
              "cpus", "cpu_model", "date", "launcher", "command"]


def write_csv(path, rows, repeats):
    with open(path, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=CSV_FIELDS, extrasaction="ignore")
        w.writeheader()
        for row in rows:
            out = dict(row)
            out["result"] = result_cell(row["result_full"])
            out["repeats"] = repeats
            out["busy"] = "BUSY" if row.get("suspect") else "no"
            out["size"] = "" if row["size"] is None else row["size"]
            for k in ("median_s", "min_s", "max_s", "wall_median_s"):
                out[k] = "%.9g" % row[k]
            for k in ("speedup", "efficiency", "imbalance_median", "others_cpus"):
                out[k] = "" if row.get(k) is None else "%.4f" % row[k]
            w.writerow(out)
    log("wrote " + path)


def read_csv(path):
    rows = []
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            for k in ("ranks", "threads", "workers", "cpus"):
                row[k] = int(row[k])
            for k in ("median_s", "min_s", "max_s", "speedup", "efficiency"):
                row[k] = float(row[k]) if row.get(k) not in (None, "") else None
            row["size"] = int(row["size"]) if row.get("size") else None
            row["suspect"] = row.get("busy") == "BUSY"
            row["others_cpus"] = float(row["others_cpus"]) if row.get("others_cpus") else None
            rows.append(row)
    if not rows:
        raise BenchError("%s: no rows" % path)
    return rows


def human(n):
    """2e8 for 200000000; exact digits up to 6 digits or when not a round number."""
    text = str(n)
    if len(text) <= 6:
        return text
    m = re.fullmatch(r"([1-9][0-9]{0,2}?)(0{3,})", text)
    return "%se%d" % (m.group(1), len(m.group(2))) if m else text


def print_rows(rows):
    """The table of a sweep, under the CPU it ran on (from the rows: --plot-only reads a CSV)."""
    print("# CPU: %s" % (rows[0].get("cpu_model") or "unknown (a CSV written before it was kept)"))
    body = []
    for r in rows:
        mark = r.get("result_matches", "")
        body.append([r["kind"], "%dx%d" % (r["ranks"], r["threads"]), str(r["workers"]),
                     "-" if r["size"] is None else str(r["size"]), fmt(r["median_s"], ".4g"),
                     fmt(r["min_s"], ".4g"), fmt(r["max_s"], ".4g"), fmt(r.get("speedup"), ".2f"),
                     fmt(r.get("efficiency"), ".2f"),
                     {"yes": "same", "DIFFERS": "DIFFERS!", "n/a": "n/a"}.get(mark, mark)
                     + (" (oversub.)" if r.get("oversubscribed") == "yes" else "")
                     + (" BUSY %.1f" % r["others_cpus"] if r.get("suspect") else "")])
    print_table(["kind", "RxT", "workers", "size", "median s", "min s", "max s", "speedup",
                 "effic.", "result"], body)


# ---------------------------------------------------------------------------
# Plot (matplotlib imported here only)
# ---------------------------------------------------------------------------

def plot(rows, path):
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        raise BenchError("matplotlib is not installed: no plot (make scaling installs it into "
                         ".venv-scaling/; then: .venv-scaling/bin/python bench/scaling.py "
                         "--plot-only CSV)")
    first = rows[0]
    program, host, cpus, date = first["program"], first["host"], int(first["cpus"]), first["date"]
    workers = sorted({r["workers"] for r in rows})
    top = max(workers)
    fig, (ax_s, ax_e) = plt.subplots(1, 2, figsize=(12, 5.2))

    styles = [
        ("strong", "ranks only (p x 1)", lambda r: r["threads"] == 1, "C0", "o", "-"),
        ("strong", "threads only (1 x p)", lambda r: r["ranks"] == 1 and r["workers"] > 1,
         "C1", "s", "-"),
        ("strong", "ranks x threads mixes", lambda r: r["ranks"] > 1 and r["threads"] > 1,
         "C2", "^", ""),
        ("weak", "ranks only (p x 1)", lambda r: r["threads"] == 1, "C0", "o", "--"),
        ("weak", "threads only (1 x p)", lambda r: r["ranks"] == 1 and r["workers"] > 1,
         "C1", "s", "--"),
        ("weak", "ranks x threads mixes", lambda r: r["ranks"] > 1 and r["threads"] > 1,
         "C2", "^", ""),
    ]
    for kind, label, pick, color, marker, line in styles:
        pts = sorted((r for r in rows if r["kind"] == kind and pick(r)
                      and r.get("speedup") is not None), key=lambda r: r["workers"])
        if not pts:
            continue
        if line and pts[0]["workers"] > 1:   # lines start at the shared 1x1 baseline
            base = [r for r in rows if r["kind"] == kind and r["workers"] == 1]
            pts = base[:1] + pts
        xs = [r["workers"] for r in pts]
        face = color if kind == "strong" else "white"
        name = ("strong: " if kind == "strong" else "weak: ") + label
        for ax, key in ((ax_s, "speedup"), (ax_e, "efficiency")):
            ax.plot(xs, [r[key] for r in pts], linestyle=line or "none", marker=marker,
                    color=color, markerfacecolor=face, markersize=7, label=name)
    # every point of the strong sweep labelled with its shape
    for ax, key in ((ax_s, "speedup"), (ax_e, "efficiency")):
        for r in rows:
            if r["kind"] == "strong" and r.get(key) is not None:
                ax.annotate("%dx%d" % (r["ranks"], r["threads"]), (r["workers"], r[key]),
                            textcoords="offset points", xytext=(7, -3), fontsize=7, color="0.35")
    differs = [r for r in rows if r.get("result_matches") == "DIFFERS"]
    for i, r in enumerate(differs):
        for ax, key in ((ax_s, "speedup"), (ax_e, "efficiency")):
            ax.plot([r["workers"]], [r[key]], marker="x", color="red", markersize=12,
                    markeredgewidth=2, linestyle="none",
                    label="result differs from 1x1" if i == 0 else None)
    ax_s.plot([1, top], [1, top], color="0.4", linestyle=":", label="ideal")
    ax_e.axhline(1.0, color="0.4", linestyle=":", label="ideal")
    for ax in (ax_s, ax_e):
        ax.set_xscale("log", base=2)
        ax.set_xticks(workers)
        ax.set_xticklabels([str(w) for w in workers])
        ax.set_xlim(0.8, top * 1.35)
        ax.set_xlabel("workers p = ranks x threads")
        ax.grid(True, which="major", alpha=0.3)
        if top > cpus:
            ax.axvspan(cpus * 1.15, top * 1.35, color="0.85", alpha=0.6, zorder=0)
            ax.text(cpus * 1.2, 0.02, "more workers\nthan CPUs", transform=ax.get_xaxis_transform(),
                    fontsize=8, color="0.3", va="bottom")
    ax_s.set_yscale("log", base=2)
    ymax = max([top] + [r["speedup"] for r in rows if r.get("speedup")])
    ymin = min([1.0] + [r["speedup"] for r in rows if r.get("speedup")])
    ax_s.set_ylim(ymin / 1.4, ymax * 1.4)
    ticks = [2 ** k for k in range(int(math.floor(math.log2(ymin / 1.4))),
                                   int(math.ceil(math.log2(ymax * 1.4))) + 1)]
    ax_s.set_yticks(ticks)
    ax_s.set_yticklabels(["%g" % t for t in ticks])
    ax_s.set_ylabel("speedup T(1x1)/T(p)   (weak: p x efficiency)")
    ax_s.set_title("speedup")
    effs = [r["efficiency"] for r in rows if r.get("efficiency") is not None]
    ax_e.set_ylim(0, max(1.15, max(effs + [0]) * 1.1))
    ax_e.set_ylabel("parallel efficiency (strong: speedup/p, weak: T(1)/T(p))")
    ax_e.set_title("efficiency")
    ax_e.legend(fontsize=8, loc="lower left")
    sizes = sorted({r["size"] for r in rows if r["kind"] == "strong" and r["size"]})
    weak_sizes = sorted({r["size"] for r in rows if r["kind"] == "weak" and r["size"]})
    what = []
    if sizes:
        what.append("strong %s" % " ".join(
            "%s %s" % (first.get("size_option") or "size", human(n)) for n in sizes))
    if weak_sizes:
        what.append("weak %s..%s" % (human(weak_sizes[0]), human(weak_sizes[-1])))
    repeats = first.get("repeats", "")
    fig.suptitle("%s scaling on %s (%s), %s%s%s%s" % (
        program, host, first.get("cpu_model") or "%d CPUs" % cpus, date, (": " + ", ".join(what)) if what else "",
        (", median of %s runs" % repeats) if repeats else "",
        "\nRESULTS DIFFER BETWEEN SPLITS: %s" % " ".join(
            "%dx%d" % (r["ranks"], r["threads"]) for r in differs) if differs else ""),
        fontsize=11, color="red" if differs else "black")
    fig.tight_layout(rect=(0, 0, 1, 0.92 if differs else 0.95))
    fig.savefig(path, dpi=110)
    plt.close(fig)
    log("wrote " + path)


# ---------------------------------------------------------------------------
# Command line
# ---------------------------------------------------------------------------

def build_parser():
    p = argparse.ArgumentParser(
        description="Strong and weak scaling sweeps of one program: CSV, table and PNG.",
        epilog="programs and their size options: " + "; ".join(
            "%s %s (strong default %s)" % (n, s["option"] or "(none)", s["strong"])
            for n, s in SIZES.items()))
    p.add_argument("--program", choices=sorted(SIZES), help="the program to sweep")
    p.add_argument("--bin-dir", default=None, help="where the binaries are (default "
                   ".build/release, else the first of %s that has the program)"
                   % ", ".join(BIN_DIRS[1:]))
    p.add_argument("--mpiexec", default=os.environ.get("MPIEXEC") or DEFAULT_MPIEXEC,
                   help="launcher outside Slurm (default $MPIEXEC, else %r)" % DEFAULT_MPIEXEC)
    p.add_argument("--max-workers", type=int, default=None,
                   help="largest ranks x threads (default SLURM_NTASKS*SLURM_CPUS_PER_TASK in "
                   "an allocation, else the CPUs this process may use)")
    p.add_argument("--hosts", default=None, metavar="FILE",
                   help="hosts to spread the ranks over, one address or name per line: the "
                   "sweeps run --ranks-per-host ranks of one thread on 1, 2, ... all of them "
                   "(an Open MPI hostfile per shape; --mpiexec must reach the hosts). "
                   "make scaling SCALING_HOSTS=3 does it on simulated hosts")
    p.add_argument("--ranks-per-host", type=int, default=1, help="with --hosts (default 1)")
    p.add_argument("--repeats", type=int, default=3, help="runs per shape, one launch (default 3)")
    p.add_argument("--strong-shapes", choices=["all", "ranks", "threads", "none"],
                   default="all", help="shapes per worker count in the strong sweep: all "
                   "divisor pairs (default), p x 1, 1 x p, or no strong sweep")
    p.add_argument("--weak-shapes", choices=["all", "ranks", "threads", "none"],
                   default="all", help="the same for the weak sweep (default all)")
    p.add_argument("--weak-size", type=parse_size, default=None,
                   help="weak sweep's size at 1 worker (default: the strong size)")
    p.add_argument("--args", default="", help="extra program arguments, one string")
    p.add_argument("--out-dir", default="bench/results", help="default bench/results/")
    p.add_argument("--timeout", type=float, default=900.0, help="seconds per launch (default 900)")
    p.add_argument("--wait-idle", type=float, default=0, metavar="SECONDS",
                   help="before each launch (mpiexec only), wait up to SECONDS until other "
                   "processes leave the CPUs idle (a shared machine; default 0: do not wait)")
    p.add_argument("--retry-busy", type=int, default=2, metavar="N",
                   help="run a shape up to N more times while other processes used the CPUs it "
                   "needed (mpiexec only; default 2); the least disturbed launch counts")
    p.add_argument("--no-plot", action="store_true", help="CSV and table only")
    p.add_argument("--plot-only", metavar="CSV", help="draw the PNG of an earlier CSV and stop")
    for option in SIZE_OPTIONS:
        users = [n for n, s in SIZES.items() if s["option"] == option]
        p.add_argument(option, dest="size_" + option.strip("-").replace("-", "_"),
                       type=parse_size, default=None, metavar="N",
                       help="strong-sweep size for %s" % ", ".join(users))
    return p


def main(argv=None):
    parser = build_parser()
    args = parser.parse_args(argv)

    if args.plot_only:
        try:
            rows = read_csv(args.plot_only)
            print_rows(rows)
            plot(rows, os.path.splitext(args.plot_only)[0] + ".png")
        except (BenchError, OSError) as exc:
            sys.stderr.write("scaling.py: error: %s\n" % exc)
            return 1
        return 0

    if not args.program:
        parser.error("--program is required (one of: %s)" % ", ".join(sorted(SIZES)))
    spec = SIZES[args.program]
    for option in SIZE_OPTIONS:
        value = getattr(args, "size_" + option.strip("-").replace("-", "_"))
        if value is not None and option != spec["option"]:
            parser.error("%s is not a size option of %s (its size option: %s)"
                         % (option, args.program, spec["option"] or "none"))
    if args.repeats < 1:
        parser.error("--repeats must be at least 1")
    if args.strong_shapes == "none" and args.weak_shapes == "none":
        parser.error("nothing to do: both sweeps are 'none'")
    args.hosts_file = args.hosts
    if args.hosts:
        try:
            with open(args.hosts) as f:
                args.hosts = [line.split()[0] for line in f if line.strip() and not line.startswith("#")]
        except OSError as exc:
            parser.error("--hosts: %s" % exc)
        if not args.hosts or args.ranks_per_host < 1:
            parser.error("--hosts needs at least one host and --ranks-per-host at least 1")
        args.max_workers = len(args.hosts) * args.ranks_per_host
        args.strong_shapes = "none" if args.strong_shapes == "none" else "ranks"
        args.weak_shapes = "none" if args.weak_shapes == "none" else "ranks"
    if args.max_workers is None:
        args.max_workers = default_max_workers()
    if args.max_workers < 1:
        parser.error("--max-workers must be at least 1")
    size = None
    if spec["option"]:
        given = getattr(args, "size_" + spec["option"].strip("-").replace("-", "_"))
        size = given or spec["strong"]
    args.size = size
    if args.weak_size is None:
        args.weak_size = size
    elif not spec["option"]:
        parser.error("%s has no size option; --weak-size does not apply" % args.program)

    if args.bin_dir is None:
        args.bin_dir = next((d for d in BIN_DIRS if os.access(os.path.join(d, args.program),
                                                               os.X_OK)), BIN_DIRS[0])
    args.binary = os.path.join(args.bin_dir, args.program)
    if not os.access(args.binary, os.X_OK):
        sys.stderr.write("scaling.py: error: no program %s (build it first: make build)\n"
                         % args.binary)
        return 2

    if not args.mpiexec.strip():
        args.mpiexec = DEFAULT_MPIEXEC
    use_srun = in_slurm()
    cpus = affinity_cpus()
    if use_srun:
        ncpus = default_max_workers()
        cores = ncpus
    else:
        ncpus = len(cpus)
        cores = physical_cores(cpus)
    launcher = Launcher(args.mpiexec, use_srun, ncpus, cores, args.hosts,
                        args.ranks_per_host, os.path.dirname(os.path.abspath(args.hosts_file))
                        if args.hosts else None)
    now = datetime.datetime.now()
    machine = dict(host=socket.gethostname().split(".")[0], cpus=ncpus, cpu_model=cpu_model(),
                   date=now.strftime("%Y-%m-%d %H:%M"))
    if args.max_workers > ncpus:
        log("note: --max-workers %d is more than the %d CPUs here: the larger shapes are "
            "oversubscribed (their times show the drop, not the scaling)"
            % (args.max_workers, ncpus))

    log("%s: strong size %s, weak size %s per worker (%s), max workers %d, %d repeats, "
        "launcher: %s" % (args.program, size, args.weak_size, spec["note"], args.max_workers,
                          args.repeats, launcher.describe()))
    try:
        rows = sweep(args, spec, launcher, machine)
    except BenchError as exc:
        sys.stderr.write("scaling.py: error: %s\n" % exc)
        return 1

    os.makedirs(args.out_dir, exist_ok=True)
    stem = "%s-scaling-%s-%s" % (args.program, machine["host"], now.strftime("%Y%m%d-%H%M%S"))
    csv_path = os.path.join(args.out_dir, stem + ".csv")
    png_path = os.path.join(args.out_dir, stem + ".png")
    write_csv(csv_path, rows, args.repeats)

    print("# %s scaling on %s (%d CPUs), %s; median of %d runs per shape; size option %s; "
          "launcher: %s" % (args.program, machine["host"], ncpus, machine["date"], args.repeats,
                            spec["option"] or "none", launcher.describe()))
    print_rows(rows)
    status = 0
    differs = [r for r in rows if r.get("result_matches") == "DIFFERS"]
    if differs:
        print("RESULT MISMATCH: %d strong-sweep shape(s) report a result different from 1x1: %s"
              % (len(differs), ", ".join("%dx%d" % (r["ranks"], r["threads"]) for r in differs)))
        status = 3
    elif spec["deterministic"] and any(r["kind"] == "strong" for r in rows):
        print("results: identical across all %d strong-sweep shapes: %s"
              % (sum(r["kind"] == "strong" for r in rows), result_cell(rows[0]["result_full"])))
    suspect = sorted({"%s %dx%d" % (r["kind"], r["ranks"], r["threads"])
                      for r in rows if r.get("suspect")})
    if suspect:
        print("BUSY: %d shape(s) ran while other processes used the CPUs they needed (their "
              "times are too slow; rerun on an idle machine, or with --wait-idle 120): %s"
              % (len(suspect), ", ".join(suspect)))
    print("csv: " + csv_path)
    if not args.no_plot:
        for r in rows:
            r["repeats"] = args.repeats
        try:
            plot(rows, png_path)
            print("png: " + png_path)
        except BenchError as exc:
            sys.stderr.write("scaling.py: %s\n" % exc)
            status = status or 4
    return status


if __name__ == "__main__":
    sys.exit(main())
