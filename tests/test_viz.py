"""`iadef viz`: the page is self-contained, escaped, deterministic, and works in a real Chromium.

Browser tests drive Debian's /usr/bin/chromium through the ``playwright`` package
(no browser download); they are marked slow but run in the normal suite, and are
skipped with the reason when Chromium or playwright is missing.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from rdflib import Dataset

from iadef.cli.main import main
from iadef.errors import IadefError
from iadef.network import page as viz
from iadef.network.projection import Projection

from .built import built_project

HOSTILE = "<img src=x onerror=alert(1)>"


@pytest.fixture(scope="session")
def pages(tmp_path_factory: pytest.TempPathFactory, root: Path, dataset: Dataset) -> dict[str, Path]:
    """Pages written by the CLI: default, English, ego network, and one with a hostile label."""
    out = tmp_path_factory.mktemp("pages")
    hostile = built_project(tmp_path_factory.mktemp("hostile"), dataset, {'"Mistral AI"': f'"{HOSTILE}"'}).root
    runs = {
        "default": [],
        "en": ["--lang", "en"],
        "ego": ["--focus", "mistral ai", "--depth", "1"],
    }
    files = {}
    for name, extra in runs.items():
        files[name] = out / f"{name}.html"
        assert main(["--root", str(root), "viz", "--out", str(files[name]), *extra]) == 0
    files["hostile"] = out / "hostile.html"
    assert main(["--root", str(hostile), "viz", "--out", str(files["hostile"])]) == 0
    return files


# ---------------------------------------------------------------- the page as bytes


class Tags(HTMLParser):
    """Every element of a page that could load something."""

    LOADERS = frozenset({"script", "link", "img", "iframe", "source", "embed", "object", "video", "audio"})

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.LOADERS:
            self.found.append((tag, attrs))


def test_the_page_links_to_nothing(pages: dict[str, Path]) -> None:
    html = pages["default"].read_text(encoding="utf-8")
    tags = Tags()
    tags.feed(html)  # script and style contents are text to the parser, as to a browser
    assert tags.found == [
        ("link", [("rel", "icon"), ("href", "data:,")]),
        ("script", [("type", "application/json"), ("id", "iadef-data")]),
        ("script", []),
        ("script", []),
    ]
    assert "@import" not in html and "sourceMappingURL" not in html
    assert "Content-Security-Policy" in html and "default-src 'none'" in html


def test_data_is_escaped_inside_its_script_block(pages: dict[str, Path]) -> None:
    html = pages["hostile"].read_text(encoding="utf-8")
    assert HOSTILE not in html
    block = html.split('<script type="application/json" id="iadef-data">', 1)[1].split("</script>", 1)[0]
    assert not set("<>&") & set(block)
    data = json.loads(block)
    assert data["details"]["mistral-ai"]["name"] == HOSTILE
    assert not any("title" in node for node in data["nodes"])  # no vis-network tooltip HTML at all


def test_embed_json_escapes_markup() -> None:
    text = viz.embed_json({"a": "</script><b>&amp;"})
    assert text == '{"a":"\\u003c/script\\u003e\\u003cb\\u003e\\u0026amp;"}'
    assert json.loads(text) == {"a": "</script><b>&amp;"}


def test_pages_are_byte_identical_from_run_to_run(network: Projection) -> None:
    assert viz.build_page(network) == viz.build_page(network)


def test_viz_reports_unchanged_pages(root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "page.html"
    assert main(["--root", str(root), "viz", "--out", str(out)]) == 0
    assert "(written," in capsys.readouterr().out
    assert main(["--root", str(root), "viz", "--out", str(out)]) == 0
    assert "(unchanged," in capsys.readouterr().out


def test_option_strings_survive_pyvis() -> None:
    # pyvis' set_options strips every space from the JSON it is given.
    for large in (False, True):
        strings = re.findall(r'"([^"]*)"', json.dumps(viz.options(large)))
        assert not [s for s in strings if " " in s]


# ---------------------------------------------------------------- views


def test_ego_view(network: Projection) -> None:
    keys = viz.select(network, focus="mistral-ai", depth=1)
    assert keys == ["accord-cadre-mistral-ai", "france", "ministere-des-armees", "mistral-ai"]
    assert set(keys) < set(viz.select(network, focus="mistral-ai", depth=2))


def test_type_view_uses_the_class_hierarchy(network: Projection) -> None:
    people = viz.select(network, types=("Person",))
    assert len(people) == 6 and "sebastien-lecornu" in people
    agreements = viz.select(network, types=("Agreement",))
    assert "convention-armees-territoire-bretagne" in agreements and "accord-cadre-mistral-ai" in agreements
    both = viz.select(network, types=("Person", "Company"))
    assert "mistral-ai" in both and "sebastien-lecornu" in both
    with pytest.raises(IadefError, match="no node of class topic"):
        viz.select(network, types=("Topic",))


def page_nodes(path: Path) -> tuple[set[str], dict[str, Any]]:
    data = json.loads(path.read_text(encoding="utf-8").split('id="iadef-data">', 1)[1].split("</script>", 1)[0])
    return {node["id"] for node in data["nodes"]}, data


def test_query_views(root: Path, tmp_path: Path) -> None:
    out = tmp_path / "query.html"
    assert (
        main(["--root", str(root), "viz", "--out", str(out), "--query", "entities-by-type", "--param", "type=Company"])
        == 0
    )
    keys, data = page_nodes(out)
    assert keys == {"mistral-ai", "hewlett-packard-enterprise", "orange", "bluecime"}
    assert data["title"] == "Réseau iadef — entities-by-type type=Company"
    assert main(["--root", str(root), "viz", "--out", str(out), "--query", "signatories"]) == 0
    keys, _ = page_nodes(out)
    assert {"sebastien-lecornu", "loig-chesnais-girard", "convention-armees-territoire-bretagne"} <= keys


def test_view_errors(root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = str(tmp_path / "x.html")
    assert main(["--root", str(root), "viz", "--out", out, "--type", "Spaceship"]) == 1
    assert "no class is named 'Spaceship'" in capsys.readouterr().err
    assert main(["--root", str(root), "viz", "--out", out, "--focus", "ministre des Armées"]) == 1
    assert "is a post, not a node" in capsys.readouterr().err
    assert main(["--root", str(root), "viz", "--out", out, "--query", "entities-by-type"]) == 1
    assert "needs --param type" in capsys.readouterr().err
    assert not (tmp_path / "x.html").exists()


def test_canvas_labels_are_short(network: Projection) -> None:
    assert viz.short("Agence ministérielle pour l'intelligence artificielle de défense", ["AMIAD"]) == "AMIAD"
    assert (
        viz.short("ministère des Armées et des Anciens combattants", [])
        == "ministère des Armées et\ndes Anciens combattants"
    )
    cut = viz.short("convention « armées – territoire » entre le ministère des Armées et la Région Bretagne", [])
    assert cut.endswith("…") and cut.count("\n") == 1


# ---------------------------------------------------------------- in Chromium


class Opened:
    """A page opened from disk, with everything it tried to fetch, log or pop up."""

    def __init__(self, browser: Any, path: Path) -> None:
        self.url = path.as_uri()
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.page = browser.new_page(viewport={"width": 1400, "height": 900})
        self.page.route("**/*", self._route)
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("console", lambda message: self.errors.append(message.text) if message.type == "error" else None)
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on("dialog", self._dialog)
        self.page.goto(self.url)
        self.page.wait_for_selector("body[data-stable='1']", state="attached", timeout=60_000)

    def _route(self, route: Any) -> None:
        if route.request.url == self.url:
            route.continue_()
        else:
            route.abort()

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def node_on_screen(self, key: str) -> tuple[float, float]:
        x, y = self.page.evaluate(
            """key => {
                const network = window.iadef.network;
                const point = network.canvasToDOM(network.getPositions([key])[key]);
                const box = document.getElementById('network').getBoundingClientRect();
                return [point.x + box.left, point.y + box.top];
            }""",
            key,
        )
        return float(x), float(y)


@pytest.fixture
def opened(browser: Any) -> Iterator[Any]:
    tabs: list[Opened] = []

    def open_page(path: Path) -> Opened:
        tabs.append(Opened(browser, path))
        return tabs[-1]

    yield open_page
    for tab in tabs:
        tab.page.close()


INK = """() => {
    const canvas = document.querySelector('#network canvas');
    const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    let inked = 0;
    for (let i = 3; i < pixels.length; i += 4) { if (pixels[i] > 0) { inked++; } }
    return inked;
}"""


@pytest.mark.slow
def test_the_graph_is_drawn_offline_without_errors(opened: Any, pages: dict[str, Path]) -> None:
    tab = opened(pages["default"])
    assert tab.page.evaluate(INK) > 5000
    assert tab.page.evaluate("window.iadef.network.physics.physicsEnabled") is False  # physics stopped
    assert tab.requests == [tab.url]
    assert tab.errors == []
    counts = tab.page.inner_text("#counts")
    assert re.fullmatch(r"\d+ nœuds · \d+ liens", counts)
    assert "organisation" in tab.page.inner_text("#legend")


@pytest.mark.slow
def test_a_hostile_label_stays_text(opened: Any, pages: dict[str, Path]) -> None:
    tab = opened(pages["hostile"])
    page = tab.page
    page.fill("#search", "<img")
    assert HOSTILE in page.inner_text("#results")
    page.press("#search", "Enter")
    assert page.evaluate("window.iadef.network.getSelectedNodes()") == ["mistral-ai"]
    assert HOSTILE in page.inner_text("#details")
    page.wait_for_function("() => !window.iadef.state.moving", timeout=10_000)  # the view moves to the node
    x, y = tab.node_on_screen("mistral-ai")
    page.mouse.move(x - 40, y - 40)
    page.mouse.move(x, y)
    page.wait_for_selector("#tooltip:not([hidden])", timeout=5_000)
    assert HOSTILE in page.inner_text("#tooltip")
    page.wait_for_timeout(300)
    assert page.evaluate("document.querySelectorAll('img, iframe, object, embed').length") == 0
    assert tab.dialogs == []
    assert tab.requests == [tab.url]
    assert tab.errors == []


@pytest.mark.slow
def test_search_finds_and_focuses_a_node(opened: Any, pages: dict[str, Path]) -> None:
    tab = opened(pages["default"])
    page = tab.page
    page.fill("#search", "agence ministerielle IA")  # no accents, acronym and words out of the label's order
    assert page.inner_text("#results li >> nth=0").startswith("Agence ministérielle pour l'intelligence")
    page.fill("#search", "amiad")
    page.press("#search", "Enter")
    assert page.evaluate("window.iadef.network.getSelectedNodes()") == ["amiad"]
    centred = """key => {
        const network = window.iadef.network, node = network.getPositions([key])[key];
        const view = network.getViewPosition();
        return Math.abs(view.x - node.x) < 1 && Math.abs(view.y - node.y) < 1;
    }"""
    page.wait_for_function(centred, arg="amiad", timeout=10_000)  # the view moves to the node (animated)
    assert page.inner_text("#details h3") == "Agence ministérielle pour l'intelligence artificielle de défense"


@pytest.mark.slow
def test_filters_by_type_and_relation(opened: Any, pages: dict[str, Path]) -> None:
    page = opened(pages["default"]).page
    page.select_option("#type-filter", "Person")
    assert page.inner_text("#counts").startswith("6 nœuds")
    page.select_option("#type-filter", "")
    page.select_option("#relation-filter", "party")
    shown = page.evaluate("window.iadef.network.body.data.edges.get().map(e => e.rel)")
    assert shown and set(shown) == {"party"}
    page.click("#reset")
    assert page.evaluate("window.iadef.network.body.data.nodes.length") == page.evaluate("window.iadef.nodes.length")


@pytest.mark.slow
def test_english_and_ego_pages(opened: Any, pages: dict[str, Path]) -> None:
    english = opened(pages["en"]).page
    assert english.inner_text("#heading") == "iadef network"
    assert "organization" in english.inner_text("#legend")
    ego = opened(pages["ego"])
    assert ego.page.inner_text("#heading") == "Réseau iadef — autour de Mistral AI (1)"
    assert ego.page.evaluate("window.iadef.nodes.length") == 4
    assert ego.page.evaluate("window.iadef.network.getSelectedNodes()") == ["mistral-ai"]
    assert ego.errors == [] and ego.requests == [ego.url]


@pytest.mark.slow
def test_the_date_slider_replays_the_network(opened: Any, pages: dict[str, Path]) -> None:
    tab = opened(pages["default"])
    page = tab.page
    days = page.evaluate("JSON.parse(document.getElementById('iadef-data').textContent).days")
    # the roadmap's page is dated by the start of its plan's period (2022, a lower bound: the end,
    # 2028, does not date it), the convention's by the signature it reports
    assert days[:2] == ["2022-01-01", "2024-04-04"]
    everything = page.evaluate("window.iadef.nodes.length")
    assert page.inner_text("#time-value").startswith("tout")
    page.focus("#time")
    page.keyboard.press("Home")  # the slider's first position, as a user moves it
    assert page.inner_text("#time-value") == "2022-01-01"
    first = page.evaluate("window.iadef.shown()")
    assert "feuille-de-route-ia-etat-region-aura" in first
    assert "convention-armees-territoire-bretagne" not in first and "mistral-ai" not in first
    assert 0 < len(first) < everything
    shown_edges = page.evaluate("window.iadef.network.body.data.edges.get().map(e => e.since)")
    assert shown_edges and all(since and since <= "2022-01-01" for since in shown_edges)
    page.keyboard.press("ArrowRight")
    assert page.inner_text("#time-value") == days[1] == "2024-04-04"
    second = page.evaluate("window.iadef.shown()")
    assert "convention-armees-territoire-bretagne" in second and len(second) > len(first)
    page.click("#play")  # replays from the first day to "all"
    done = "() => window.iadef.state.playing === null && window.iadef.state.day === null"
    page.wait_for_function(done, timeout=15_000)
    assert len(page.evaluate("window.iadef.shown()")) == everything
    assert tab.errors == [] and tab.requests == [tab.url]


def test_the_slider_follows_the_as_of_rule(root: Path, tmp_path: Path, pages: dict[str, Path]) -> None:
    """At each day of the slider, the page shows the nodes `viz --as-of` that day draws."""
    data = _page_data(pages["default"])
    for day in data["days"]:
        out = tmp_path / f"{day}.html"
        assert main(["--root", str(root), "viz", "--out", str(out), "--as-of", day]) == 0
        sliced = {node["id"] for node in _page_data(out)["nodes"]}
        assert {n["id"] for n in data["nodes"] if n["since"] and n["since"] <= day} == sliced, day


def _page_data(path: Path) -> dict[str, Any]:
    text = path.read_text(encoding="utf-8")
    block = re.search(r'<script type="application/json" id="iadef-data">(.*?)</script>', text, re.S)
    assert block is not None
    return dict(json.loads(block.group(1)))
