#!/usr/bin/env python3
"""Static against dynamic schedule of one program, under one launcher (make bench-multinode runs
it across two simulated hosts).

Usage:
    python3 bench/schedules.py --mpiexec CMD --np N --runs K --name NAME \\
        --static "BIN ARGS" --dynamic "BIN ARGS" --expect faster|even

Runs the two commands alternately (static, dynamic, static, ...) K times each under
`CMD -n N ... --json`, takes the median of each one's `compute_seconds` (the slowest rank's compute
time), checks that both print the same `result`, and prints one verdict line:
    faster  uneven work: dynamic must be faster than static (ratio dynamic/static < 1)
    even    even work: dynamic within 5% of static (ratio <= 1.05)
Exit status 0 even when the verdict fails (a report); 1 when a run fails or the results differ,
2 on bad usage.
"""

import argparse
import shlex
import sys

from benchlib import BenchError, json_reports, load_average, median, print_machine, run_mpi, set_log_prefix

set_log_prefix("schedules")


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--mpiexec", required=True)
    p.add_argument("--np", type=int, default=2)
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--name", required=True)
    p.add_argument("--static", required=True, help="binary and options, static schedule")
    p.add_argument("--dynamic", required=True, help="binary and options, dynamic schedule")
    p.add_argument("--expect", choices=["faster", "even"], required=True)
    args = p.parse_args()
    times = {"static": [], "dynamic": []}
    results = {}
    load_before = load_average()
    try:
        for _ in range(args.runs):
            for kind in ("static", "dynamic"):
                command = shlex.split(getattr(args, kind)) + ["--json"]
                r = json_reports(run_mpi(args.mpiexec, args.np, command, timeout=600), kind)[0]
                times[kind].append(r["compute_seconds"])
                results.setdefault(kind, r["result"])
    except BenchError as exc:
        print("%s: FAIL (%s)" % (args.name, exc))
        return 1
    if results["static"] != results["dynamic"]:
        print("%s: FAIL (results differ: static %r, dynamic %r)"
              % (args.name, results["static"], results["dynamic"]))
        return 1
    static, dynamic = median(times["static"]), median(times["dynamic"])
    ratio = dynamic / static
    bar, passed = (("< 1.00", ratio < 1.0) if args.expect == "faster"
                   else ("<= 1.05", ratio <= 1.05))
    print("# %s, -n %d, medians of %d runs: static %.4f s, dynamic %.4f s (runs: static %s; dynamic %s)"
          % (args.name, args.np, args.runs, static, dynamic,
             " ".join("%.4f" % t for t in times["static"]),
             " ".join("%.4f" % t for t in times["dynamic"])))
    print_machine(load_before)
    print("%s: dynamic/static = %.3f (bar %s) %s" % (args.name, ratio, bar, "PASS" if passed else "FAIL"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
