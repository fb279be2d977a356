"""Time the main steps of `iadef build` on the seed graph (median of several runs).

Usage: python benchmarks/build_bench.py [--runs N]
Prints one line per step; nothing is written to graph/ (output goes to a temp folder).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def median_seconds(step, runs: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs

    from iadef.curation.build import load, render
    from iadef.curation.dataset import build_dataset
    from iadef.curation.loader import load_seeds
    from iadef.curation.ontology import Ontology
    from iadef.paths import Project

    project = Project(ROOT)
    ontology = Ontology.load(project.ontology)
    seeds = load_seeds(project, ontology)
    dataset = build_dataset(seeds)
    out = Path(tempfile.mkdtemp())
    rows = [
        ("read ontology", median_seconds(lambda: Ontology.load(project.ontology), runs)),
        ("read + check seeds", median_seconds(lambda: load_seeds(project, ontology), runs)),
        ("build RDF dataset", median_seconds(lambda: build_dataset(seeds), runs)),
        ("serialise nq/trig/ttl", median_seconds(lambda: render(project, seeds, dataset, out), runs)),
        ("whole load()", median_seconds(lambda: load(project), runs)),
        (
            "`iadef --help` (process)",
            median_seconds(
                lambda: subprocess.run([sys.executable, "-m", "iadef", "--help"], check=True, capture_output=True), runs
            ),
        ),
        (
            "`iadef build` (process)",
            median_seconds(
                lambda: subprocess.run(
                    [sys.executable, "-m", "iadef", "--root", str(ROOT), "build", "--out", str(out)],
                    check=True,
                    capture_output=True,
                ),
                runs,
            ),
        ),
    ]
    print(f"seed graph: {len(seeds.records)} entities, {len(seeds.facts)} sourced facts; median of {runs} runs")
    for name, seconds in rows:
        print(f"  {name:28s} {seconds * 1000:8.1f} ms")


if __name__ == "__main__":
    main()
