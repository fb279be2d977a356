"""Both renderers of `iadef viz` in a real Chromium: vis-network for small pages, sigma.js (WebGL) above
``page.WEBGL`` nodes, with the same search, filters, details with quotes, ego view and legend.

The large page is a synthetic network (``benchmarks/viz_bench.py``) of a little more than
``page.WEBGL`` nodes, with one hostile label and one node with its own quote. Nothing here
measures time: the figures are the benchmark's.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from benchmarks.viz_bench import synthetic

from iadef.network import page as viz
from iadef.network.projection import Projection

from . import test_viz
from .test_viz import HOSTILE, Tags, page_nodes

opened = test_viz.opened  # fixtures shared with test_viz.py
pages = test_viz.pages

QUOTE = "Le nœud n00042 a sa propre citation, <b>pas de balise</b>."


@pytest.fixture(scope="module")
def large() -> Projection:
    projection = synthetic(viz.WEBGL + 500)
    projection.names["n00007"] = {"fr": HOSTILE, "en": HOSTILE}
    node = projection.graph.nodes["n00042"]
    node["evidence"] = [{"source": "synthetic", "quote": QUOTE, "status": None}]
    return projection


@pytest.fixture(scope="module")
def webgl_pages(tmp_path_factory: pytest.TempPathFactory, large: Projection) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("webgl")
    files = {"whole": out / "whole.html", "ego": out / "ego.html"}
    files["whole"].write_bytes(viz.build_page(large, title="grand réseau"))
    files["ego"].write_bytes(viz.build_page(large, focus="n00000", depth=1, renderer="webgl"))
    return files


def columns(path: Path) -> tuple[set[str], dict[str, Any]]:
    """The node keys and the data of a large page (nodes and ties in columns)."""
    data = json.loads(path.read_text(encoding="utf-8").split('id="iadef-data">', 1)[1].split("</script>", 1)[0])
    return set(data["nodes"]["id"]), data


def test_large_pages_are_drawn_by_sigma_with_positions(webgl_pages: dict[str, Path]) -> None:
    keys, data = columns(webgl_pages["whole"])
    assert data["renderer"] == "webgl" and len(keys) == viz.WEBGL + 500
    nodes, edges = data["nodes"], data["edges"]
    assert all(isinstance(v, int) for v in nodes["x"] + nodes["y"])
    assert len(set(zip(nodes["x"], nodes["y"], strict=True))) > 0.95 * len(keys)  # not piled up
    assert len(edges["from"]) == len(edges["to"]) == len(data["edgeDetails"]) == 2 * (viz.WEBGL + 500) - 4
    html = webgl_pages["whole"].read_text(encoding="utf-8")
    assert "visjs.github.io" not in html and "sigma.js 3.0.3" in html
    tags = Tags()
    tags.feed(html)
    assert [tag for tag, _ in tags.found] == ["link", "script", "script", "script"]
    assert HOSTILE not in html and "<b>pas de balise</b>" not in html


def test_small_pages_ship_positions_and_no_physics(pages: dict[str, Path]) -> None:
    _, data = page_nodes(pages["default"])
    assert data["renderer"] == "vis" and data["options"]["physics"] == {"enabled": False}
    assert all("x" in node and "y" in node for node in data["nodes"])


def test_pages_do_not_depend_on_the_hash_seed(root: Path, tmp_path: Path) -> None:
    digests = set()
    for seed in ("1", "2"):
        out = tmp_path / f"page-{seed}.html"
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(Path(__file__).parents[1] / "src")}
        command = [sys.executable, "-m", "iadef", "--root", str(root), "viz", "--out", str(out)]
        subprocess.run(command, check=True, env=env, capture_output=True)
        digests.add(out.read_bytes())
    assert len(digests) == 1


# ---------------------------------------------------------------- in Chromium, both renderers


STILL = "() => !window.iadef.state.moving"  # no animated move of the view under way


def click_node(tab: Any, key: str) -> None:
    """Centre the view on a node (as the search does) and click it."""
    tab.page.wait_for_function(STILL, timeout=10_000)
    tab.page.evaluate("key => window.iadef.focusNode(key, false)", key)
    tab.page.evaluate("() => window.iadef.network.selectNodes([])")
    tab.page.wait_for_timeout(200)
    x, y = tab.node_on_screen(key)
    tab.page.mouse.click(x, y)


@pytest.mark.slow
def test_webgl_page_offline_search_filter_details(opened: Any, webgl_pages: dict[str, Path]) -> None:
    tab = opened(webgl_pages["whole"])
    page = tab.page
    assert page.evaluate("document.querySelectorAll('#network canvas').length") >= 2  # sigma's WebGL layers
    assert tab.requests == [tab.url] and tab.errors == []
    assert page.inner_text("#counts") == f"{viz.WEBGL + 500} nœuds · {2 * (viz.WEBGL + 500) - 4} liens"
    assert "Organization" in page.inner_text("#legend")
    # search
    page.fill("#search", "acteur n° 1234")
    assert page.inner_text("#results li >> nth=0").startswith("Acteur n° 1234")
    page.press("#search", "Enter")
    assert page.evaluate("window.iadef.network.getSelectedNodes()") == ["n01234"]
    assert page.inner_text("#details h3") == "Acteur n° 1234"
    # a hostile label stays text
    page.fill("#search", "<img")
    page.press("#search", "Enter")
    assert HOSTILE in page.inner_text("#details h3")
    assert page.evaluate("document.querySelectorAll('#details img, #results img').length") == 0
    # filter by type
    _, data = columns(webgl_pages["whole"])
    kinds = {key: data["kinds"][kind] for key, kind in zip(data["nodes"]["id"], data["nodes"]["kind"], strict=True)}
    people = sum(1 for kind in kinds.values() if kind == "Person")
    page.select_option("#type-filter", "Person")
    assert page.inner_text("#counts").startswith(f"{people} nœuds")
    hidden = "key => window.iadef.network.sigma.getNodeDisplayData(key).hidden"
    person = next(key for key, kind in kinds.items() if kind == "Person")
    other = next(key for key, kind in kinds.items() if kind != "Person")
    assert page.evaluate(hidden, other) is True and page.evaluate(hidden, person) is False
    page.click("#reset")
    assert page.evaluate(hidden, other) is False
    # clicking a node shows its quotes
    click_node(tab, "n00042")
    page.wait_for_function("() => window.iadef.network.getSelectedNodes()[0] === 'n00042'", timeout=10_000)
    assert QUOTE in page.inner_text("#details")
    assert page.evaluate("document.querySelectorAll('#details b').length") == 0
    # clicking a tie shows it (found geometrically: sigma does not pick ties on large pages)
    page.evaluate(ZOOM_ON, "n00042")
    # The next frame draws the view (sigma updates its matrix when drawing), and a click within
    # 300 ms of the previous one would be a double click to sigma.
    page.wait_for_timeout(400)
    x, y = page.evaluate(MIDDLE)
    page.mouse.click(x, y)
    assert "→" in page.inner_text("#details h3")
    assert "Une phrase citée du document source." in page.inner_text("#details")
    assert tab.errors == [] and tab.requests == [tab.url]


ZOOM_ON = "key => window.iadef.network.moveTo({position: window.iadef.network.getPositions([key])[key], scale: 4})"

# The middle, on screen, of a tie in view and at least 25 pixels from every node (where ties
# cross, a click shows either).
MIDDLE = """() => {
    const network = window.iadef.network, box = document.getElementById('network').getBoundingClientRect();
    const nodes = Object.values(network.getPositions()).map(p => network.canvasToDOM(p));
    for (const [, a, b] of network.ends) {
        const p = network.canvasToDOM({x: (a.x + b.x) / 2, y: (a.y + b.y) / 2});
        if (p.x < 50 || p.y < 50 || p.x > box.width - 50 || p.y > box.height - 50) { continue; }
        if (nodes.every(q => Math.hypot(q.x - p.x, q.y - p.y) > 25) && network.nearestEdge(p) !== null) {
            return [p.x + box.left, p.y + box.top];
        }
    }
    return null;
}"""


NODES_LAYER = """() => {
    const canvas = window.iadef.network.sigma.getCanvases().nodes;
    return [canvas.width, Math.floor(canvas.clientWidth * window.devicePixelRatio)];
}"""


@pytest.mark.slow
def test_webgl_drag_draws_lighter_frames_then_picks_nodes_where_they_went(
    opened: Any, webgl_pages: dict[str, Path]
) -> None:
    tab = opened(webgl_pages["whole"])
    page = tab.page
    tab.page.evaluate("key => window.iadef.focusNode(key, false)", "n00042")
    page.evaluate("() => window.iadef.network.selectNodes([])")
    page.wait_for_timeout(300)
    before = tab.node_on_screen("n00042")
    box = page.locator("#network").bounding_box()
    x, y = box["x"] + 200, box["y"] + 200
    page.mouse.move(x, y)
    page.mouse.down()
    for step in range(1, 13):
        page.mouse.move(x + 10 * step, y + 5 * step)
    drawn, screen = page.evaluate(NODES_LAYER)
    assert drawn < screen  # while the view moves, the nodes layer is drawn at a lower resolution
    page.mouse.up()
    page.wait_for_timeout(600)  # sigma's inertia, then a frame of the still view
    drawn, screen = page.evaluate(NODES_LAYER)
    assert drawn == screen
    after = tab.node_on_screen("n00042")
    assert abs(after[0] - before[0] - 120) < 40 and abs(after[1] - before[1] - 60) < 40  # the view moved
    # The node is picked where it is now (the picking buffer was not drawn during the move).
    page.mouse.move(*after)
    page.wait_for_function("() => !document.getElementById('tooltip').hidden", timeout=10_000)
    assert page.inner_text("#tooltip h3") == "Acteur n° 42"
    assert tab.errors == [] and tab.requests == [tab.url]


@pytest.mark.slow
def test_webgl_ego_view(opened: Any, webgl_pages: dict[str, Path], large: Projection) -> None:
    tab = opened(webgl_pages["ego"])
    keys, data = columns(webgl_pages["ego"])
    assert data["renderer"] == "webgl" and keys == set(viz.select(large, focus="n00000", depth=1))
    assert tab.page.inner_text("#heading") == "Réseau iadef — autour de Acteur n° 0 (1)"
    assert tab.page.evaluate("window.iadef.network.getSelectedNodes()") == ["n00000"]
    assert tab.page.inner_text("#details h3") == "Acteur n° 0"
    faded = "key => window.iadef.network.sigma.getNodeDisplayData(key).color"
    neighbour = next(key for key in sorted(keys) if key != "n00000")
    assert tab.page.evaluate(faded, neighbour) != "#dde2e7"  # the focus and its neighbours stand out
    assert tab.errors == [] and tab.requests == [tab.url]


@pytest.mark.slow
def test_vis_page_click_shows_quotes(opened: Any, pages: dict[str, Path]) -> None:
    tab = opened(pages["default"])
    _, data = page_nodes(pages["default"])
    evidence = data["details"]["mistral-ai"]["evidence"]
    quote = data["quotes"][evidence[0][1]]
    click_node(tab, "mistral-ai")
    tab.page.wait_for_function("() => window.iadef.network.getSelectedNodes()[0] === 'mistral-ai'", timeout=10_000)
    assert quote in tab.page.inner_text("#details")
    assert json.dumps(tab.errors) == "[]" and tab.requests == [tab.url]
