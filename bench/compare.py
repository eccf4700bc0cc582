#!/usr/bin/env python3
"""Compare Swift MPI benchmark programs against their C references.

Usage:
    python3 bench/compare.py [--mpiexec CMD] [--runs N] [--json FILE] \
        PROGRAM [program options]

Programs (subcommands):
    pingpong     --swift BIN --c BIN [--args "extra args"]
    integrate2d, pi, parallel-map, collatz, euler, primes
                 --swift BIN --c BIN [--fast BIN] [--args "program args"] [--np 1,2]
                 [--bar R] [--c-args "C args"] [--other-generator] [--peer NAME]
                 compute-time ratio Swift/C per rank count (bar <= 1.00, or
                 R: 0.10 for "at least 10x faster than C"), and whether both
                 printed the same result to the last bit (not with
                 --other-generator: a peer for speed only, drawing other random
                 numbers); with --fast, also Swift against a C fast-math peer
                 (-O3 -march=native -ffast-math; bar <= 1.00), whose bits
                 differ: its time and accuracy are compared
    peer         --name NAME --swift "CMD" --peer "CMD" --bar RATIO
                 a Swift program (under mpiexec -n 1, --json) against another
                 tool's command, each printing its own compute time

Each program runs the C and the Swift binary alternately (C, Swift, C, ...),
every rank count in every round (C -n 1, Swift -n 1, C -n 2, Swift -n 2, ...)
under mpiexec, parses the numbers each run prints, takes per-key medians over
the runs, prints a table and verdict lines against fixed bars. Every table
names the CPU it was measured on and the load average before and after:
ratios hold on that machine. The exit status
is 0 even when a bar fails (this is a report); it is non-zero only when a run
fails or its output cannot be parsed (1), or on bad usage (2).

--settle S pauses S seconds before every run. On a virtual machine whose guest
hands freed memory back to the host (virtio-balloon free page reporting, about
2 s after the memory is freed), a run that touches much fresh memory is slower
when the memory the run before it freed has already gone back: the run that
starts sooner after the other's exit is favoured. make bench uses --settle 3
for parallel-map, which maps and frees 800 MB per run.

Adding a program: write `add_<name>_args(parser)` and `run_<name>(args)`
and register them in PROGRAMS below. The helpers shared with the other
bench scripts (run_mpi(), median(), ratio(), print_table(), print_machine())
are in benchlib.py; verdict() is here.
"""

import argparse
import json
import os
import re
import shlex
import sys

from benchlib import (BenchError, alternate_runs, fmt, load_average, median, print_machine,
                      print_table, ratio, run, run_mpi, set_log_prefix, write_json)

set_log_prefix("compare")


# ---------------------------------------------------------------------------
# Verdicts (the rest is in benchlib.py)
# ---------------------------------------------------------------------------

def verdict(name, value, bar, higher_is_better, against="C", quantity=None):
    """Print one verdict line and return a dict describing it.

    The value is Swift/`against` unless `quantity` names it otherwise.
    A missing value prints 'n/a' and counts as not passed.
    """
    op = ">=" if higher_is_better else "<="
    quantity = quantity or "Swift/%s" % against
    if value is None:
        passed = False
        text = "%s: %s = n/a (bar %s %.2f) FAIL (not measured)" % (
            name, quantity, op, bar)
    else:
        passed = value >= bar if higher_is_better else value <= bar
        text = "%s: %s = %.3f (bar %s %.2f) %s" % (
            name, quantity, value, op, bar, "PASS" if passed else "FAIL")
    print(text)
    return {"name": name, "ratio": value, "bar": bar, "op": op,
            "pass": passed}


# ---------------------------------------------------------------------------
# pingpong
# ---------------------------------------------------------------------------

PINGPONG_LINE = re.compile(r"^\s*(\d+)\s+([0-9.]+)\s+([0-9.]+)\s*$")
PINGPONG_BASE_ARGS = ["--min-size", "1", "--max-size", "16777216"]
PINGPONG_LAT_SIZE = 1
PINGPONG_LAT_BAR = 1.05       # Swift/C latency at 1 B must be <= this
PINGPONG_BW_SIZE = 1048576
PINGPONG_BW_BAR = 0.98        # Swift/C bandwidth at 1 MiB must be >= this


