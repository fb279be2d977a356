"""Named-query latency of two revisions of iadef on the same synthetic graph, measured in turns.

Usage::

    python benchmarks/queries_before_after.py --before REV [--after REV] [--quads 1000000]
                                              [--stores oxigraph oxigraph-disk] [--rounds 3] [--work DIR]

Each revision is extracted with ``git archive`` (``--after`` defaults to the working tree)
and measured in its own processes, one per (revision, store, round), the two revisions
taking turns, so that both see the same load on a shared machine. A process opens the
synthetic graph (``benchmarks/synth.py``, generated once; the on-disk store is loaded once per
revision, as that revision loads it) and times every named query of its own ``queries/``
with the code path of ``iadef query`` (``iadef.sparql.catalogue.execute``), parameters bound
to the hub and the mid actor as ``store_bench.py`` binds them, twice in each run: until the
engine hands the rows over (*plain*: what ``iadef query`` renders its table from) and until
they are rdflib terms as well (*rdflib*: what ``store_bench.py`` counted before it timed the
rows as the engine gives them). Each figure is the median of three runs in a process (one
for a run over ``--slow`` seconds); the table gives, per query, the median of the rounds and
their range, and whether both revisions returned the same number of rows.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
VALUES = {"actor": ("actor", "hub"), "entity": ("actor", "hub"), "place": ("city", "territory")}
CLASSES = ("Company", "Organization")


def child(tree: Path, graph: Path, store: str, folder: Path, slow: float) -> dict[str, Any]:
    """Time every named query of ``tree`` on ``graph``; runs inside the revision's own interpreter path."""
    sys.path.insert(0, str(tree / "src"))
    from rdflib import URIRef

    from iadef.namespaces import IADEF, ID
    from iadef.paths import Project
    from iadef.sparql.catalogue import execute, load_catalogue
    from iadef.sparql.guard import check
    from iadef.stores.opening import open_store
    from iadef.stores.setting import parse_spec

    spec = parse_spec("oxigraph" if store == "oxigraph" else f"oxigraph:{folder}", origin="bench", base=graph)
    engine = open_store(Project(graph), spec)
    params = json.loads((graph / "synth.json").read_text(encoding="utf-8"))["parameters"]
    found: dict[str, Any] = {}
    for name, query in load_catalogue(tree / "queries").items():
        if "SERVICE" in query.text:
            continue
        checked = check(query.text, name=name)
        kinds = {p.name: p.kind for p in query.parameters}
        for variant in ("mid", "hub") if kinds else ("-",):
            bindings: dict[str, URIRef] = {}
            for parameter, kind in kinds.items():
                if kind == "class":
                    bindings[parameter] = IADEF[CLASSES[variant == "hub"]]
                else:
                    bindings[parameter] = ID[params[VALUES[kind][variant == "hub"]]["key"]]
            plain: list[float] = []
            converted: list[float] = []
            while len(plain) < 3:
                start = time.perf_counter()
                answer = execute(checked, engine, bindings)
                rows = answer.size
                plain.append(time.perf_counter() - start)
                rows = len(answer.rows)
                converted.append(time.perf_counter() - start)
                if converted[-1] > slow:
                    break
            found[f"{name}|{variant}"] = {
                "plain": statistics.median(plain) * 1000,
                "rdflib": statistics.median(converted) * 1000,
                "rows": rows,
            }
    return found


def extract(rev: str, into: Path) -> Path:
    into.mkdir(parents=True, exist_ok=True)
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", rev], check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--before", help="git revision measured first in each round (required)")
    parser.add_argument("--after", help="git revision (default: the working tree)")
    parser.add_argument("--quads", type=int, default=1_000_000)
    parser.add_argument(
        "--stores", nargs="+", choices=("oxigraph", "oxigraph-disk"), default=["oxigraph", "oxigraph-disk"]
    )
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--slow", type=float, default=2.0, help="s: a run slower than this is not repeated")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "iadef-before-after")
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        tree, graph, store, folder = args.child
        print(json.dumps(child(Path(tree), Path(graph), store, Path(folder), args.slow)))
        return 0
    if not args.before:
        parser.error("--before is required")
    sys.path.insert(0, str(HERE))
    import synth

    graph = args.work / f"synth-{args.quads}"
    if not (graph / "synth.json").is_file():
        synth.generate(args.quads, graph)
    trees = {"before": extract(args.before, args.work / "before")}
    trees["after"] = extract(args.after, args.work / "after") if args.after else ROOT
    results: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for turn in range(args.rounds):
        for store in args.stores:
            for label, tree in trees.items():
                folder = args.work / f"store-{label}"  # loaded by the first round, re-opened by the next ones
                command = [sys.executable, __file__, "--slow", str(args.slow), "--child"]
                command += [str(tree), str(graph), store, str(folder)]
                done = subprocess.run(command, capture_output=True, text=True, env=_env(tree), check=False)
                if done.returncode:
                    sys.exit(f"{label} ({tree}) on {store} failed:\n{done.stderr}")
                results.setdefault((store, label), []).append(json.loads(done.stdout.splitlines()[-1]))
                print(f"round {turn + 1}: {store} {label} measured", file=sys.stderr, flush=True)
    print(table(results, args))
    return 0


def _env(tree: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(tree / "src")}


def table(results: dict[tuple[str, str], list[dict[str, Any]]], args: argparse.Namespace) -> str:
    after = args.after or "working tree"
    lines = [
        f"`python benchmarks/queries_before_after.py --before {args.before}"
        + (f" --after {args.after}" if args.after else "")
        + f" --quads {args.quads} --rounds {args.rounds}` (after: {after}); median of the rounds [range], ms",
        "",
        "| query | parameters | store | before, plain | before, rdflib | after, plain | after, rdflib | rows |",
        "|---|---|---|---:|---:|---:|---:|---|",
    ]
    for store in args.stores:
        before, later = results[(store, "before")], results[(store, "after")]
        for key in sorted(set(before[0]) | set(later[0])):
            name, variant = key.split("|")
            cells = []
            for rounds in (before, later):
                for form in ("plain", "rdflib"):
                    values = [r[key][form] for r in rounds if key in r]
                    cells.append(
                        f"{statistics.median(values):,.1f} [{min(values):,.0f}–{max(values):,.0f}]" if values else "–"
                    )
            counts = {r[key]["rows"] for rounds in (before, later) for r in rounds if key in r}
            same = f"{counts.pop():,}" if len(counts) == 1 else "differ: " + ", ".join(map(str, sorted(counts)))
            shown = "" if variant == "-" else variant
            lines.append(f"| {name} | {shown} | {store} | " + " | ".join(cells) + f" | {same} |")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
