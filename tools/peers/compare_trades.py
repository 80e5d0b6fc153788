#!/usr/bin/env python3
"""Compare round-trip trade lists trade for trade.

    # compare JSON files (sma_trades.py --json output, or `strata backtest --json` output):
    tools/.venv/bin/python tools/peers/compare_trades.py A.json B.json [C.json ...]
    # or run both peer engines on a CSV and compare them:
    tools/.venv/bin/python tools/peers/compare_trades.py --data CSV [--fast 20 --slow 50]

Each input needs a "trades" array whose items have entry_time, entry_price, exit_time,
exit_price, qty (pnl optional). Times are compared after normalising to
'YYYY-MM-DDTHH:MM:SS' (a space or 'T' separator, a trailing 'Z', a date without time, unix
seconds or milliseconds are all accepted); prices and pnl are compared exactly unless --tol
is given (absolute tolerance). The first input is the reference. Exit status 0 when every
input matches the reference trade for trade, 1 otherwise.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import datetime, timezone


def norm_time(v):
    if v is None:
        return None
    if isinstance(v, (int, float)):
        secs = v / 1000.0 if abs(v) > 1e11 else float(v)
        return datetime.fromtimestamp(secs, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")
    s = str(v).strip().replace(" ", "T").rstrip("Z")
    if s.endswith("+00:00"):
        s = s[:-6]
    if "T" not in s:
        s += "T00:00:00"
    if "." in s:
        s = s.split(".")[0]
    return s


def norm(trades):
    out = []
    for t in trades:
        out.append({
            "entry_time": norm_time(t.get("entry_time")),
            "entry_price": t.get("entry_price"),
            "exit_time": norm_time(t.get("exit_time")),
            "exit_price": t.get("exit_price"),
            "qty": t.get("qty"),
            "pnl": t.get("pnl"),
        })
    return out


def same_num(a, b, tol):
    if a is None or b is None:
        return a is None and b is None
    return abs(float(a) - float(b)) <= tol


def compare(ref_name, ref, name, other, tol, check_pnl=True) -> list[str]:
    """Returns a list of human-readable differences (empty when identical)."""
    diffs = []
    a, b = norm(ref["trades"]), norm(other["trades"])
    if len(a) != len(b):
        diffs.append(f"{name}: {len(b)} trades, {ref_name}: {len(a)}")
    for i in range(max(len(a), len(b))):
        ta = a[i] if i < len(a) else None
        tb = b[i] if i < len(b) else None
        if ta is None or tb is None:
            diffs.append(f"  trade {i + 1}: only in {ref_name if tb is None else name}: {ta or tb}")
            continue
        bad = []
        for k in ("entry_time", "exit_time"):
            if ta[k] != tb[k]:
                bad.append(f"{k} {ta[k]} vs {tb[k]}")
        for k in ("entry_price", "exit_price", "qty") + (("pnl",) if check_pnl else ()):
            if not same_num(ta[k], tb[k], tol):
                bad.append(f"{k} {ta[k]} vs {tb[k]}")
        if bad:
            diffs.append(f"  trade {i + 1}: " + "; ".join(bad))
    return diffs


def summary(name, res):
    trades = res["trades"]
    closed = sum(1 for t in trades if t.get("exit_time") is not None)
    return f"{name}: {closed} closed, {len(trades) - closed} open"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("files", nargs="*", help="JSON results to compare (first is the reference)")
    ap.add_argument("--data", help="run both peer engines on this CSV and compare them")
    ap.add_argument("--fast", type=int, default=20)
    ap.add_argument("--slow", type=int, default=50)
    ap.add_argument("--tol", type=float, default=0.0, help="absolute tolerance for prices and pnl")
    ap.add_argument("--no-pnl", action="store_true", help="do not compare pnl")
    ap.add_argument("--max-diffs", type=int, default=20, help="differences shown per pair (0: all)")
    a = ap.parse_args(argv)

    results = []
    if a.data:
        sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
        import sma_trades

        df = sma_trades.load_csv(a.data)
        for e in sma_trades.ENGINES:
            results.append((e, sma_trades.result(e, a.data, df, a.fast, a.slow)))
    for f in a.files:
        with open(f) as fh:
            results.append((os.path.basename(f), json.load(fh)))
    if len(results) < 2:
        ap.error("need at least two results (files and/or --data)")

    ref_name, ref = results[0]
    print(summary(ref_name, ref))
    ok = True
    for name, res in results[1:]:
        print(summary(name, res))
        diffs = compare(ref_name, ref, name, res, a.tol, check_pnl=not a.no_pnl)
        if diffs:
            ok = False
            print(f"DIFFER {ref_name} vs {name}:")
            shown = diffs if a.max_diffs <= 0 else diffs[:a.max_diffs]
            print("\n".join(shown))
            if len(shown) < len(diffs):
                print(f"  ... {len(diffs) - len(shown)} more (--max-diffs 0 shows all)")
        else:
            print(f"MATCH {ref_name} vs {name}: every entry and exit (time, price, qty"
                  f"{', pnl' if not a.no_pnl else ''}) identical")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
