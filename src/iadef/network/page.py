"""``iadef viz``: one self-contained, offline HTML page showing the network.

pyvis builds the node and edge records and the vis-network options; the page itself
comes from our own template (``templates/graph.html`` with ``graph.css`` and
``graph.js``), because pyvis' templates load bootstrap and tom-select from CDNs even
with ``cdn_resources="in_line"``. vis-network's JavaScript and CSS are read from the
installed pyvis package and inlined, so the page makes no network request.

Safety: all data goes into one ``<script type="application/json">`` block in which
``<``, ``>`` and ``&`` are written as ``\\u003c``, ``\\u003e`` and ``\\u0026``; the
page's script builds tooltips, panels and lists with ``textContent`` only and never
passes data to vis-network's ``title`` (which pyvis' template renders as HTML).

Bytes are deterministic: nodes and edges come in projection order, JSON keys are
sorted, the layout has a fixed random seed.
"""

from __future__ import annotations

import html
import json
import re
import textwrap
from importlib import resources
from pathlib import Path
from typing import Any

from iadef.errors import IadefError, OutputError
from iadef.network.projection import KINDS, Projection, relation_label
from iadef.network.timeline import days, since

VIS_VERSION = "vis-9.1.2"
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
# Settings chosen from benchmarks/viz_bench.py (figures in its docstring): in headless
# Chromium without GPU, one redraw costs about the same with either profile up to 500
# nodes (30 / 27 ms) but three times more with the small one at 1,000 (88 / 32 ms); a
# ForceAtlas2 step costs ~25 ms at 1,000 nodes and ~1 s at 20,000, hence a time budget.
LARGE = 500  # above this many nodes: coarser physics, straight edges, edge labels in tooltips only
MAX_ITERATIONS = 1000  # stabilisation steps for small graphs (the seed graph settles in ~1.5 s)
LARGE_ITERATIONS = 300  # stabilisation steps above LARGE nodes
BUDGET_MS = 5000  # the page ends the stabilisation after this long, whatever the steps done
LINE = 26  # canvas labels are wrapped at this width, on at most two lines (full text in the tooltip)
_MARKER = re.compile(r"@@(VIS_CSS|VIS_JS|PAGE_CSS|PAGE_JS|DATA|TITLE|LANG)@@")


def select(
    projection: Projection, *, focus: str | None = None, depth: int = 1, types: tuple[str, ...] = ()
) -> list[str]:
    """The node keys of a view: the whole graph, the ego network of node ``focus`` within
    ``depth`` hops, nodes of the classes ``types`` (ontology local names, subclasses
    included), or both."""
    import networkx as nx

    from iadef.network.analytics import undirected

    graph = projection.graph
    keys = set(graph.nodes)
    if focus is not None:
        keys = set(nx.ego_graph(undirected(projection), focus, radius=max(depth, 0)).nodes)
    if types:
        wanted = set(types)
        keys = {k for k in keys if wanted & set(projection.ancestors.get(graph.nodes[k]["cls"], []))}
    if not keys:
        shown = ", ".join(projection.term(t, "en") for t in types)
        raise IadefError(f"the view is empty: no node of class {shown} here", hint="widen --type or --depth")
    return sorted(keys)


def physics(large: bool) -> dict[str, Any]:
    """vis-network layout and physics options, for a small or a large graph.

    ForceAtlas2 spreads hubs and their leaves better than the default Barnes-Hut
    settings. For large graphs the Barnes-Hut approximation is coarser (``theta``),
    the adaptive time step (which doubles some steps) is off, and batches are short
    so that the page's time budget (:data:`BUDGET_MS`) can end the stabilisation.
    """
    return {
        "layout": {"improvedLayout": not large, "randomSeed": 7},
        "physics": {
            "enabled": True,
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {
                "theta": 1.2 if large else 0.5,
                "gravitationalConstant": -120,
                "centralGravity": 0.012,
                "springLength": 100,
                "springConstant": 0.08,
                "damping": 0.4,
                "avoidOverlap": 0 if large else 0.6,
            },
            "adaptiveTimestep": not large,
            "maxVelocity": 50,
            "minVelocity": 0.75,
            "stabilization": {
                "enabled": True,
                "iterations": LARGE_ITERATIONS if large else MAX_ITERATIONS,
                "updateInterval": 2 if large else 25,
                "fit": True,
            },
        },
    }


