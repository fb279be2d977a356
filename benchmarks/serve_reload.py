"""How long `iadef serve` takes to answer from a new build, and whether clients see errors meanwhile.

Usage: python benchmarks/serve_reload.py [--stores memory oxigraph oxigraph-disk] [--workers N]
                                         [--interval S] [--rounds R]

For each store: copies ontology/, queries/ and graph/ into a temporary project, starts the
server in this process (``iadef.serve.server.running``, port 0, ``--reload-interval S``), and
runs one client thread that counts the quads of the named graphs over and over. Then,
R times, replaces ``graph/iadef.nq`` the way ``iadef build`` does (a new file renamed over
the old one) with one more quad (a benchmark fixture in ``https://example.org/``, not a
fact), and measures the time from the rename to the first answer with the new count.

Prints, per store, the median and maximum of those times, the queries the client sent
during the run and the number of failed or wrong answers; exits 1 on any error. The time
includes up to two looks at the build (the watcher acts once a change has held for one
more look), so it is at least about ``S`` and at most about ``2 S`` plus the load.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
import urllib.parse
from http.client import HTTPConnection
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


def added(n: int) -> str:
    """The n-th benchmark fixture quad (not a fact)."""
    return (
        f"<https://example.org/iadef-bench/reload/{n}> <http://www.w3.org/2000/01/rdf-schema#label> "
        f'"reload benchmark fixture {n}" <https://example.org/iadef-bench/reload> .\n'
    )


def count(port: int) -> int | str:
    """The server's quad count, or what went wrong."""
    conn = HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        body = urllib.parse.urlencode({"query": COUNT})
        conn.request("POST", "/sparql", body=body, headers={"Content-Type": "application/x-www-form-urlencoded"})
        response = conn.getresponse()
        data = response.read()
        if response.status != 200:
            return f"{response.status}: {data[:200]!r}"
        return int(json.loads(data)["results"]["bindings"][0]["n"]["value"])
    except (OSError, ValueError, KeyError) as exc:
        return repr(exc)
    finally:
        conn.close()


def measure(kind: str, workers: int, interval: float, rounds: int) -> dict[str, object]:
    from iadef.paths import Project
    from iadef.serve.server import ServeConfig, running
    from iadef.stores.setting import StoreSpec

    with tempfile.TemporaryDirectory(prefix="iadef-reload-") as tmp:
        folder = Path(tmp)
        for name in ("ontology", "queries", "graph"):
            shutil.copytree(ROOT / name, folder / name)
        spec = StoreSpec(kind, path=folder / "store" if kind == "oxigraph-disk" else None)
        config = ServeConfig(port=0, workers=workers, quiet=True, reload_interval=interval)
        nquads = folder / "graph" / "iadef.nq"
        text = nquads.read_text(encoding="utf-8")
        with running(Project(folder), spec, config, log=lambda line: None) as server:
            first = count(server.port)
            if not isinstance(first, int):
                raise SystemExit(f"the server did not answer: {first}")
            errors: list[str] = []
            sent = [0]
            stop = threading.Event()

            def client() -> None:  # answers may only grow, one build after the other
                last = first
                while not stop.is_set():
                    answer = count(server.port)
                    sent[0] += 1
                    if not isinstance(answer, int) or not last <= answer <= first + rounds:
                        errors.append(f"after {last}: {answer}")
                    else:
                        last = answer

            thread = threading.Thread(target=client)
            thread.start()
            times: list[float] = []
            try:
                for n in range(1, rounds + 1):
                    text += added(n)
                    staged = nquads.with_name(".iadef.nq.bench")
                    staged.write_text(text, encoding="utf-8")
                    started = time.perf_counter()
                    os.replace(staged, nquads)
                    while count(server.port) != first + n:
                        if time.perf_counter() - started > 120:
                            errors.append(f"round {n}: the new build was not served within 120 s")
                            break
                        time.sleep(0.01)
                    times.append(time.perf_counter() - started)
                    time.sleep(interval * 3)
            finally:
                stop.set()
                thread.join()
            return {
                "store": kind,
                "median_s": statistics.median(times),
                "max_s": max(times),
                "client_queries": sent[0],
                "errors": errors,
                "reloads": server.reloads,
            }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stores", nargs="+", default=["memory", "oxigraph", "oxigraph-disk"])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--interval", type=float, default=0.2)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    failed = False
    print(f"reload of the seed graph, {args.workers} workers, looks every {args.interval:g} s, {args.rounds} rounds")
    for kind in args.stores:
        result = measure(kind, args.workers, args.interval, args.rounds)
        errors = result["errors"]
        assert isinstance(errors, list)
        failed |= bool(errors)
        print(
            f"  {kind:14} new build served after {result['median_s']:.2f} s median, {result['max_s']:.2f} s max; "
            f"{result['client_queries']} client queries meanwhile, {len(errors)} errors; "
            f"{result['reloads']} reloads"
        )
        for error in errors[:5]:
            print(f"    {error}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