def parse_pingpong(text, label):
    """Return {bytes: (latency_us, bandwidth_MBps)} from a run's stdout."""
    data = {}
    for line in text.splitlines():
        m = PINGPONG_LINE.match(line)
        if not m:
            continue
        try:
            size = int(m.group(1))
            lat = float(m.group(2))
            bw = float(m.group(3))
        except ValueError:
            raise BenchError("%s: cannot parse line %r" % (label, line))
        if size in data:
            raise BenchError("%s: size %d reported twice" % (label, size))
        data[size] = (lat, bw)
    if not data:
        raise BenchError("%s: no 'bytes latency bandwidth' lines in output"
                         % label)
    return data


def pingpong_medians(results, label):
    """Per-size medians over runs: {bytes: (lat, bw)}."""
    sizes = set(results[0])
    for i, sizes_i in enumerate((set(r) for r in results[1:]), 2):
        if sizes_i != sizes:
            raise BenchError("%s: run %d reported sizes %s, run 1 %s"
                             % (label, i, sorted(sizes_i), sorted(sizes)))
    return {s: (median(r[s][0] for r in results),
                median(r[s][1] for r in results))
            for s in sorted(sizes)}


def add_pingpong_args(p):
    p.add_argument("--swift", required=True, help="Swift pingpong binary")
    p.add_argument("--c", required=True, dest="c_bin",
                   help="C reference binary (bench/pingpong.c)")
    p.add_argument("--args", default="",
                   help="extra arguments for both binaries, one string")
    p.add_argument("--np", type=int, default=2,
                   help="number of ranks (default 2)")


def run_pingpong(args):
    extra = shlex.split(args.args)
    binaries = {"c": args.c_bin, "swift": args.swift}
    argv = {name: [path] + PINGPONG_BASE_ARGS + extra
            for name, path in binaries.items()}

    def run_one(name, i):
        label = "%s run %d" % (name, i + 1)
        out = run_mpi(args.mpiexec, args.np, argv[name],
                      timeout=args.timeout, label=label)
        return parse_pingpong(out, label)

    load_before = load_average()
    raw = alternate_runs(args.runs, ["c", "swift"], run_one, settle=args.settle)
    med = {name: pingpong_medians(raw[name], name) for name in raw}

    sizes = sorted(set(med["c"]) | set(med["swift"]))
    rows = []
    table = []
    for s in sizes:
        c_lat, c_bw = med["c"].get(s, (None, None))
        s_lat, s_bw = med["swift"].get(s, (None, None))
        lat_r = ratio(s_lat, c_lat)
        bw_r = ratio(s_bw, c_bw)
        rows.append([str(s), fmt(c_lat, ".3f"), fmt(s_lat, ".3f"),
                     fmt(lat_r, ".3f"), fmt(c_bw, ".2f"), fmt(s_bw, ".2f"),
                     fmt(bw_r, ".3f")])
        table.append({"bytes": s,
                      "c": {"latency_us": c_lat, "bandwidth_MBps": c_bw},
                      "swift": {"latency_us": s_lat, "bandwidth_MBps": s_bw},
                      "latency_ratio": lat_r, "bandwidth_ratio": bw_r})

    print("# pingpong: medians of %d runs each, -n %d, mpiexec: %s"
          % (args.runs, args.np, args.mpiexec))
    print_machine(load_before)
    print_table(["bytes", "C lat_us", "Swift lat_us", "lat S/C",
                 "C MB/s", "Swift MB/s", "bw S/C"], rows)
    print()

    by_size = {row["bytes"]: row for row in table}
    lat_row = by_size.get(PINGPONG_LAT_SIZE, {})
    bw_row = by_size.get(PINGPONG_BW_SIZE, {})
    verdicts = [
        verdict("latency 1 B", lat_row.get("latency_ratio"),
                PINGPONG_LAT_BAR, higher_is_better=False),
        verdict("bandwidth 1 MiB", bw_row.get("bandwidth_ratio"),
                PINGPONG_BW_BAR, higher_is_better=True),
    ]

    if args.json:
        write_json(args.json, {
            "program": "pingpong",
            "runs": args.runs,
            "np": args.np,
            "mpiexec": args.mpiexec,
            "commands": argv,
            "medians": table,
            "verdicts": verdicts,
            "raw": {name: [{str(s): {"latency_us": v[0],
                                     "bandwidth_MBps": v[1]}
                            for s, v in sorted(one.items())}
                           for one in raw[name]]
                    for name in raw},
        })
    return 0


