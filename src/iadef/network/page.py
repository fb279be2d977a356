"""``iadef viz``: one self-contained, offline HTML page showing the network.

The node and edge records and the vis-network options are those pyvis' ``Network`` makes
(:func:`_vis_node`, :func:`_vis_edge`), written here as plain dicts: importing ``pyvis.network``
imports IPython, about 0.2 s of every ``iadef viz``. The page itself comes from our own
template (``templates/graph.html`` with ``graph.css`` and ``graph.js``), because pyvis'
templates load bootstrap and tom-select from CDNs even with ``cdn_resources="in_line"``.
vis-network's JavaScript and CSS are read from the installed pyvis package and inlined, so
the page makes no network request.

Safety: all data goes into one ``<script type="application/json">`` block in which
``<``, ``>`` and ``&`` are written as ``\\u003c``, ``\\u003e`` and ``\\u0026``; the
page's script builds tooltips, panels and lists with ``textContent`` only and never
passes data to vis-network's ``title`` (which pyvis' template renders as HTML).

Positions are computed here (:mod:`iadef.network.layout`) and shipped with the nodes, so
the browser does no layout work. Up to :data:`WEBGL` nodes vis-network draws the page; above,
sigma.js (WebGL, :mod:`iadef.network.assets`) does, through ``templates/webgl.js``, which gives
sigma the few vis-network calls that ``graph.js`` makes: one page script, the same search,
filters, details, ego view and legend at every size.

Bytes are deterministic: nodes and edges come in projection order, JSON keys are
sorted, the layout has a fixed random seed and whole-unit positions.
"""

from __future__ import annotations

import html
import json
import re
import textwrap
from pathlib import Path
from typing import Any

from iadef.errors import IadefError
from iadef.network import assets, layout
from iadef.network.analytics import neighbours, pagerank
from iadef.network.columns import columns
from iadef.network.projection import KINDS, Projection, relation_label
from iadef.network.timeline import days, since

STYLE: dict[str, tuple[str, str]] = {  # kind -> (vis-network shape, colour); Tableau 10 palette
    "Organization": ("dot", "#1f77b4"),
    "Person": ("star", "#ff7f0e"),
    "Place": ("triangle", "#2ca02c"),
    "Agreement": ("square", "#d62728"),
    "Programme": ("diamond", "#9467bd"),
    "Budget": ("hexagon", "#8c564b"),
    "Facility": ("triangleDown", "#17becf"),
    "Product": ("hexagon", "#e377c2"),
    "Event": ("diamond", "#bcbd22"),
}
# Settings chosen from benchmarks/viz_bench.py (figures in benchmarks/results/viz.md): in headless
# Chromium without GPU, while a user drags and zooms a laid-out page, vis-network takes 43-71 ms a
# frame at 1,000 nodes, 64-147 at 1,500 and 84-96 at 2,000 (three runs each); sigma.js 19-38 ms at
# every size up to 3,000 and about 50-80 at 20,000. So vis-network, which draws shapes, arrows and
# tie labels, keeps pages up to 1,000 nodes, where it is about at the 50 ms target. Its curved,
# labelled ties cost 34-80 ms a frame at 100 nodes, 237-259 at 200 and 523-547 at 400: they are
# kept up to LARGE nodes only (the seed graph has 77).
LARGE = 100  # above this many nodes: straight edges, edge labels in tooltips only
WEBGL = 1000  # above this many nodes: sigma.js (WebGL) instead of vis-network
LINE = 26  # canvas labels are wrapped at this width, on at most two lines (full text in the tooltip)
_MARKER = re.compile(r"@@(VIS_CSS|VIS_JS|PAGE_CSS|PAGE_JS|DATA|TITLE|LANG|CREDITS)@@")


def select(
    projection: Projection, *, focus: str | None = None, depth: int = 1, types: tuple[str, ...] = ()
) -> list[str]:
    """The node keys of a view: the whole graph, the ego network of node ``focus`` within
    ``depth`` hops, nodes of the classes ``types`` (ontology local names, subclasses
    included), or both."""
    graph = projection.graph
    keys = set(graph.nodes)
    if focus is not None:
        keys = _around(neighbours(projection), focus, max(depth, 0))
    if types:
        wanted = set(types)
        keys = {k for k in keys if wanted & set(projection.ancestors.get(graph.nodes[k]["cls"], []))}
    if not keys:
        shown = ", ".join(projection.term(t, "en") for t in types)
        raise IadefError(f"the view is empty: no node of class {shown} here", hint="widen --type or --depth")
    return sorted(keys)


