"""Bench: reading a 10-page scanned plan by OCR (issue 17: under 60 s on this machine).

    .venv/bin/python bench/plan_ocr.py

Builds the scan as the OCR tests do (seed 000, ten pages typeset by WeasyPrint, each page
speckled, skewed, stamped and signed, saved as an image-only PDF), then times
``read_file`` on it: wall time, the CPU time of Tesseract (children), and the machine's
load average, since the machine is shared.  Prints one line; docs/plans.md records it."""
import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "htxnu.settings")

import django

django.setup()

from htxnu.plans.extraction import extract_plan, read_file  # noqa: E402
from htxnu.plans.tests.scans import scan_pdf  # noqa: E402
from htxnu.plans.tests.test_extraction import shared_dir, to_pdf  # noqa: E402


def main() -> None:
    seed = shared_dir() / "seeds" / "000_4cb31c63fd5f9db4.txt"
    scan = scan_pdf(to_pdf(seed.read_text(encoding="utf-8")))
    load = os.getloadavg()[0]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    own = resource.getrusage(resource.RUSAGE_SELF)
    start = time.perf_counter()
    pages: list[int] = []
    reading = read_file(scan, "scan.pdf", progress=lambda done, total: pages.append(total))
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    mine = resource.getrusage(resource.RUSAGE_SELF)
    own_cpu = (mine.ru_utime - own.ru_utime) + (mine.ru_stime - own.ru_stime)
    plan = extract_plan(reading.text, source=seed.name)
    print(f"OCR of a {pages[-1]}-page scan: {wall:.1f} s wall, {cpu:.1f} s CPU in Tesseract, "
          f"{own_cpu:.1f} s in Python, "
          f"load average {load:.1f} at the start, {os.getloadavg()[0]:.1f} at the end "
          f"({os.cpu_count()} CPUs); {len(plan['targets'])} targets extracted")


if __name__ == "__main__":
    main()
