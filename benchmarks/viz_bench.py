"""Benchmark of ``iadef viz`` on synthetic networks: both renderers, in headless Chromium.

For each size and renderer (``vis``: vis-network, ``webgl``: sigma.js) it reports:

- ``export s``: projection -> page bytes (layout included), and ``layout s`` of it;
- ``MB``: the page's size;
- ``first s``: the first laid-out picture, from navigation start to the first animation
  frame after the page has drawn itself (it parses the inlined libraries and data, builds
  the network and draws it once; positions come with the data, so there is no layout step);
- ``frame ms``: the mean interval between animation frames while the view is dragged (40
  moves) and then zoomed with the wheel (20 steps), one input event a frame dispatched in the
  page, each library handling it as a user's (vis-network hides ties while dragging above
  ``page.LARGE`` nodes, sigma.js hides ties and labels while the view moves), and ``p90``;
  ``scripted``, the same while a script moves the view every frame and everything is drawn
  (60 frames). Headless Chromium gives frames at 60 Hz at best, so 16.7 ms is the floor;
- layout quality, computed from the positions in the page: ``edge/pair``, the mean tie
  length over the mean distance between random pairs of nodes (1 for a random placement,
  small when ties are short), and ``stress``, the normalised stress over the hop distances
  from 20 random nodes (the layout scaled at best; a random placement is given as the row
  ``random`` for comparison);
- ``requests``/``errors``: requests beyond the page itself and console errors (both 0).

The synthetic graphs are Barabási–Albert graphs (two ties per new node, seed 1):
hub-heavy like the real network, about two edges per node; every node and tie carries
the same quote, so the page is smaller than one whose every quote differs.

Usage: ``python benchmarks/viz_bench.py [--sizes 1000 2000 20000] [--renderers auto vis webgl]
[--json FILE]`` (needs the ``playwright`` package and /usr/bin/chromium; never downloads a
browser). ``auto`` is what ``iadef viz`` picks (vis-network up to ``page.WEBGL`` nodes).
Figures and the decisions taken from them are in ``benchmarks/results/viz.md``.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import networkx as nx

from iadef.network import layout
from iadef.network import page as viz
from iadef.network.projection import KINDS, Projection

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.chromium import CHROMIUM, CHROMIUM_ARGS

RELATIONS = ("partnerOf", "party", "subOrganizationOf", "location", "beneficiary", "participatesIn")
RENDERERS: dict[str, str | None] = {"auto": None, "vis": "vis", "webgl": "webgl"}
FRAMES = 60
DRAG_MOVES = 40
WHEELS = 20


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


def export(projection: Projection, renderer: str | None) -> tuple[bytes, float, float]:
    """The page, the export time and the part of it spent on the layout."""
    spent = [0.0]
    original = layout.positions

    def timed(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            spent[0] += time.perf_counter() - start

    layout.positions = timed
    try:
        start = time.perf_counter()
        keys = sorted(projection.graph.nodes)
        content = viz.render(viz.page_data(projection, keys, title="benchmark", renderer=renderer))
        return content, time.perf_counter() - start, spent[0]
    finally:
        layout.positions = original


def page_json(content: bytes) -> dict[str, Any]:
    text = content.decode("utf-8").split('id="iadef-data">', 1)[1].split("</script>", 1)[0]
    data: dict[str, Any] = json.loads(text)
    return data


def drawn(data: dict[str, Any]) -> tuple[Any, list[tuple[int, int]]]:
    """Positions (n x 2) and ties (node numbers) of a page's data, in records or in columns."""
    import numpy as np

    nodes, edges = data["nodes"], data["edges"]
    if isinstance(nodes, dict):  # a large page: iadef.network.columns
        xy = np.column_stack([nodes["x"], nodes["y"]]).astype(float)
        return xy, list(zip(edges["from"], edges["to"], strict=True))
    index = {node["id"]: i for i, node in enumerate(nodes)}
    xy = np.array([[node["x"], node["y"]] for node in nodes], dtype=float)
    return xy, [(index[edge["from"]], index[edge["to"]]) for edge in edges]


