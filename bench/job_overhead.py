#!/usr/bin/env python3
"""What progress and checkpoints cost: each program alone, with --progress, and with --progress and
--checkpoint every few seconds, runs interleaved, the fastest run's compute and wall seconds, ratios to the
plain run in the same session. Then the cost of one checkpoint: runs that save after every round
(--checkpoint-every 0.001) against runs with the same rounds and no saves (--progress 0.001), the
difference divided by the number of rounds (one progress line each).

    python3 bench/job_overhead.py --bin .build/release [--np 2] [--runs 5] [--only pi,collatz]
                                  [--progress 10] [--every 10]
"""
import argparse
import json
import os
import shlex
import shutil
import statistics
import sys
import tempfile

from benchlib import BenchError, json_reports, load_average, mpi_command, print_machine, run, set_log_prefix

set_log_prefix("job_overhead")

# The sizes of `make bench`.
PROGRAMS = {
    "pi": "--darts 2e8",
    "integrate2d": "--bins 10000",
    "primes": "--limit 1e10",
    "primes-trial": "--limit 1e6 --method trial --schedule cyclic",
    "collatz": "--limit 1e7",
    "euler": "--trials 1e8",
}


def run_json(mpiexec, np, argv):
    """One run's JSON report, and how many progress lines it printed."""
    proc = run(mpi_command(mpiexec, np, argv + ["--json"]), timeout=1200)
    report = json_reports(proc.stdout, " ".join(argv))[0]
    lines = sum(1 for line in proc.stderr.splitlines() if "% done" in line)
    return report, lines


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--bin", required=True, help="folder of the built programs")
    p.add_argument("--mpiexec", default=os.environ.get("MPIEXEC", "mpiexec --oversubscribe"))
    p.add_argument("--np", type=int, default=2)
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--only", default="", help="comma-separated subset of: " + ", ".join(PROGRAMS))
    p.add_argument("--progress", default="10", help="--progress SECONDS of the measured runs")
    p.add_argument("--every", default="10", help="--checkpoint-every SECONDS of the measured runs")
    args = p.parse_args()
    chosen = [n for n in PROGRAMS if not args.only or n in args.only.split(",")]
    folder = tempfile.mkdtemp(prefix="job-overhead-")
    ckpt = os.path.join(folder, "bench.ckpt")
    variants = {
        "plain": [],
        "progress": ["--progress", args.progress],
        "progress+checkpoint": ["--progress", args.progress, "--checkpoint", ckpt, "--checkpoint-every", args.every],
        "rounds": ["--progress", "0.001"],
        "rounds+saves": ["--progress", "0.001", "--checkpoint", ckpt, "--checkpoint-every", "0.001"],
    }
    print("# what --progress %s and --checkpoint every %s s cost, -n %d, the fastest of %d runs each"
          % (args.progress, args.every, args.np, args.runs))
    load_before = load_average()
    try:
        for name in chosen:
            program = name.split("-")[0]
            base = [os.path.join(args.bin, program)] + shlex.split(PROGRAMS[name])
            seconds = {v: [] for v in variants}
            walls = {v: [] for v in variants}
            rounds = []
            results = set()
            for _ in range(args.runs):
                for variant, extra in variants.items():
                    report, lines = run_json(args.mpiexec, args.np, base + extra)
                    seconds[variant].append(report["compute_seconds"])
                    walls[variant].append(report["wall_seconds"])
                    results.add(json.dumps([report["result"], report["details"]]))
                    if variant == "rounds+saves":
                        rounds.append(lines)
            # The fastest run of each: on a shared machine the others measure the neighbours' load.
            best = {v: min(seconds[v]) for v in variants}
            wall = {v: min(walls[v]) for v in variants}
            per_save = (best["rounds+saves"] - best["rounds"]) / max(1, statistics.median(rounds))
            print("%-13s np %d  plain %.3f s  progress %.4f  progress+checkpoint %.4f  (wall %.4f %.4f)  "
                  "0.1-s rounds %.4f  one checkpoint %.2f ms (%d rounds)  same bits: %s" % (
                      name, args.np, best["plain"], best["progress"] / best["plain"],
                      best["progress+checkpoint"] / best["plain"], wall["progress"] / wall["plain"],
                      wall["progress+checkpoint"] / wall["plain"], best["rounds"] / best["plain"], per_save * 1000, statistics.median(rounds),
                      "yes" if len(results) == 1 else "NO " + str(results)))
            sys.stdout.flush()
    except BenchError as exc:
        sys.stderr.write("job_overhead.py: error: %s\n" % exc)
        return 1
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print_machine(load_before)
    return 0


if __name__ == "__main__":
    sys.exit(main())