# ---------------------------------------------------------------------------
# integrate2d, pi, parallel-map: one number out, compute time compared
# ---------------------------------------------------------------------------

NUMERIC_BAR = 1.00            # Swift/C compute time must be <= this
C_LINE = re.compile(r"^(result|compute_seconds)\s+(\S+)\s*$")


def parse_c_numeric(text, label):
    """{'result': float, 'seconds': float} from a C reference's output."""
    found = {}
    for line in text.splitlines():
        m = C_LINE.match(line)
        if m:
            found[m.group(1)] = float(m.group(2))
    if "result" not in found or "compute_seconds" not in found:
        raise BenchError("%s: no result/compute_seconds lines in %r" % (label, text))
    return {"result": found["result"], "seconds": found["compute_seconds"]}


def parse_swift_numeric(text, label):
    """{'result': float, 'seconds': float} from a Swift program's --json line.

    A text result (euler's digits) is compared through its last 10 digits,
    which is what the C reference prints.
    """
    for line in text.splitlines():
        if line.startswith("{"):
            report = json.loads(line)
            result = report["result"]
            if isinstance(result, str):
                result = int(report["details"]["last_50"][-10:])
            exact = report.get("exact")
            return {"result": float(result),
                    "seconds": float(report["compute_seconds"]),
                    "exact": float(exact) if isinstance(exact, (int, float)) else None}
    raise BenchError("%s: no JSON report in %r" % (label, text))


def add_numeric_args(p):
    p.add_argument("--swift", required=True, help="Swift program binary")
    p.add_argument("--c", required=True, dest="c_bin", help="C reference binary")
    p.add_argument("--args", default="",
                   help="program arguments for both binaries, one string")
    p.add_argument("--np", default="1,2",
                   help="rank counts, comma-separated (default 1,2)")
    p.add_argument("--c-args", default="",
                   help="further arguments for the C binary only, one string")
    p.add_argument("--bar", type=float, default=NUMERIC_BAR,
                   help="Swift/C compute time must be <= this (default %.2f)" % NUMERIC_BAR)
    p.add_argument("--other-generator", action="store_true",
                   help="the C program draws other random numbers (a peer for speed "
                        "only): its result is not compared")
    p.add_argument("--peer", default=None,
                   help="what the C program is, in the verdict (default: C)")
    p.add_argument("--speedup-bar", type=float, default=None, metavar="X",
                   help="also a verdict on Swift's speedup from the first rank count to the last: "
                        "its time at the first over its time at the last, at least X")
    p.add_argument("--fast", default=None, metavar="BIN",
                   help="C fast-math peer (-O3 -march=native -ffast-math): its "
                        "bits differ, so its time and accuracy are compared")


