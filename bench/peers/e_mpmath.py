#!/usr/bin/env python3
"""e_mpmath.py - the Python peer of the series method of Sources/euler: e to D decimals with
mpmath, whose arithmetic runs on GMP through gmpy2 when gmpy2 is installed (mpmath's "gmpy"
backend; Debian: apt-get install python3-mpmath python3-gmpy2, then run Debian's /usr/bin/python3).

Usage: python3 bench/peers/e_mpmath.py [--digits D]      (default 1,000,000)

Timed: evaluating e at D + 10 significant digits (mpmath sums the same series, 1/k!, by binary
splitting) and converting it to a decimal string, in one fresh process (mpmath caches constants).
The string is truncated to "2." and D decimals, as Sources/euler prints them.

Prints:
    e-mpmath: backend gmpy (mpmath X, gmpy2 Y)
    digits D
    compute_seconds S
    last_digits <the last 50 of the D decimals>
Exit status 1 when the backend is not gmpy (pure-Python mpmath is not the peer), 2 on bad usage.
"""

import argparse
import sys
import time


def main():
    parser = argparse.ArgumentParser(description="e to D decimals with mpmath (gmpy2 backend)")
    parser.add_argument("--digits", type=int, default=1_000_000, help="decimals of e (default 1000000)")
    args = parser.parse_args()
    if args.digits < 1:
        parser.error("--digits must be at least 1")

    try:
        import mpmath
    except ImportError:
        sys.exit("e-mpmath: mpmath is missing: apt-get install python3-mpmath python3-gmpy2, "
                 "and run it with /usr/bin/python3 (%s has no mpmath)" % sys.executable)
    backend = mpmath.libmp.BACKEND
    if backend != "gmpy":
        sys.exit("e-mpmath: mpmath's backend is %r, not 'gmpy': install gmpy2 for %s "
                 "(Debian: python3-gmpy2, with /usr/bin/python3)" % (backend, sys.executable))
    import gmpy2
    print("e-mpmath: backend gmpy (mpmath %s, gmpy2 %s)" % (mpmath.__version__, gmpy2.version()))

    digits = args.digits
    guard = 10
    mpmath.mp.dps = digits + guard
    start = time.perf_counter()
    text = str(+mpmath.e)            # evaluate at the working precision, then to decimal
    seconds = time.perf_counter() - start

    if not text.startswith("2.") or len(text) < 2 + digits + 1:
        sys.exit("e-mpmath: unexpected output %r..." % text[:20])
    tail = text[2 + digits:]
    if set(tail) <= {"0"}:            # a rounding carry could have reached the last decimal kept
        print("e-mpmath: warning: the %d guard digits are all 0; decimal %d may be rounded up"
              % (len(tail), digits), file=sys.stderr)
    decimals = text[2:2 + digits]
    print("digits %d" % digits)
    print("compute_seconds %.9f" % seconds)
    print("last_digits %s" % decimals[-50:])


if __name__ == "__main__":
    main()
