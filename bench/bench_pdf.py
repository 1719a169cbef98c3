"""Benchmark of the annex PDFs: wall time, peak memory and pages for plans of 300/1,000/3,000
projects (realistic Thai text from tests/pdf_fixtures.bench_document).

Each measurement runs in a fresh subprocess so its memory peak is its own.  Reported:
  render s   rendering time, fonts loaded and the word dictionary warm (a running server)
  cold s     the same plus interpreter start, imports, font loading and dictionary build
  rss MB     peak resident set of the subprocess (everything: Python, libraries, data)
  traced MB  peak of Python allocations during the render (tracemalloc, separate run)

Usage:  .venv/bin/python bench/bench_pdf.py [--sizes 300,1000,3000] [--forms p02,p01,p03]
                                            [--no-trace] [--extraction]
A form "a-p02" is that form as an amendment annex, every project with a 300-character reason.
Targets on the 2-core dev box: ผ.02 of 3,000 projects <= 10 s and <= 150 MB, linear growth.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = r"""
import json, resource, sys, time, tracemalloc
t0 = time.perf_counter()
sys.path.insert(0, {root!r})
sys.path.insert(0, {tests!r})
from pdf_fixtures import bench_document, with_reasons
from forum.pdf import renderer_for
from forum.pdf import fonts, thai_text
fonts.register_fonts()
thai_text.units("ผู้ใหญ่บ้านปั้นน้ำ")  # load the word list
form = {form!r}.removeprefix("a-")
doc = bench_document({n}, form=form)
if {form!r}.startswith("a-"):
    with_reasons(doc)
if {trace}:
    tracemalloc.start()
t1 = time.perf_counter()
renderer = renderer_for(doc)
data = renderer.render()
t2 = time.perf_counter()
traced = tracemalloc.get_traced_memory()[1] if {trace} else 0
with open({out!r}, "wb") as fh:
    fh.write(data)
print(json.dumps({{
    "render": t2 - t1,
    "cold": t2 - t0,
    "rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    "traced": traced / 2**20,
    "pages": renderer.page_count,
    "bytes": len(data),
    "projects": sum(1 for p in doc.projects() if form == "p01" or p.kind == form),
}}))
"""


def run(n: int, form: str, trace: bool, out: str) -> dict:
    code = CHILD.format(
        root=str(ROOT), tests=str(ROOT / "tests"), n=n, form=form, trace=trace, out=out
    )
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=False
    )
    if proc.returncode:
        sys.stderr.write(proc.stderr)
        raise SystemExit(f"benchmark child failed for {form} n={n}")
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    result["process"] = time.perf_counter() - start
    return result


def extraction_share(n: int, path: str) -> float:
    """Share of the cell words of the ผ.02 found in `pdftotext -raw` of the PDF."""
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "tests"))
    from pdf_fixtures import bench_document, pdftotext, squash

    from forum.pdf import thai_text

    doc = bench_document(n)
    flat = squash(pdftotext(path))
    words = []
    for p in doc.projects():
        if p.kind != "p02":
            continue
        for field in ("title", "objective", "target", "kpi", "expected_result", "responsible_unit"):
            for chunk in thai_text.clean(getattr(p, field)).split():
                words += thai_text.units(chunk)
    found = sum(1 for w in words if w in flat)
    return found / len(words), len(words)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--sizes", default="300,1000,3000")
    ap.add_argument("--forms", default="p02,p01,p03")
    ap.add_argument("--no-trace", action="store_true", help="skip the tracemalloc runs")
    ap.add_argument("--extraction", action="store_true", help="measure text extraction share")
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    forms = args.forms.split(",")
    tmp = tempfile.mkdtemp(prefix="bench_pdf_")
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, output in {tmp}")
    header = (
        f"{'form':6} {'projects':>8} {'pages':>6} {'render s':>9} {'cold s':>7} "
        f"{'rss MB':>7} {'traced MB':>9} {'MB file':>8} {'ms/proj':>8}"
    )
    print(header)
    print("-" * len(header))
    results: dict[tuple[str, int], dict] = {}
    for form in forms:
        for n in sizes:
            out = os.path.join(tmp, f"{form}-{n}.pdf")
            r = run(n, form, False, out)
            if not args.no_trace:
                r["traced"] = run(n, form, True, out + ".traced.pdf")["traced"]
            results[(form, n)] = r
            per = r["render"] / max(1, r["projects"]) * 1000
            print(
                f"{form:6} {r['projects']:>8} {r['pages']:>6} {r['render']:>9.2f} "
                f"{r['cold']:>7.2f} {r['rss']:>7.0f} {r['traced']:>9.1f} "
                f"{r['bytes'] / 2**20:>8.2f} {per:>8.2f}",
                flush=True,
            )
    lo, hi = min(sizes), max(sizes)
    for form in forms:
        if (form, lo) in results and (form, hi) in results and lo != hi:
            a, b = results[(form, lo)], results[(form, hi)]
            print(
                f"{form}: {hi}/{lo} ratio: time x{b['render'] / a['render']:.2f} "
                f"(projects x{b['projects'] / max(1, a['projects']):.1f}), "
                f"pages x{b['pages'] / a['pages']:.2f}, rss x{b['rss'] / a['rss']:.2f}"
            )
    if args.extraction and "p02" in forms:
        share, total = extraction_share(hi, os.path.join(tmp, f"p02-{hi}.pdf"))
        print(f"p02 {hi}: {share:.4%} of {total} cell words found by pdftotext -raw")


if __name__ == "__main__":
    main()
