"""Median latency of every named query on rdflib and on pyoxigraph (seed graph).

Usage: python benchmarks/query_latency.py [--runs N] [--markdown]

Reads graph/iadef.nq (run `iadef build` first) plus the ontology graph, as the
`iadef query` commands do. Each figure is the median over N runs (default 5) of one
query on one engine, parsing included (the rdflib figure includes rdflib's own parse;
pyoxigraph parses inside `Store.query`); loading the graph and looking up the
parameters (the query's own example values) are measured once, apart. Queries that need
the network (SERVICE, FROM) are listed and skipped. Also checks that both engines return
the same rows.
"""

from __future__ import annotations

import argparse
import shlex
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    args = parser.parse_args()

    from iadef.errors import QueryError
    from iadef.paths import Project
    from iadef.sparql.catalogue import bind, bind_mode, load_catalogue, parse_param_args
    from iadef.sparql.guard import check
    from iadef.stores.opening import open_engine

    project = Project(ROOT)
    engines = {}
    for name in ("rdflib", "oxigraph"):
        start = time.perf_counter()
        engines[name] = open_engine(project, name)
        print(f"load graph/iadef.nq + ontology into {name}: {time.perf_counter() - start:.3f} s")
    print(f"median of {args.runs} runs per query, in milliseconds\n")

    rows: list[tuple[str, float | None, float | None, str]] = []
    for name, query in load_catalogue(project.queries).items():
        words = shlex.split(query.example)
        raw = parse_param_args([words[i + 1] for i, word in enumerate(words) if word == "--param"])
        try:
            check(query.text, name=name)
        except QueryError:
            rows.append((name, None, None, "needs the network: skipped"))
            continue
        times: dict[str, float] = {}
        answers = {}
        for engine_name, engine in engines.items():
            bindings = bind(query, raw, engine)
            constants = bind_mode(query.text) == "constants"  # as iadef.sparql.catalogue.execute binds them
            samples = []
            for _ in range(args.runs):
                start = time.perf_counter()
                answers[engine_name] = engine.query(query.text, bindings, constants=constants)
                samples.append(time.perf_counter() - start)
            times[engine_name] = statistics.median(samples) * 1000
        first, second = answers["rdflib"], answers["oxigraph"]
        same = "same rows" if sorted(first.rows, key=repr) == sorted(second.rows, key=repr) else "ROWS DIFFER"
        rows.append((name, times["rdflib"], times["oxigraph"], f"{len(first.rows)} rows, {same}"))

    width = max(len(r[0]) for r in rows)
    if args.markdown:
        print("| query | rdflib (ms) | pyoxigraph (ms) | rows |\n|---|---:|---:|---|")
    for name, rdflib_ms, oxigraph_ms, note in rows:
        if rdflib_ms is None or oxigraph_ms is None:
            print(f"| {name} | – | – | {note} |" if args.markdown else f"{name.ljust(width)}  {note}")
        elif args.markdown:
            print(f"| {name} | {rdflib_ms:.1f} | {oxigraph_ms:.2f} | {note} |")
        else:
            print(f"{name.ljust(width)}  rdflib {rdflib_ms:8.1f}  pyoxigraph {oxigraph_ms:7.2f}  {note}")


if __name__ == "__main__":
    main()
