"""Duplicate benchmark: pair precision, recall and F1, scan time, peak memory, incremental check.

Run: .venv/bin/python bench/bench_dedupe.py [--sizes 10000 100000] [--checks 200]
       [--style "address book"|register] [--duplicates 0.05]
The register style has only names, an address and a date of birth, like FEBRL's data.
Each size runs in its own process, so that its peak memory (ru_maxrss) is its own. The scan's
CPU time is printed beside its wall time: on a shared machine the wall time also counts
waiting. The labels come from the generator (bench/dedupe_gen.py); the matcher never sees them,
and its threshold (a 0.5 posterior) is fixed beforehand. Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import statistics
import subprocess
import sys
import time
from itertools import combinations
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.core.dedupe import DuplicateIndex, scan
from bench.dedupe_gen import generate


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(size: int, checks: int, style: str, share: float) -> dict[str, float]:
    """Generate `size` contacts, scan them, check some incrementally; the figures."""
    book = generate(size, style=style, duplicate_share=share)
    rss_before = _rss_mb()
    start, cpu = time.perf_counter(), time.process_time()
    groups = scan(book.contacts)
    scan_s, scan_cpu_s = time.perf_counter() - start, time.process_time() - cpu
    rss_scan = _rss_mb()
    found = {pair for g in groups for pair in combinations(g.ids, 2)}
    truth = book.true_pairs()
    hits = len(found & truth)
    precision = hits / len(found) if found else 1.0
    recall = hits / len(truth) if truth else 1.0
    f1 = 2 * precision * recall / (precision + recall) if hits else 0.0

    start = time.perf_counter()
    index = DuplicateIndex(book.contacts)
    build_s = time.perf_counter() - start
    times = []
    rng = random.Random(5)
    for contact in rng.sample(book.contacts, min(checks, size)):
        start = time.perf_counter()
        index.check(contact)
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return {
        "contacts": size,
        "true_pairs": len(truth),
        "found_pairs": len(found),
        "groups": len(groups),
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "scan_s": scan_s,
        "scan_cpu_s": scan_cpu_s,
        "rss_before_scan_mb": rss_before,
        "rss_peak_mb": rss_scan,
        "index_build_s": build_s,
        "check_median_ms": statistics.median(times),
        "check_p95_ms": times[int(len(times) * 0.95) - 1],
        "check_max_ms": times[-1],
    }


def main() -> None:
    """Run each size in a child process and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--checks", type=int, default=200)
    parser.add_argument("--style", default="address book", choices=["address book", "register"])
    parser.add_argument("--duplicates", type=float, default=0.05)
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(args.one, args.checks, args.style, args.duplicates)))
        return
    for size in args.sizes:
        out = subprocess.run(
            [
                sys.executable,
                __file__,
                "--one",
                str(size),
                "--checks",
                str(args.checks),
                "--style",
                args.style,
                "--duplicates",
                str(args.duplicates),
            ],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        r = json.loads(out.strip().splitlines()[-1])
        print(
            f"{size:>7} contacts, {r['true_pairs']} true pairs: "
            f"precision {r['precision']:.4f} recall {r['recall']:.4f} F1 {r['f1']:.4f} "
            f"({r['found_pairs']} pairs in {r['groups']} groups)\n"
            f"         scan {r['scan_s']:.2f} s ({r['scan_cpu_s']:.2f} s of CPU), "
            f"peak RSS {r['rss_peak_mb']:.0f} MB "
            f"({r['rss_before_scan_mb']:.0f} MB before the scan, contacts included); "
            f"index build {r['index_build_s']:.2f} s, "
            f"check median {r['check_median_ms']:.2f} ms "
            f"p95 {r['check_p95_ms']:.2f} ms max {r['check_max_ms']:.2f} ms"
        )


if __name__ == "__main__":
    main()
