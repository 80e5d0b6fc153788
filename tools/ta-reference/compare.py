#!/usr/bin/env python3
"""Compares two reference files written by generate.py: same rows, same empty cells, numbers
equal to 1e-12 relative (a different platform's libm may move a last digit). Exit 1 on a
difference, naming the first."""
import csv
import sys


def rows(path):
    with open(path, newline="") as f:
        return [r for r in csv.reader(f) if r and not r[0].startswith("#")]


def main(committed, fresh):
    a, b = rows(committed), rows(fresh)
    if len(a) != len(b) or a[0] != b[0]:
        sys.exit(f"{committed}: {len(a)} rows / header {a[0][:6]}..., regenerated: {len(b)} rows / {b[0][:6]}...")
    header = a[0]
    for ra, rb in zip(a[1:], b[1:]):
        for name, x, y in zip(header, ra, rb):
            if x == y:
                continue
            try:
                fx, fy = float(x), float(y)
            except ValueError:
                sys.exit(f"{ra[0]} bar {ra[1]} {name}: committed {x!r}, regenerated {y!r}")
            if abs(fx - fy) > 1e-12 * max(abs(fx), abs(fy)):
                sys.exit(f"{ra[0]} bar {ra[1]} {name}: committed {x}, regenerated {y}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