def quality(xy: Any, ties: list[tuple[int, int]], seed: int = 3, sources: int = 20) -> dict[str, float]:
    """Mean tie length over mean random-pair distance, and normalised stress from ``sources`` nodes."""
    import numpy as np

    from iadef.network.layout import hops, simple_pairs

    n = len(xy)
    rng = np.random.default_rng(seed)
    u, v = simple_pairs(n, ties)
    ties_length = np.hypot(*(xy[u] - xy[v]).T).mean()
    a, b = rng.integers(0, n, 20000), rng.integers(0, n, 20000)
    pairs_length = np.hypot(*(xy[a] - xy[b]).T).mean()
    heads = np.concatenate([u, v])
    order = np.lexsort((np.concatenate([v, u]), heads))
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(heads, minlength=n), out=indptr[1:])
    indices = np.concatenate([v, u])[order]
    hop, far = [], []
    for source in rng.choice(n, min(sources, n), replace=False):
        dist = hops(indptr, indices, int(source))
        reached = dist > 0
        hop.append(dist[reached].astype(float))
        far.append(np.hypot(*(xy[reached] - xy[source]).T))
    d, e = np.concatenate(hop), np.concatenate(far)
    scale = (e / d).sum() / ((e / d) ** 2).sum()
    return {"edge_pair": float(ties_length / pairs_length), "stress": float((((scale * e - d) / d) ** 2).mean())}


def measure(browser: Any, page_file: Path, timeout_s: float) -> dict[str, Any]:
    """First picture (ms from navigation start), frame intervals while moving, requests, console errors."""
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.add_init_script(PICTURE)
    requests: list[str] = []
    errors: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    result: dict[str, Any] = {"first_ms": None, "frame_ms": None, "frame_p90": None, "scripted_ms": None}
    try:
        page.goto(page_file.as_uri(), timeout=timeout_s * 1000)
        page.wait_for_function("() => window.__picture", timeout=timeout_s * 1000)
        result["first_ms"] = page.evaluate("window.__picture")
        frames = sorted(interact(page))
        result["frame_ms"] = sum(frames) / len(frames)
        result["frame_p90"] = frames[int(0.9 * len(frames))]
        scripted = page.evaluate(MOVE, FRAMES)
        result["scripted_ms"] = sum(scripted) / len(scripted)
    except Exception as exc:  # playwright's TimeoutError: report it, go on with the next case
        errors.append(type(exc).__name__)
    finally:
        page.close()
    result["requests"] = len([url for url in requests if url != page_file.as_uri()])
    result["errors"] = len(errors)
    return result


def interact(page: Any) -> list[float]:
    """Intervals (ms) between animation frames while the view is dragged and then zoomed with the
    wheel, one input event a frame, dispatched in the page (so no round trip to this process paces
    the frames). Each library handles them as a user's: vis-network hides ties while dragging
    above ``page.LARGE`` nodes, sigma.js hides ties and labels while the view moves."""
    box = page.locator("#network").bounding_box()
    intervals: list[float] = page.evaluate(INTERACT, [box["width"] / 2, box["height"] / 2, DRAG_MOVES, WHEELS])
    return intervals


# Pointer and mouse events both: hammer.js (vis-network) listens to the first, sigma.js to the second.
INTERACT = """async ([x0, y0, moves, wheels]) => {
  const host = document.getElementById('network').getBoundingClientRect();
  const x = host.left + x0, y = host.top + y0;
  const target = document.elementFromPoint(x, y);
  const next = () => new Promise(resolve => requestAnimationFrame(resolve));
  const fire = (type, cx, cy, buttons) => {
    const init = {bubbles: true, cancelable: true, clientX: cx, clientY: cy, button: 0, buttons: buttons,
                  pointerId: 1, pointerType: 'mouse', isPrimary: true};
    target.dispatchEvent(new PointerEvent('pointer' + type, init));
    target.dispatchEvent(new MouseEvent('mouse' + type, init));
  };
  const times = [];
  fire('move', x, y, 0);
  fire('down', x, y, 1);
  let last = await next();
  for (let i = 1; i <= moves; i++) {
    fire('move', x + 6 * i, y + 3 * i, 1);
    const now = await next(); times.push(now - last); last = now;
  }
  fire('up', x + 6 * moves, y + 3 * moves, 0);
  await new Promise(resolve => setTimeout(resolve, 300));
  last = await next();
  for (let i = 0; i < wheels; i++) {
    target.dispatchEvent(new WheelEvent('wheel', {bubbles: true, cancelable: true, clientX: x, clientY: y,
                                                  deltaMode: 0, deltaY: i < wheels / 2 ? -60 : 60}));
    const now = await next(); times.push(now - last); last = now;
  }
  await new Promise(resolve => setTimeout(resolve, 400));
  return times;
}"""


