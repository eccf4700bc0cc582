#!/usr/bin/env python3
"""Prints one field of a program's JSON report (the first line of standard input that is one),
canonically (keys sorted, no spaces), so two reports can be compared with `=`.

    field.py result < output        the result, every bit of it (floats as Python repr them)
    field.py hosts < output
    field.py result.bytes < output  a key of every item of a list (pingpong's sizes: its
                                    latencies are timings, not results)
    field.py rank_hosts < output    whereami: the host of every rank, in rank order
Exit 1 when no report or no such field."""
import json
import sys


def main():
    path = sys.argv[1].split(".")
    for line in sys.stdin:
        if not line.startswith('{"program"'):
            continue
        value = json.loads(line)
        if path == ["rank_hosts"]:
            hosts = {}
            for item in value["result"]:
                hosts.setdefault(item["rank"], item["host"])
            value = [hosts[r] for r in sorted(hosts)]
        else:
            for key in path:
                value = [item[key] for item in value] if isinstance(value, list) else value[key]
        print(json.dumps(value, sort_keys=True, separators=(",", ":")))
        return 0
    return 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (KeyError, TypeError, ValueError):
        sys.exit(1)