def _around(adjacency: dict[str, set[str]], focus: str, depth: int) -> set[str]:
    """The nodes at most ``depth`` ties away from ``focus``, itself included (networkx's ``ego_graph``)."""
    if focus not in adjacency:
        raise IadefError(f"{focus!r} is not a node of the network", hint="name a node (its key) as the focus")
    seen, frontier = {focus}, {focus}
    for _ in range(depth):
        frontier = {other for key in frontier for other in adjacency[key]} - seen
        seen |= frontier
    return seen


def options(large: bool) -> dict[str, Any]:
    """Every vis-network option of the page. String values have no spaces: pages were once made by
    pyvis' ``set_options``, which strips them, and these options are still the ones it kept."""
    return {
        "layout": {"improvedLayout": False},
        "physics": {"enabled": False},  # positions come with the nodes
        "interaction": {
            "hover": True,
            "hideEdgesOnDrag": large,
            "hideEdgesOnZoom": large,
            "tooltipDelay": 150,
            "multiselect": False,
        },
        "nodes": {
            "borderWidth": 1,
            "font": {"size": 14, "face": "sans-serif", "strokeWidth": 3, "strokeColor": "#ffffff"},
            "scaling": {"min": 10, "max": 36, "label": {"enabled": True, "min": 15, "max": 24, "drawThreshold": 5}},
        },
        "edges": {
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
            "color": {"color": "#a0aab4", "highlight": "#333333", "hover": "#333333"},
            "font": {"size": 10, "align": "middle", "color": "#4a5560", "strokeWidth": 3},
            "smooth": False if large else {"enabled": True, "type": "continuous", "roundness": 0.3},
            "selectionWidth": 2,
            "width": 1,
        },
    }


def webgl_options() -> dict[str, Any]:
    """What ``webgl.js`` reads: no physics (positions are given) and the colour of each kind."""
    return {"physics": {"enabled": False}, "colors": {kind: colour for kind, (_, colour) in STYLE.items()}}


def short(label: str, acronyms: list[str]) -> str:
    """The label drawn on the canvas: the acronym of a name longer than :data:`LINE`, else the
    name wrapped on at most two lines of about :data:`LINE` characters, cut at a word (the
    tooltip has it all)."""
    if len(label) > LINE and acronyms:
        return acronyms[0]
    lines = textwrap.wrap(label, LINE, break_long_words=False) or [label]
    if len(lines) <= 2:
        return "\n".join(lines)
    second = textwrap.shorten(" ".join(lines[1:]), LINE, placeholder="…")
    return f"{lines[0]}\n{second}"


