"""Benchmark of ``iadef viz`` on synthetic networks of 1k, 5k and 20k nodes.

For each size and each settings profile it reports the export time (projection ->
page bytes, pyvis included), the page size, and the time until the page has
stabilised in headless Chromium (``performance.now()`` at vis-network's
``stabilizationIterationsDone``, measured from navigation start, so it includes
parsing the inlined JavaScript and JSON and building the network).

Profiles:
- ``auto``: what ``iadef viz`` does (small settings up to ``viz.LARGE`` nodes, large
  settings above);
- ``small``: the small-graph settings forced (improved layout, smooth edges, edge
  labels drawn, up to ``viz.MAX_ITERATIONS`` stabilisation steps);
- ``large``: the large-graph settings forced (no improved layout, straight edges,
  edge labels in tooltips only, ``viz.LARGE_ITERATIONS`` steps).

The synthetic graphs are Barabási–Albert graphs (two ties per new node, seed 1):
hub-heavy like the real network, about two edges per node.

Usage: ``python benchmarks/viz_bench.py [--sizes 1000 5000 20000] [--timeout 600]``
(needs the ``playwright`` package and /usr/bin/chromium; never downloads a browser).

Figures on the development machine (2 shared vCPUs, Chromium 156 headless with
``--disable-gpu``, so canvas drawing is software-rendered; runs vary by about ±30 %)::

     nodes  edges profile export s size MB stable s steps frame ms requests errors
       500    996    auto     0.50    1.08     5.73   700       18        0      0
       500    996   small     0.06    1.08     5.82   625       25        0      0
       500    996   large     0.07    1.06     3.17   300       23        0      0
      1000   1996    auto     0.14    1.40     4.74   300       26        0      0
      1000   1996   small     0.17    1.45     6.79   200       55        0      0
      1000   1996   large     0.23    1.40     6.11   300       24        0      0
      5000   9996    auto     0.48    4.20     8.73    28      282        0      0
      5000   9996   small     0.69    4.42    11.19    50      250        0      0
      5000   9996   large     0.43    4.20     7.37    88      169        0      0
     20000  39996    auto     2.17   14.80    11.90    12      950        0      0
     20000  39996   small     2.09   15.67  timeout     0        -        0      1
     20000  39996   large     3.09   14.80    14.31    10      943        0      0

What they decided (see ``iadef.network.page``): ForceAtlas2 steps cost ~25 ms at 1k nodes and
~1 s at 20k, so a fixed number of steps cannot bound the wait: the page stops the
stabilisation after a 5 s budget (``viz.BUDGET_MS``), in short batches for large
graphs so the budget is honoured; the small profile (improved layout, curved and
labelled edges, overlap avoidance) is kept up to 500 nodes, where it draws as fast
as the large one, and dropped above (twice the frame time at 1k); the small profile
at 20k did not stabilise within 120 s (600 s in an earlier run). Export stays a few
seconds at 20k once pyvis' quadratic node look-up is bypassed (30 s before).
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import networkx as nx

from iadef.network import page as viz
from iadef.network.projection import KINDS, Projection

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.chromium import CHROMIUM, CHROMIUM_ARGS

RELATIONS = ("partnerOf", "party", "subOrganizationOf", "location", "beneficiary", "participatesIn")
PROFILES: dict[str, bool | None] = {"auto": None, "small": False, "large": True}


def synthetic(n: int, seed: int = 1) -> Projection:
    """A projection shaped like iadef's: labelled, typed nodes with sourced edges."""
    rng = random.Random(seed)
    skeleton = nx.barabasi_albert_graph(n, 2, seed=seed)
    graph = nx.MultiDiGraph()
    evidence = [{"source": "synthetic", "quote": "Une phrase citée du document source.", "status": None}]
    for i in range(n):
        kind = rng.choice(KINDS)
        graph.add_node(
            f"n{i:05d}",
            kind=kind,
            cls=kind,
            labels={"fr": f"Acteur n° {i}", "en": f"Actor no. {i}"},
            aliases=[f"A{i}"],
            acronyms=[],
            dates=[("date", "2024-04-04")] if kind in ("Agreement", "Event") else [],
            facts=[],
            evidence=evidence,
        )
    for u, v in sorted(skeleton.edges()):
        rel = rng.choice(RELATIONS)
        graph.add_edge(
            f"n{u:05d}",
            f"n{v:05d}",
            key=rel,
            relation=f"https://w3id.org/iadef/def/{rel}",
            rel=rel,
            post=None,
            date=None,
            evidence=evidence,
            symmetric=rel == "partnerOf",
        )
    terms = {name: {"fr": name, "en": name} for name in (*KINDS, *RELATIONS, "date")}
    return Projection(
        graph=graph,
        names={key: data["labels"] for key, data in graph.nodes(data=True)},
        terms=terms,
        sources={"synthetic": "Synthetic source"},
        ancestors={kind: [kind] for kind in KINDS},
    )


