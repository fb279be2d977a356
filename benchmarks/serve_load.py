"""Load test of `iadef serve` on loopback: throughput, latency and errors under concurrent clients.

Usage: python benchmarks/serve_load.py [--store SPEC] [--clients C] [--seconds T] [--queries Q]
                                       [--workers N] [--timeout S]

Starts `iadef serve` as its own process on 127.0.0.1 (a free port) over graph/iadef.nq
(run `iadef build` first) with the given store (default memory), so that the clients do
not share the server's interpreter, then C client threads, each on one
keep-alive connection, POST the named queries of queries/ in turn (those the endpoint
accepts: no SERVICE; parameters from each query's example line, inlined as VALUES)
until T seconds have passed or Q queries were sent, whichever comes first. Both
bounds always apply. Before measuring, each query is sent once per worker so that the
per-worker parse cache is warm (the figures are for a steady state).

A request counts as an error if it fails, its status is not 200, or its row count
differs from the embedded engine's. Prints requests/s, latency p50/p95/max and the
error count; exits 1 on any error.
"""

from __future__ import annotations

import argparse
import json
import shlex
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from http.client import HTTPConnection
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def workload(project: object) -> dict[str, int]:
    """Query text (parameters inlined) → the embedded engine's row count."""
    from iadef.errors import QueryError
    from iadef.sparql.bind import inline_values
    from iadef.sparql.catalogue import bind, load_catalogue, parse_param_args
    from iadef.sparql.guard import check
    from iadef.stores.opening import open_engine

    engine = open_engine(project, "oxigraph")  # type: ignore[arg-type]
    texts: dict[str, int] = {}
    for query in load_catalogue(ROOT / "queries").values():
        try:
            check(query.text)
        except QueryError:
            continue  # SERVICE: refused by the endpoint
        words = shlex.split(query.example)
        raw = parse_param_args([words[i + 1] for i, word in enumerate(words) if word == "--param"])
        text = inline_values(query.text, bind(query, raw, engine))
        texts[text] = len(engine.query(text).rows)
    return texts


def post(conn: HTTPConnection, text: str) -> tuple[int, bytes]:
    body = urllib.parse.urlencode({"query": text}).encode("utf-8")
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/sparql-results+json"}
    conn.request("POST", "/sparql", body=body, headers=headers)
    response = conn.getresponse()
    return response.status, response.read()


def load(port: int, texts: dict[str, int], args: argparse.Namespace) -> tuple[list[float], list[str], float]:
    """Run the clients; (latencies in seconds, errors, elapsed seconds)."""
    order = list(texts)
    lock = threading.Lock()
    latencies: list[float] = []
    errors: list[str] = []
    sent = 0
    deadline = time.perf_counter() + args.seconds

    def client(number: int) -> None:
        nonlocal sent
        conn = HTTPConnection("127.0.0.1", port, timeout=args.timeout + 30)
        i = number
        while time.perf_counter() < deadline:
            with lock:
                if sent >= args.queries:
                    break
                sent += 1
            text = order[i % len(order)]
            i += args.clients
            began = time.perf_counter()
            try:
                status, body = post(conn, text)
                rows = len(json.loads(body)["results"]["bindings"]) if status == 200 else -1
                problem = None if status == 200 and rows == texts[text] else f"HTTP {status}, {rows} rows"
            except (OSError, ValueError, KeyError) as exc:
                problem = f"{type(exc).__name__}: {exc}"
                conn.close()
                conn = HTTPConnection("127.0.0.1", port, timeout=args.timeout + 30)
            took = time.perf_counter() - began
            with lock:
                latencies.append(took)
                if problem:
                    errors.append(problem)
        conn.close()

    began = time.perf_counter()
    threads = [threading.Thread(target=client, args=(n,)) for n in range(args.clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, errors, time.perf_counter() - began


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--store", default="memory", help="memory, oxigraph or oxigraph:DIR (default memory)")
    parser.add_argument("--clients", type=int, default=8, help="concurrent client threads (default 8)")
    parser.add_argument("--seconds", type=float, default=10.0, help="stop after this many seconds (default 10)")
    parser.add_argument("--queries", type=int, default=2000, help="stop after this many queries (default 2000)")
    parser.add_argument("--workers", type=int, default=2, help="server worker processes (default 2)")
    parser.add_argument("--timeout", type=float, default=30.0, help="server time limit per query (default 30)")
    args = parser.parse_args()

    from iadef.paths import Project

    texts = workload(Project(ROOT))
    order = list(texts)
    command = [sys.executable, "-m", "iadef", "--root", str(ROOT), "serve", "--port", "0", "--quiet"]
    command += ["--store", args.store, "--workers", str(args.workers), "--timeout", str(args.timeout)]
    started = time.perf_counter()
    server = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    try:
        assert server.stdout is not None
        first = server.stdout.readline()
        if not first.startswith("iadef serve: SPARQL endpoint "):
            print(f"the server did not start: {first!r}")
            return 1
        port = int(urllib.parse.urlsplit(first.split()[-1]).port or 0)
        up = time.perf_counter() - started
        print(f"server up in {up:.2f} s on port {port}, store {args.store}, {args.workers} workers; ", end="")
        print(f"{len(order)} distinct queries, {args.clients} clients")
        warm = HTTPConnection("127.0.0.1", port, timeout=60)
        for text in order * args.workers:
            post(warm, text)
        warm.close()
        latencies, errors, elapsed = load(port, texts, args)
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()

    latencies.sort()
    count = len(latencies)
    if count == 0:
        print("no request was sent")
        return 1
    p95 = latencies[min(count - 1, int(count * 0.95))]
    print(
        f"{count} requests from {args.clients} clients in {elapsed:.2f} s: {count / elapsed:.1f} req/s; "
        f"latency p50 {statistics.median(latencies) * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms, "
        f"max {latencies[-1] * 1000:.1f} ms; {len(errors)} error(s)"
    )
    for problem in sorted(set(errors))[:10]:
        print(f"  error: {problem}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
