"""vCard parse benchmark: bare vobject against Kith's reader over the same generated file.

Run: .venv/bin/python bench/bench_parse.py [--sizes 10000 100000] [--workers N]
Prints times, cards/s, the ratio and peak RSS; figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

import vobject

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.core.formats import ImportRecord, read_records
from bench.vcard_gen import write_vcards


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MB (Linux reports KB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bench(size: int, workers: int | None) -> None:
    """Time bare vobject and `read_records` over one file of `size` cards."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "cards.vcf"
        nbytes = write_vcards(path, size)
        start = time.perf_counter()
        with path.open(encoding="utf-8") as stream:
            bare = sum(1 for _ in vobject.readComponents(stream))
        t_bare = time.perf_counter() - start
        rss_bare = peak_rss_mb()
        start = time.perf_counter()
        records = list(read_records(path, workers=workers))
        t_kith = time.perf_counter() - start
        ok = sum(1 for r in records if isinstance(r, ImportRecord))
        del records
        print(f"{size:>7} cards ({nbytes / 2**20:.1f} MB)")
        print(f"  vobject.readComponents: {t_bare:7.2f} s  {bare / t_bare:8.0f} cards/s")
        print(f"  read_records:           {t_kith:7.2f} s  {ok / t_kith:8.0f} cards/s")
        print(f"  ratio kith/vobject:     {t_kith / t_bare:7.2f}")
        print(f"  peak RSS: vobject {rss_bare:.0f} MB, read_records {peak_rss_mb():.0f} MB")


def main() -> None:
    """Parse arguments and run the benchmark for each size."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--workers", type=int, default=None)
    args = parser.parse_args()
    for size in args.sizes:
        bench(size, args.workers)


if __name__ == "__main__":
    main()