def run_numeric(args):
    extra = shlex.split(args.args)
    rank_counts = [int(n) for n in args.np.split(",") if n]
    # One thread per rank for Swift, as the single-threaded C reference.
    argv = {"c": [args.c_bin] + extra + shlex.split(args.c_args),
            "swift": [args.swift] + extra + ["--threads", "1", "--json"]}
    parsers = {"c": parse_c_numeric, "swift": parse_swift_numeric,
               "fast": parse_c_numeric}
    variants = ["c", "swift"]
    if args.fast:
        argv["fast"] = [args.fast] + extra
        variants.append("fast")
    rows, table, verdicts = [], [], []
    peer = args.peer or os.path.basename(args.c_bin)
    load_before = load_average()
    # Every rank count in every round (C and Swift at 1 rank, then at 2, ...), so that a drift in the
    # machine's speed falls on all of them alike, the speedup from one rank count to another included.
    def run_one(key, i):
        name, np = key
        label = "%s -n %d run %d" % (name, np, i + 1)
        out = run_mpi(args.mpiexec, np, argv[name], timeout=args.timeout, label=label)
        return parsers[name](out, label)

    every = alternate_runs(args.runs, [(name, np) for np in rank_counts for name in variants],
                           run_one, settle=args.settle)
    for np in rank_counts:
        raw = {name: every[(name, np)] for name in variants}
        c_med = median(r["seconds"] for r in raw["c"])
        s_med = median(r["seconds"] for r in raw["swift"])
        results = {name: {r["result"] for r in raw[name]} for name in raw}
        same_bits = len(results["c"] | results["swift"]) == 1
        r = ratio(s_med, c_med)
        rows.append([str(np), fmt(c_med, ".4f"), fmt(s_med, ".4f"), fmt(r, ".3f"),
                     "n/a" if args.other_generator else "yes" if same_bits else "NO"])
        row = {"np": np, "c_seconds": c_med, "swift_seconds": s_med,
               "ratio": r, "same_result": same_bits,
               "results": {k: sorted(v) for k, v in results.items()},
               "raw": raw}
        verdicts.append(verdict("%s -n %d compute vs %s" % (args.program, np, peer), r, args.bar,
                                higher_is_better=False))
        if args.fast:
            f_med = median(r["seconds"] for r in raw["fast"])
            fast_ratio = ratio(s_med, f_med)
            swift_result = raw["swift"][0]["result"]
            exact = raw["swift"][0].get("exact")
            fast_result = median(r["result"] for r in raw["fast"])
            if exact is not None:
                accuracy = [fmt(abs(swift_result - exact), ".2e"),
                            fmt(abs(fast_result - exact), ".2e")]
            else:
                accuracy = ["-", fmt(abs(fast_result - swift_result), ".2e")]
            rows[-1] += [fmt(f_med, ".4f"), fmt(fast_ratio, ".3f")] + accuracy
            row.update({"fast_seconds": f_med, "fast_ratio": fast_ratio,
                        "exact": exact, "fast_result": fast_result})
            verdicts.append(verdict("%s -n %d compute vs C fast-math" % (args.program, np),
                                    fast_ratio, NUMERIC_BAR, higher_is_better=False,
                                    against="fast"))
        table.append(row)
    if args.speedup_bar is not None and len(table) > 1:
        speedup = ratio(table[0]["swift_seconds"], table[-1]["swift_seconds"])
        verdicts.append(verdict("%s speedup from %d to %d ranks" % (args.program, table[0]["np"], table[-1]["np"]),
                                speedup, args.speedup_bar, higher_is_better=True,
                                quantity="Swift -n %d / -n %d" % (table[0]["np"], table[-1]["np"])))

    print("# %s %s against %s: medians of %d runs each, Swift --threads 1, mpiexec: %s"
          % (args.program, " ".join(extra), peer, args.runs, args.mpiexec))
    print_machine(load_before)
    headers = ["ranks", "C s", "Swift s", "Swift/C", "same bits"]
    if args.fast:
        # The error against the exact answer where the program knows it, else |fast - Swift|.
        headers += ["fast s", "Swift/fast", "Swift error", "fast error"]
    print_table(headers, rows)
    print()
    if args.json:
        write_json(args.json, {"program": args.program, "runs": args.runs,
                               "commands": argv, "rows": table,
                               "verdicts": verdicts})
    return 0


# ---------------------------------------------------------------------------
# peer: a Swift program against another tool (primesieve, mpmath)
# ---------------------------------------------------------------------------

PEER_SECONDS = re.compile(r"^(?:compute_seconds|Seconds):?\s+([0-9.eE+-]+)\s*$")


def add_peer_args(p):
    p.add_argument("--name", required=True, help="what is compared, for the verdict")
    p.add_argument("--swift", required=True,
                   help="Swift command line, run under mpiexec -n 1 with --json")
    p.add_argument("--peer", required=True,
                   help="the other tool's command line; it prints 'Seconds: S' "
                        "or 'compute_seconds S'")
    p.add_argument("--bar", type=float, required=True,
                   help="Swift/peer time must be <= this")


