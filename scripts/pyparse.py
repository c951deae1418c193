#!/usr/bin/env python3
"""Reference time for the org-scale benchmark (docs/benchmarks.md): how long Python's `json`
takes merely to read and parse every `.json` file of a snapshot, best of N runs.

Usage:  python3 scripts/pyparse.py SNAPSHOT_DIR [--runs 3]

Prints one line: `<seconds> s  <files> files  <bytes> bytes` (the best run's wall time).
"""

import argparse
import json
import os
import sys
import time


def files_of(root):
    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(filenames):
            if name.endswith(".json"):
                out.append(os.path.join(dirpath, name))
    return out


def parse_all(paths):
    total = 0
    for path in paths:
        with open(path, "rb") as f:
            data = f.read()
        total += len(data)
        json.loads(data)
    return total


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("snapshot")
    p.add_argument("--runs", type=int, default=3)
    args = p.parse_args(argv)
    paths = files_of(args.snapshot)
    if not paths:
        sys.exit(f"{args.snapshot}: no .json files")
    best = None
    size = 0
    for _ in range(max(1, args.runs)):
        t = time.perf_counter()
        size = parse_all(paths)
        elapsed = time.perf_counter() - t
        best = elapsed if best is None else min(best, elapsed)
    print(f"{best:.3f} s  {len(paths)} files  {size} bytes")


if __name__ == "__main__":
    main()
