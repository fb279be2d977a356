"""`iadef push` into a real Virtuoso: batched SPARQL Update against the Graph Store Protocol.

Usage: python benchmarks/push_bench.py [--triples N] [--work DIR]

Writes a synthetic project of about N quads (``benchmarks/synth.py``, default 100,000),
starts a Virtuoso on 127.0.0.1 with a temporary database (``tests/virtuoso.py``, the
server the tests use; needs the Debian package ``virtuoso-opensource``), and for each way
of sending (``updates``: every graph by batched SPARQL 1.1 Update; ``graph-store``: graphs
larger than a batch by one Graph Store Protocol ``PUT`` each) empties the server's iadef
graphs, pushes once (everything is sent) and pushes again (only what the server reads back
differently is sent). Prints one line per push: seconds, requests, triples sent.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

CLEAR = (
    "DELETE { GRAPH ?g { ?s ?p ?o } } WHERE { GRAPH ?g { ?s ?p ?o } "
    'FILTER (STRSTARTS(STR(?g), "https://w3id.org/iadef/")) }'
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--triples", type=int, default=100_000, help="size of the synthetic graph (quads)")
    parser.add_argument("--work", type=Path, help="scratch folder (default: a temporary one)")
    args = parser.parse_args()

    from tests.virtuoso import PASSWORD, USER, running_virtuoso

    from iadef.stores.endpoint import Endpoint, EndpointEngine
    from iadef.stores.push import push

    with tempfile.TemporaryDirectory(prefix="iadef-push-") as scratch:
        project = args.work or Path(scratch) / "synth"
        synth = [sys.executable, str(ROOT / "benchmarks" / "synth.py"), "--triples", str(args.triples)]
        subprocess.run([*synth, "--out", str(project)], check=True, stdout=subprocess.DEVNULL)
        nquads, ontology = project / "graph" / "iadef.nq", project / "ontology" / "iadef.ttl"
        with running_virtuoso() as server:
            updates = Endpoint(server.sparql_auth, user=USER, password=PASSWORD, timeout=600)
            graph_store = replace(updates, graph_store_url=f"{server.base}/sparql-graph-crud-auth")
            for label, endpoint in (("updates", updates), ("graph-store", graph_store)):
                EndpointEngine(updates).update(CLEAR)
                for attempt in ("first", "second"):
                    report = push(endpoint, nquads, ontology)
                    print(f"{label:12} {attempt:6} push: {report.summary()}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