def page_data(
    projection: Projection,
    keys: list[str],
    *,
    lang: str = "fr",
    size_by: str = "degree",
    focus: str | None = None,
    title: str = "iadef",
    large: bool | None = None,
    renderer: str | None = None,
) -> dict[str, Any]:
    """Everything the page shows, as one JSON-ready dict, positions included.

    ``large`` (default: more than :data:`LARGE` nodes) selects straight edges and edge
    labels only in tooltips; ``renderer`` (default: ``vis`` up to :data:`WEBGL` nodes,
    ``webgl`` above) who draws. vis-network's records and options come from pyvis; sigma's
    are the same records without vis-network's styling (``webgl.js`` styles them by kind).
    """
    large = len(keys) > LARGE if large is None else large
    renderer = renderer or ("vis" if len(keys) <= WEBGL else "webgl")
    if renderer not in ("vis", "webgl"):
        raise IadefError(f"unknown renderer {renderer!r}", hint="use vis or webgl")
    graph = projection.graph
    simple = neighbours(projection)
    sizes = pagerank(simple) if size_by == "pagerank" else {k: float(len(near)) for k, near in simple.items()}
    chosen = {key: index for index, key in enumerate(keys)}
    links = [(u, v, d) for u, v, d in graph.edges(data=True) if u in chosen and v in chosen]
    labels = {key: short(projection.name(key, lang), graph.nodes[key]["acronyms"]) for key in keys}
    span = (min(sizes[key] for key in keys), max(sizes[key] for key in keys)) if keys else (0.0, 0.0)
    boxes = [_box(labels[key], sizes[key], span) for key in keys] if renderer == "vis" else None
    placed = layout.positions(len(keys), [(chosen[u], chosen[v]) for u, v, _ in links], boxes=boxes).tolist()
    source_ids = {key: index for index, key in enumerate(projection.sources)}
    quotes: dict[str, int] = {}
    nodes: list[dict[str, Any]] = []
    details: dict[str, Any] = {}
    kinds: dict[str, int] = {}
    for key, (x, y) in zip(keys, placed, strict=True):
        data = graph.nodes[key]
        shape, colour = STYLE[data["kind"]]
        name = projection.name(key, lang)
        kinds[data["kind"]] = kinds.get(data["kind"], 0) + 1
        record = {
            "label": labels[key],
            "value": round(sizes[key], 6),
            "kind": data["kind"],
            "since": since(projection, data["evidence"]),
        }
        if renderer == "vis":
            nodes.append(_vis_node(key, shape, colour, x=x, y=y, borderWidth=3 if key == focus else 1, **record))
        else:
            nodes.append({"id": key, "x": x, "y": y, **record})
        details[key] = {
            "name": name,
            "type": projection.term(data["cls"], lang),
            "names": _unique([name, *data["labels"].values()]),
            "aliases": data["aliases"],
            "dates": [[projection.term(prop, lang), value] for prop, value in data["dates"]],
            "facts": [_fact(projection, item, lang) for item in data["facts"]],
            "evidence": [_evidence(projection, item, source_ids, quotes, lang) for item in data["evidence"]],
            "degree": len(simple[key]),
        }
    edges: list[dict[str, Any]] = []
    edge_details = []
    relations: dict[str, int] = {}
    for index, (u, v, edge) in enumerate(links):
        relations[edge["rel"]] = relations.get(edge["rel"], 0) + 1
        extra: dict[str, Any] = {"arrows": {"to": {"enabled": False}}} if edge["symmetric"] else {}
        if not large:
            extra["label"] = projection.term(edge["rel"], lang)
        extra["since"] = since(projection, edge["evidence"])
        if renderer == "vis":
            edges.append(_vis_edge(u, v, id=f"e{index}", rel=edge["rel"], **extra))
        else:
            edges.append({"id": f"e{index}", "from": u, "to": v, "rel": edge["rel"], **extra})
        edge_details.append(
            {
                "label": relation_label(projection, edge, lang),
                "date": edge.get("date"),
                "evidence": [_evidence(projection, item, source_ids, quotes, lang) for item in edge["evidence"]],
            }
        )
    data = {
        "lang": lang,
        "title": title,
        "focus": focus,
        "sizeBy": size_by,
        "renderer": renderer,
        "nodes": nodes,
        "edges": edges,
        "options": options(large) if renderer == "vis" else webgl_options(),
        "details": details,
        "edgeDetails": edge_details,
        "sources": list(projection.sources.values()),
        "days": days(item.get("since") for item in [*nodes, *edges]),
        "quotes": list(quotes),
        "legend": [
            {
                "kind": k,
                "label": projection.term(k, lang),
                "shape": STYLE[k][0] if renderer == "vis" else "dot",
                "color": STYLE[k][1],
                "count": kinds[k],
            }
            for k in KINDS
            if k in kinds
        ],
        "relations": [
            {"rel": rel, "label": projection.term(rel, lang), "count": count}
            for rel, count in sorted(relations.items(), key=lambda item: (projection.term(item[0], lang), item[0]))
        ],
    }
    return columns(data) if renderer == "webgl" else data