# When the page marks itself drawn (data-stable), wait for the next frame to begin: the drawn
# frame has then been handed to the screen.
PICTURE = """new MutationObserver((changes, observer) => {
  if (document.body && document.body.getAttribute('data-stable')) {
    observer.disconnect();
    requestAnimationFrame(() => requestAnimationFrame(() => { window.__picture = performance.now(); }));
  }
}).observe(document, {attributes: true, subtree: true, attributeFilter: ['data-stable']});"""

# Pan and zoom every frame (in then out) through vis-network's moveTo, which webgl.js also offers;
# the intervals between frames are what a user dragging the view sees.
MOVE = """async (frames) => {
  const network = window.iadef.network;
  const next = () => new Promise(resolve => requestAnimationFrame(resolve));
  const times = [];
  let last = await next();
  for (let i = 0; i < frames; i++) {
    const scale = network.getScale(), view = network.getViewPosition();
    const zoom = i % 30 < 15 ? 1.06 : 1 / 1.06;
    network.moveTo({position: {x: view.x + 12 / scale, y: view.y + 8 / scale}, scale: scale * zoom});
    const now = await next();
    times.push(now - last);
    last = now;
  }
  return times;
}"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 2000, 20000])
    parser.add_argument("--renderers", nargs="+", choices=list(RENDERERS), default=["auto"])
    parser.add_argument("--timeout", type=float, default=120, help="seconds to wait for one page")
    parser.add_argument("--json", type=Path, help="also write the rows to this JSON file")
    args = parser.parse_args(argv)
    import numpy as np
    from playwright.sync_api import sync_playwright

    rows = []
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for size in args.sizes:
            projection = synthetic(size)
            edges = projection.graph.number_of_edges()
            for name in args.renderers:
                content, seconds, layout_s = export(projection, RENDERERS[name])
                data = page_json(content)
                xy, ties = drawn(data)
                page_file = Path(folder) / f"bench-{size}-{name}.html"
                page_file.write_bytes(content)
                row = {"nodes": size, "edges": edges, "renderer": data["renderer"], "export_s": seconds}
                row |= {"layout_s": layout_s, "mb": len(content) / 1e6, **quality(xy, ties)}
                rows.append(row | measure(browser, page_file, args.timeout))
                print(_line(rows[-1]), file=sys.stderr, flush=True)
            random_xy = np.random.default_rng(1).random((size, 2))
            rows.append({"nodes": size, "edges": edges, "renderer": "random", **quality(random_xy, ties)})
        browser.close()
    print(HEADER)
    for row in rows:
        print(_line(row))
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1) + "\n", encoding="utf-8")
    return 0


HEADER = (
    f"{'nodes':>6} {'edges':>6} {'renderer':>8} {'export s':>8} {'layout s':>8} {'MB':>6} {'first s':>7} "
    f"{'frame ms':>8} {'p90':>5} {'scripted':>8} {'edge/pair':>9} {'stress':>6} {'requests':>8} {'errors':>6}"
)


def _line(row: dict[str, Any]) -> str:
    def number(key: str, width: int, digits: int, factor: float = 1.0) -> str:
        value = row.get(key)
        return f"{value * factor:{width}.{digits}f}" if value is not None else f"{'-':>{width}}"

    return (
        f"{row['nodes']:6d} {row['edges']:6d} {row['renderer']:>8} {number('export_s', 8, 2)} "
        f"{number('layout_s', 8, 2)} {number('mb', 6, 2)} {number('first_ms', 7, 2, 1e-3)} "
        f"{number('frame_ms', 8, 1)} {number('frame_p90', 5, 0)} {number('scripted_ms', 8, 1)} "
        f"{number('edge_pair', 9, 3)} "
        f"{number('stress', 6, 3)} {row.get('requests', '-'):>8} {row.get('errors', '-'):>6}"
    )


if __name__ == "__main__":
    sys.exit(main())