def options(large: bool) -> dict[str, Any]:
    """Every vis-network option of the page (string values have no spaces: pyvis strips them)."""
    return {
        **physics(large),
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
) -> dict[str, Any]:
    """Everything the page shows, as one JSON-ready dict (pyvis builds nodes, edges and options).

    ``large`` (default: more than :data:`LARGE` nodes) selects the settings for big
    graphs: no improved layout, straight edges, fewer stabilisation steps and edge
    labels only in tooltips.
    """
    large = len(keys) > LARGE if large is None else large
    from iadef.network.analytics import pagerank, undirected

    graph = projection.graph
    simple = undirected(projection)
    sizes = pagerank(simple) if size_by == "pagerank" else {k: float(simple.degree(k)) for k in simple}
    chosen = set(keys)
    source_ids = {key: index for index, key in enumerate(projection.sources)}
    net = _network()
    details: dict[str, Any] = {}
    kinds: dict[str, int] = {}
    for key in keys:
        data = graph.nodes[key]
        shape, colour = STYLE[data["kind"]]
        name = projection.name(key, lang)
        kinds[data["kind"]] = kinds.get(data["kind"], 0) + 1
        net.add_node(
            key,
            label=short(name, data["acronyms"]),
            shape=shape,
            color=colour,
            value=round(sizes[key], 6),
            kind=data["kind"],
            since=since(projection, data["evidence"]),
            borderWidth=3 if key == focus else 1,
        )
        details[key] = {
            "name": name,
            "type": projection.term(data["cls"], lang),
            "names": _unique([name, *data["labels"].values()]),
            "aliases": data["aliases"],
            "dates": [[projection.term(prop, lang), value] for prop, value in data["dates"]],
            "facts": [_fact(projection, item, lang) for item in data["facts"]],
            "evidence": [_evidence(projection, item, source_ids, lang) for item in data["evidence"]],
            "degree": simple.degree(key),
        }
    edge_details = []
    relations: dict[str, int] = {}
    for index, (u, v, edge) in enumerate(
        (u, v, d) for u, v, d in graph.edges(data=True) if u in chosen and v in chosen
    ):
        label = projection.term(edge["rel"], lang)
        relations[edge["rel"]] = relations.get(edge["rel"], 0) + 1
        extra: dict[str, Any] = {"arrows": {"to": {"enabled": False}}} if edge["symmetric"] else {}
        if not large:
            extra["label"] = label
        net.add_edge(u, v, id=f"e{index}", rel=edge["rel"], since=since(projection, edge["evidence"]), **extra)
        edge_details.append(
            {
                "label": relation_label(projection, edge, lang),
                "date": edge.get("date"),
                "evidence": [_evidence(projection, item, source_ids, lang) for item in edge["evidence"]],
            }
        )
    nodes, edges, _, _, _, _ = net.get_network_data()
    net.set_options(json.dumps(options(large)))
    return {
        "lang": lang,
        "title": title,
        "focus": focus,
        "sizeBy": size_by,
        "budgetMs": BUDGET_MS,
        "nodes": nodes,
        "edges": edges,
        "options": json.loads(net.get_network_data()[5]),
        "details": details,
        "edgeDetails": edge_details,
        "sources": list(projection.sources.values()),
        "days": days(item.get("since") for item in [*nodes, *edges]),
        "legend": [
            {
                "kind": k,
                "label": projection.term(k, lang),
                "shape": STYLE[k][0],
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


def _network() -> Any:
    """A pyvis ``Network`` whose node look-ups take constant time.

    pyvis checks every new node and both ends of every new edge against a list of
    node ids, which is quadratic: 30 s for 20,000 nodes. Nodes are unique here, so
    ``add_node`` skips that scan and ``get_nodes`` answers from pyvis' own id map.
    """
    from pyvis.network import Network
    from pyvis.node import Node

    class FastNetwork(Network):  # type: ignore[misc]  # pyvis has no type hints
        def add_node(self, n_id: str, label: str, shape: str, color: str, **options: Any) -> None:
            node = Node(n_id, shape, label=label, font_color=self.font_color, color=color, **options)
            self.nodes.append(node.options)
            self.node_ids.append(n_id)
            self.node_map[n_id] = node.options

        def get_nodes(self) -> Any:
            return self.node_map  # add_edge only tests membership

    return FastNetwork(directed=True, cdn_resources="in_line")


def _unique(texts: list[str]) -> list[str]:
    return list(dict.fromkeys(texts))


def _fact(projection: Projection, item: dict[str, Any], lang: str) -> list[str]:
    label = projection.term(item["prop"], lang)
    value = item["value"] if item["ref"] is None else projection.name(item["ref"], lang)
    return [f"← {label}" if item["inverse"] else label, str(value)]


def _evidence(projection: Projection, item: dict[str, Any], ids: dict[str, int], lang: str) -> list[Any]:
    status = projection.term(item["status"], lang) if item["status"] else None
    return [ids.get(item["source"], -1), item["quote"], status]


def embed_json(data: Any) -> str:
    """JSON safe inside a ``<script>`` element: no ``<``, ``>`` or ``&`` left as such."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def _asset(package: str, *parts: str) -> str:
    return resources.files(package).joinpath(*parts).read_text(encoding="utf-8")


def vis_assets() -> tuple[str, str]:
    """vis-network's JavaScript and CSS from the installed pyvis, ready to inline."""
    try:
        js = _asset("pyvis", "templates", "lib", VIS_VERSION, "vis-network.min.js")
        css = _asset("pyvis", "templates", "lib", VIS_VERSION, "vis-network.css")
    except (FileNotFoundError, ModuleNotFoundError) as exc:
        raise IadefError(
            f"vis-network not found in the installed pyvis: {exc}",
            hint="reinstall pyvis 0.3.2 (pip install 'pyvis>=0.3.2')",
        ) from None
    js = re.sub(r"^//# sourceMappingURL=.*$", "", js, flags=re.MULTILINE)
    return js, css


def render(data: dict[str, Any]) -> bytes:
    """The page's bytes: our template with vis-network, our script and the data inlined."""
    vis_js, vis_css = vis_assets()
    page_js = _asset("iadef.network", "templates", "graph.js")
    page_css = _asset("iadef.network", "templates", "graph.css")
    for name, text, closing in (("vis JS", vis_js, "</script"), ("page JS", page_js, "</script")):
        if closing in text.lower():
            raise OutputError(f"{name} contains {closing}, which would end its <script> element early")
    for name, text in (("vis CSS", vis_css), ("page CSS", page_css)):
        if "</style" in text.lower():
            raise OutputError(f"{name} contains </style, which would end its <style> element early")
    values = {
        "VIS_CSS": vis_css,
        "VIS_JS": vis_js,
        "PAGE_CSS": page_css,
        "PAGE_JS": page_js,
        "DATA": embed_json(data),
        "TITLE": html.escape(data["title"]),
        "LANG": html.escape(data["lang"]),
    }
    template = _asset("iadef.network", "templates", "graph.html")
    return _MARKER.sub(lambda match: values[match.group(1)], template).encode("utf-8")


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
) -> bytes:
    """The page for a view of the projection: ``keys`` if given, else :func:`select`."""
    if keys is None:
        keys = select(projection, focus=focus, depth=depth, types=types)
    heading = title or _title(projection, lang, focus, depth, types)
    data = page_data(projection, keys, lang=lang, size_by=size_by, focus=focus, title=heading, large=large)
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