def run_peer(args):
    def run_one(name, i):
        label = "%s run %d" % (name, i + 1)
        if name == "swift":
            out = run_mpi(args.mpiexec, 1, shlex.split(args.swift) + ["--json"],
                          timeout=args.timeout, label=label)
            return parse_swift_numeric(out, label)["seconds"]
        proc = run(shlex.split(args.peer), timeout=args.timeout, label=label,
                   stdout_only=False)
        for line in proc.stdout.splitlines():
            m = PEER_SECONDS.match(line.strip())
            if m:
                return float(m.group(1))
        raise BenchError("%s: no seconds in %r" % (label, proc.stdout))

    load_before = load_average()
    raw = alternate_runs(args.runs, ["peer", "swift"], run_one, settle=args.settle)
    peer_med, swift_med = median(raw["peer"]), median(raw["swift"])
    print("# %s: medians of %d runs each" % (args.name, args.runs))
    print_machine(load_before)
    print_table(["peer s", "Swift s", "Swift/peer"],
                [[fmt(peer_med, ".4f"), fmt(swift_med, ".4f"),
                  fmt(ratio(swift_med, peer_med), ".3f")]])
    r = ratio(swift_med, peer_med)
    op_ok = r is not None and r <= args.bar
    print("%s: Swift/peer = %s (bar <= %.2f) %s" % (
        args.name, fmt(r, ".3f"), args.bar, "PASS" if op_ok else "FAIL"))
    print()
    if args.json:
        write_json(args.json, {"name": args.name, "runs": args.runs,
                               "raw": raw, "ratio": r, "bar": args.bar})
    return 0


# ---------------------------------------------------------------------------
# Program registry and command line
# ---------------------------------------------------------------------------

# name -> (help, add_arguments(parser), run(args) -> exit status)
PROGRAMS = {
    "pingpong": ("ping-pong latency/bandwidth, ranks 0 and 1",
                 add_pingpong_args, run_pingpong),
    "integrate2d": ("midpoint rule for sin(x+y) on an n x n grid",
                    add_numeric_args, run_numeric),
    "pi": ("Monte Carlo pi with Philox4x32-10 darts",
           add_numeric_args, run_numeric),
    "parallel-map": ("the lessons' Pool.map driver, gathered to rank 0",
                     add_numeric_args, run_numeric),
    "collatz": ("Collatz steps of 1..N summed", add_numeric_args, run_numeric),
    "euler": ("e by the series, last digits compared",
              add_numeric_args, run_numeric),
    "primes": ("primes up to N counted", add_numeric_args, run_numeric),
    "peer": ("a Swift program against another tool", add_peer_args, run_peer),
}


def add_common_args(p, suppress):
    """Options accepted both before and after the program name."""
    d = (lambda v: argparse.SUPPRESS) if suppress else (lambda v: v)
    p.add_argument("--mpiexec", default=d("mpiexec"),
                   help="launcher command (default: mpiexec)")
    p.add_argument("--runs", type=int, default=d(7),
                   help="runs per binary (default 7)")
    p.add_argument("--json", default=d(None), metavar="FILE",
                   help="also write medians and ratios as JSON to FILE")
    p.add_argument("--timeout", type=float, default=d(600.0),
                   help="seconds allowed per run (default 600)")
    p.add_argument("--settle", type=float, default=d(0.0), metavar="SECONDS",
                   help="pause before every run, so each starts after the same idle time "
                        "(default 0; see the module's docstring)")


def build_parser():
    parser = argparse.ArgumentParser(
        description="Compare Swift MPI benchmarks against C references.")
    add_common_args(parser, suppress=False)
    sub = parser.add_subparsers(dest="program", metavar="PROGRAM")
    sub.required = True
    for name, (help_text, add_args, _) in PROGRAMS.items():
        p = sub.add_parser(name, help=help_text)
        add_common_args(p, suppress=True)
        add_args(p)
    return parser


def main(argv=None):
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    if not args.settle >= 0:
        parser.error("--settle must be a number of seconds, 0 or more")
    _, _, run_program = PROGRAMS[args.program]
    try:
        return run_program(args)
    except BenchError as exc:
        sys.stderr.write("compare.py: error: %s\n" % exc)
        return 1


if __name__ == "__main__":
    sys.exit(main())