def _box(label: str, value: float, span: tuple[float, float]) -> tuple[float, float]:
    """Width and height that a node and its label take on vis-network's canvas at scale 1 (font 14 px,
    label under the node, radius 10 to 36 px by value within ``span``), with a margin."""
    low, high = span
    radius = 10 + 26 * (value - low) / (high - low) if high > low else 10
    lines = label.split("\n")
    return max(2 * radius, 7.5 * max(len(line) for line in lines)) + 16, 2 * radius + 17 * len(lines) + 12


def _vis_node(key: str, shape: str, colour: str, **options: Any) -> dict[str, Any]:
    """A node record as pyvis' ``Network.add_node`` makes it (``pyvis.node.Node``: the options given,
    then ``id``, ``label`` and ``shape``)."""
    return {"color": colour, **options, "id": key, "shape": shape}


def _vis_edge(source: str, target: str, **options: Any) -> dict[str, Any]:
    """A tie record as pyvis' ``Network.add_edge`` makes it in a directed network (``pyvis.edge.Edge``:
    the options given, ``from`` and ``to``, and ``"arrows": "to"`` unless arrows are given)."""
    return {"arrows": "to", **options, "from": source, "to": target}


def _unique(texts: list[str]) -> list[str]:
    return list(dict.fromkeys(texts))


def _fact(projection: Projection, item: dict[str, Any], lang: str) -> list[str]:
    label = projection.term(item["prop"], lang)
    value = item["value"] if item["ref"] is None else projection.name(item["ref"], lang)
    return [f"← {label}" if item["inverse"] else label, str(value)]


def _evidence(
    projection: Projection, item: dict[str, Any], ids: dict[str, int], quotes: dict[str, int], lang: str
) -> list[Any]:
    """``[source, quote, status]``: the source's and the quote's numbers in the page's lists (a quote
    shared by several facts is written once)."""
    status = projection.term(item["status"], lang) if item["status"] else None
    return [ids.get(item["source"], -1), quotes.setdefault(item["quote"], len(quotes)), status]


def embed_json(data: Any) -> str:
    """JSON safe inside a ``<script>`` element: no ``<``, ``>`` or ``&`` left as such."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def render(data: dict[str, Any]) -> bytes:
    """The page's bytes: our template with the drawing library, our script and the data inlined."""
    lib_js, lib_css = assets.webgl_assets() if data.get("renderer") == "webgl" else assets.vis_assets()
    values = {
        "VIS_CSS": lib_css,
        "VIS_JS": lib_js,
        "PAGE_CSS": assets.template("graph.css"),
        "PAGE_JS": assets.template("graph.js"),
        "DATA": embed_json(data),
        "TITLE": html.escape(data["title"]),
        "LANG": html.escape(data["lang"]),
        "CREDITS": assets.CREDITS[data.get("renderer", "vis")],
    }
    return _MARKER.sub(lambda match: values[match.group(1)], assets.template("graph.html")).encode("utf-8")


def build_page(
    projection: Projection,
    *,
    lang: str = "fr",
    size_by: str = "degree",
    focus: str | None = None,
    depth: int = 1,
    types: tuple[str, ...] = (),
    keys: list[str] | None = None,
    title: str | None = None,
    large: bool | None = None,
    renderer: str | None = None,
) -> bytes:
    """The page for a view of the projection: ``keys`` if given, else :func:`select`."""
    if keys is None:
        keys = select(projection, focus=focus, depth=depth, types=types)
    heading = title or _title(projection, lang, focus, depth, types)
    data = page_data(
        projection, keys, lang=lang, size_by=size_by, focus=focus, title=heading, large=large, renderer=renderer
    )
    return render(data)


def _title(projection: Projection, lang: str, focus: str | None, depth: int, types: tuple[str, ...]) -> str:
    words = {"fr": ("Réseau iadef", "autour de", "types"), "en": ("iadef network", "around", "types")}
    base, around, kinds = words.get(lang, words["fr"])
    parts = [base]
    if focus is not None:
        parts.append(f"{around} {projection.name(focus, lang)} ({depth})")
    if types:
        parts.append(f"{kinds}: {', '.join(projection.term(t, lang) for t in types)}")
    return " — ".join(parts)


def write_page(path: Path, content: bytes) -> None:
    """Write the page atomically."""
    from iadef.output import write_atomic

    write_atomic(path, content)