def export(projection: Projection, large: bool | None) -> tuple[bytes, float]:
    start = time.perf_counter()
    keys = sorted(projection.graph.nodes)
    content = viz.render(viz.page_data(projection, keys, title="benchmark", large=large))
    return content, time.perf_counter() - start


def stabilise(browser: Any, page_file: Path, timeout_s: float) -> dict[str, Any]:
    """Stabilisation time (ms, None on time-out), steps done, one redraw (ms), requests, console errors."""
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    requests: list[str] = []
    errors: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    result: dict[str, Any] = {"stable_ms": None, "steps": 0, "frame_ms": None}
    try:
        page.goto(page_file.as_uri())
        page.wait_for_selector("body[data-stable='1']", state="attached", timeout=timeout_s * 1000)
        result.update(page.evaluate(FIGURES))
    except Exception as exc:  # playwright's TimeoutError: report it, go on with the next case
        errors.append(type(exc).__name__)
    finally:
        page.close()
    result["requests"] = len([url for url in requests if url != page_file.as_uri()])
    result["errors"] = len(errors)
    return result


# After stabilisation: when it ended, how many steps it took, and how long one full
# redraw of the canvas takes (what panning and zooming cost), averaged over 3.
FIGURES = """() => {
  const state = window.iadef.state, network = window.iadef.network;
  const start = performance.now();
  for (let i = 0; i < 3; i++) { network.renderer._redraw(); }
  return {stable_ms: state.stableAt, steps: state.iterations, frame_ms: (performance.now() - start) / 3};
}"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000, 20000])
    parser.add_argument("--profiles", nargs="+", choices=list(PROFILES), default=list(PROFILES))
    parser.add_argument("--timeout", type=float, default=600, help="seconds to wait for one page to stabilise")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    rows = []
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for size in args.sizes:
            projection = synthetic(size)
            edges = projection.graph.number_of_edges()
            for profile in args.profiles:
                content, seconds = export(projection, PROFILES[profile])
                page_file = Path(folder) / f"bench-{size}-{profile}.html"
                page_file.write_bytes(content)
                figures = stabilise(browser, page_file, args.timeout)
                row = {"nodes": size, "edges": edges, "profile": profile, "export_s": seconds, "mb": len(content) / 1e6}
                rows.append({**row, **figures})
                print(_line(rows[-1]), file=sys.stderr, flush=True)
        browser.close()
    print(HEADER)
    for row in rows:
        print(_line(row))
    return 0


HEADER = (
    f"{'nodes':>6} {'edges':>6} {'profile':>7} {'export s':>8} {'size MB':>7} {'stable s':>8} {'steps':>5} "
    f"{'frame ms':>8} {'requests':>8} {'errors':>6}"
)


def _line(row: dict[str, Any]) -> str:
    stable = f"{row['stable_ms'] / 1000:8.2f}" if row["stable_ms"] is not None else f"{'timeout':>8}"
    frame = f"{row['frame_ms']:8.0f}" if row["frame_ms"] is not None else f"{'-':>8}"
    return (
        f"{row['nodes']:6d} {row['edges']:6d} {row['profile']:>7} {row['export_s']:8.2f} {row['mb']:7.2f} {stable} "
        f"{row['steps']:5d} {frame} {row['requests']:8d} {row['errors']:6d}"
    )


if __name__ == "__main__":
    sys.exit(main())
