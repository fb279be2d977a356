"""The review page of `iadef serve` (issue 15, item 2): a real server on a copy of the project, real Chromium.

The fixture article (tests/fixtures/ingest/review-article.txt, invented for the tests) is
ingested once per module with the real French model, into a temporary copy of the project
(never the real seeds/). HTTP tests check the defences of the JSON API; the browser test
accepts, rejects, edits and merges with the keyboard and the page's forms, applies, then
builds the copy and finds the accepted facts, with their quotes, in the graph.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from http.client import HTTPConnection
from pathlib import Path
from typing import Any

import pytest
import yaml
from rdflib import Dataset, URIRef

from iadef.cli.main import main
from iadef.ingest import load_queue
from iadef.paths import Project
from iadef.serve.review import MAX_BODY, TOKEN_HEADER
from iadef.serve.server import ServeConfig, SparqlServer, running
from iadef.stores.setting import StoreSpec

ROOT = Path(__file__).resolve().parents[1]
ARTICLE = ROOT / "tests" / "fixtures" / "ingest" / "review-article.txt"
SOURCE = "doc-900-review-fixture"
HOSTILE = "<img src=x onerror=alert(1)>"
CORS = "http://example.org"  # allowed for /sparql by --cors; never for /review
ID = "https://w3id.org/iadef/id/"
DEF = "https://w3id.org/iadef/def/"


@pytest.fixture(scope="module")
def proj(tmp_path_factory: pytest.TempPathFactory) -> Project:
    root = tmp_path_factory.mktemp("review")
    for name in ("ontology", "queries", "seeds"):
        shutil.copytree(ROOT / name, root / name)
    assert main(["--root", str(root), "build"]) == 0  # the server serves a built graph
    # a curated entity that no document declares yet (so the build would refuse it until the
    # reviewed article declares it): the target of the merge below
    with (root / "seeds" / "entities.yaml").open("a", encoding="utf-8") as entities:
        entities.write("\nthales:\n  label: {fr: Thales, en: Thales}\n")
    args = ["--root", str(root), "ingest", str(ARTICLE), "--key", SOURCE, "--issued", "2025-03-12"]
    assert main([*args, "--title", "Article inventé pour les tests"]) == 0
    return Project(root)


@pytest.fixture(scope="module")
def server(proj: Project) -> Iterator[SparqlServer]:
    config = ServeConfig(port=0, workers=1, quiet=True, cors=CORS, reload_interval=0)
    with running(proj, StoreSpec("oxigraph"), config, log=lambda line: None) as started:
        yield started


def request(
    server: SparqlServer,
    method: str,
    path: str,
    body: bytes | dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
    *,
    token: bool = True,
) -> tuple[int, dict[str, str], bytes]:
    sent = {"Content-Type": "application/json"} if isinstance(body, dict) else {}
    if token:
        sent[TOKEN_HEADER] = server.review.token
    sent.update(headers or {})
    data = json.dumps(body).encode("utf-8") if isinstance(body, dict) else body
    conn = HTTPConnection("127.0.0.1", server.port, timeout=30)
    try:
        conn.request(method, path, body=data, headers=sent)
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        conn.close()


def error_of(body: bytes) -> str:
    answer = json.loads(body)
    assert isinstance(answer["error"], str)
    return answer["error"]


def item(proj: Project, kind: str, **wanted: str) -> dict[str, Any]:
    """The one item of the queue whose fields (``s``/``o`` given as entity labels) are ``wanted``."""
    queue = load_queue(proj, SOURCE)
    labels = {e["id"]: e["label"] for e in queue["entities"]}
    found = [
        i
        for i in queue[kind]
        if all((labels.get(i.get(k)) if k in ("s", "o") else i.get(k)) == v for k, v in wanted.items())
    ]
    assert len(found) == 1, (kind, wanted, found)
    return found[0]


def queue_bytes(proj: Project) -> bytes:
    return (proj.seeds / "review" / f"{SOURCE}.yaml").read_bytes()


# ---------------------------------------------------------------- HTTP: pages and defences


def test_the_index_lists_the_queues(server: SparqlServer) -> None:
    status, headers, body = request(server, "GET", "/review", token=False)
    assert status == 200 and f'href="/review/{SOURCE}"' in body.decode("utf-8")
    assert "unsafe-inline" not in headers["content-security-policy"]


def test_the_page_has_a_strict_policy_and_no_cors(server: SparqlServer) -> None:
    status, headers, body = request(server, "GET", f"/review/{SOURCE}", token=False)
    policy = headers["content-security-policy"]
    assert status == 200 and headers["content-type"].startswith("text/html")
    assert policy.startswith("default-src 'none'; style-src 'sha256-") and "script-src 'sha256-" in policy
    assert "unsafe" not in policy and "connect-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "access-control-allow-origin" not in headers  # --cors is set, but not for /review
    assert body.decode("utf-8").count(server.review.token) == 1
    assert HOSTILE not in body.decode("utf-8")  # the article comes as JSON, through textContent


def test_an_unknown_source_is_a_clear_404(server: SparqlServer) -> None:
    status, _, body = request(server, "GET", "/review/doc-999-nothing", token=False)
    assert status == 404
    assert "no review queue for source 'doc-999-nothing'" in body.decode("utf-8") and SOURCE in body.decode("utf-8")
    status, _, body = request(server, "GET", "/review/..%2F..%2Fontology%2Fiadef", token=False)
    assert status == 404 and "is not a source key" in body.decode("utf-8")
    status, headers, body = request(server, "GET", "/review/api/queue/doc-999-nothing")
    assert status == 404 and headers["content-type"].startswith("application/json")
    assert "no review queue for source 'doc-999-nothing'" in error_of(body)


def test_the_queue_is_read_with_the_token(server: SparqlServer, proj: Project) -> None:
    status, _, body = request(server, "GET", f"/review/api/queue/{SOURCE}")
    data = json.loads(body)
    assert status == 200 and data["text"] == ARTICLE.read_text(encoding="utf-8")
    for entity in data["entities"]:
        for mention in entity["mentions"]:
            assert data["text"][mention["start"] : mention["end"]] == mention["text"]
    assert {"partnerOf", "about"} <= {p["name"] for p in data["properties"]}
    assert "thales" in {k["key"] for k in data["known"]}
    assert request(server, "GET", f"/review/api/queue/{SOURCE}", token=False)[0] == 403


@pytest.mark.parametrize(
    ("headers", "says"),
    [
        ({}, f"missing or wrong {TOKEN_HEADER}"),
        ({TOKEN_HEADER: "not-the-token"}, f"missing or wrong {TOKEN_HEADER}"),
        ({"Origin": "http://evil.example"}, "requests from http://evil.example are refused"),
        ({"Origin": CORS}, f"review requests from {CORS} are refused"),  # --cors does not open /review
        ({"Host": "evil.example:8077"}, "is not this server (a defence against DNS rebinding)"),
    ],
)
def test_writes_need_the_token_and_this_origin(
    server: SparqlServer, proj: Project, headers: dict[str, str], says: str
) -> None:
    before = queue_bytes(proj)
    fact = item(proj, "facts", p="partnerOf")
    body = {"source": SOURCE, "id": fact["id"], "decision": "rejected"}
    with_token = "Origin" in headers or "Host" in headers  # the token is right: the origin or host is refused
    status, answer, text = request(server, "POST", "/review/api/decide", body, headers, token=with_token)
    assert status == 403 and says in text.decode("utf-8")
    assert "access-control-allow-origin" not in answer
    assert queue_bytes(proj) == before


def test_a_write_from_this_origin_with_the_token_is_done(server: SparqlServer, proj: Project) -> None:
    fact = item(proj, "facts", p="partnerOf")
    body = {"source": SOURCE, "id": fact["id"], "decision": "pending"}
    status, _, text = request(server, "POST", "/review/api/decide", body, {"Origin": server.url.rstrip("/")})
    assert status == 200 and json.loads(text)["item"]["decision"] == "pending"


@pytest.mark.parametrize(
    ("content_type", "body", "status", "says"),
    [
        ("text/plain", b'{"source": "x"}', 415, "unsupported Content-Type 'text/plain'"),
        ("application/x-www-form-urlencoded", b"source=x", 415, "send application/json"),
        ("application/json", b"{not json", 400, "the body is not JSON"),
        ("application/json", b"[1, 2]", 400, "the body must be a JSON object"),
        ("application/json", b'{"source": "' + b"x" * MAX_BODY + b'"}', 413, "more than the limit"),
        ("application/json", b'{"id": "e-1"}', 400, "'source' must be a non-empty string"),
    ],
)
def test_bad_bodies_are_refused(
    server: SparqlServer, proj: Project, content_type: str, body: bytes, status: int, says: str
) -> None:
    before = queue_bytes(proj)
    got, _, text = request(server, "POST", "/review/api/decide", body, {"Content-Type": content_type})
    assert got == status and says in error_of(text)
    assert queue_bytes(proj) == before


def test_ingest_errors_are_400_with_their_message(server: SparqlServer, proj: Project) -> None:
    before = queue_bytes(proj)
    fact = item(proj, "facts", p="partnerOf")
    cases = [
        ({"id": "f-nope", "decision": "accepted"}, "no item 'f-nope'"),
        ({"id": fact["id"], "decision": "maybe"}, "unknown decision 'maybe'"),
        ({"id": fact["id"], "decision": "accepted", "edits": {"p": "likes"}}, "unknown property 'likes'"),
        ({"id": fact["id"], "decision": "accepted", "edits": {"quote": "Le 12 mars 2025"}}, "not a verbatim part"),
    ]
    for body, says in cases:
        status, _, text = request(server, "POST", "/review/api/decide", {"source": SOURCE, **body})
        assert status == 400 and says in error_of(text), (body, text)
    status, _, text = request(server, "POST", "/review/api/merge", {"source": SOURCE, "id": fact["id"], "into": "x"})
    assert status == 400 and "only entities merge" in error_of(text)
    assert queue_bytes(proj) == before


def test_a_shortened_quote_keeps_the_place_chosen(server: SparqlServer, proj: Project) -> None:
    fact = item(proj, "facts", p="deliveryDate")
    assert fact["quote"] == "Le contrat sera livré fin 2026."  # "ra" twice: contrat, sera
    text = ARTICLE.read_text(encoding="utf-8")
    second = fact["start"] + fact["quote"].index("ra", 8)
    body = {"source": SOURCE, "id": fact["id"], "decision": "pending", "edits": {"quote": "ra"}}
    outside = {**body, "quote_start": text.index("ra")}  # an "ra" of the article, not of this quote
    status, _, answer = request(server, "POST", "/review/api/decide", outside)
    assert status == 400 and "not a verbatim part of the current quote" in error_of(answer)
    status, _, answer = request(server, "POST", "/review/api/decide", {**body, "quote_start": second})
    assert status == 200
    after = item(proj, "facts", p="deliveryDate")
    assert (after["quote"], after["start"], after["end"]) == ("ra", second, second + 2)
    assert after["original"]["quote"] == fact["quote"]


def test_each_server_run_has_its_own_token(server: SparqlServer, proj: Project) -> None:
    from iadef.serve.review import Review

    other = Review(proj, lambda origin: False)
    assert other.token != server.review.token and len(other.token) >= 40


# ---------------------------------------------------------------- in Chromium

SELECT_WORDS = """words => {
  const article = document.getElementById("article");
  const start = article.textContent.indexOf(words), end = start + words.length;
  const walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  let seen = 0;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const next = seen + node.textContent.length;
    if (seen <= start && start < next) range.setStart(node, start - seen);
    if (seen < end && end <= next) range.setEnd(node, end - seen);
    seen = next;
  }
  getSelection().removeAllRanges();
  getSelection().addRange(range);
}"""


class Tab:
    """A page with what failed, was logged as an error, or popped up."""

    def __init__(self, browser: Any, url: str) -> None:
        self.failed: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.page = browser.new_page(viewport={"width": 1400, "height": 860})
        self.page.on("requestfailed", lambda request: self.failed.append(request.url))
        self.page.on("response", lambda r: self.failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
        self.page.on("console", lambda message: self.errors.append(message.text) if message.type == "error" else None)
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on("dialog", lambda dialog: (self.dialogs.append(dialog.message), dialog.dismiss()))
        self.page.goto(url)
        self.page.wait_for_selector("body[data-ready='1']", state="attached", timeout=30_000)

    def pick(self, item_id: str) -> None:
        self.page.click(f"#items li[data-id='{item_id}']")
        self.page.wait_for_selector(f"#items li.current[data-id='{item_id}']")

    def decided(self, item_id: str, decision: str) -> None:
        self.page.wait_for_selector(f"#items li[data-id='{item_id}'][data-decision='{decision}']", timeout=15_000)


@pytest.mark.slow
def test_review_in_chromium_then_apply_and_build(browser: Any, server: SparqlServer, proj: Project) -> None:
    partnership = item(proj, "facts", p="partnerOf", s="Thales")
    wrong = item(proj, "facts", p="budgetFor", o="Naval Group")
    edited = item(proj, "facts", p="budgetFor", o="contrat")
    thales = item(proj, "entities", label="Thales")
    # what another curator accepted from the terminal meanwhile: the other ends and the contract's facts
    others = [item(proj, "entities", label=label)["id"] for label in ("Agence de l'innovation de défense", "contrat")]
    others += [item(proj, "entities", existing=key)["id"] for key in ("dga",)]
    others += [item(proj, "entities", label="Naval Group")["id"], item(proj, "entities", rule="amount")["id"]]
    others += [item(proj, "facts", p=p)["id"] for p in ("amount", "currency", "contractor", "contractingAuthority")]
    assert main(["--root", str(proj.root), "review", "accept", *others]) == 0

    tab = Tab(browser, f"{server.url}review/{SOURCE}")
    page = tab.page
    try:
        # the article's HTML is text
        assert HOSTILE in page.inner_text("#article")
        assert page.evaluate("document.querySelectorAll('img, iframe, object, embed').length") == 0
        assert page.locator("#article span.hl").count() > 5
        # keyboard: move with k/j, accept with a
        tab.pick(partnership["id"])
        page.keyboard.press("k")
        assert page.get_attribute("#items li.current", "data-id") != partnership["id"]
        page.keyboard.press("j")
        assert page.get_attribute("#items li.current", "data-id") == partnership["id"]
        page.keyboard.press("a")
        tab.decided(partnership["id"], "accepted")
        # reject
        tab.pick(wrong["id"])
        page.keyboard.press("r")
        tab.decided(wrong["id"], "rejected")
        # edit: the property, and the quote cut to the words that say it
        tab.pick(edited["id"])
        page.keyboard.press("e")
        page.select_option("#edit-p", "about")
        page.evaluate(SELECT_WORDS, "un contrat de 45 millions d'euros")
        page.click("#use-selection")
        assert page.input_value("#edit-quote") == "un contrat de 45 millions d'euros"
        page.press("#edit-quote", "Control+Enter")
        tab.decided(edited["id"], "accepted")
        # merge the new entity "Thales" into the curated entity thales
        tab.pick(thales["id"])
        page.keyboard.press("m")
        page.select_option("#edit-into", "thales")
        page.click("#merger button[type=submit]")
        tab.decided(thales["id"], "accepted")
        # help, filters
        page.keyboard.press("?")
        assert page.is_visible("#help")
        page.keyboard.press("Escape")
        assert not page.is_visible("#help")
        page.select_option("#decision-filter", "rejected")
        assert page.eval_on_selector_all("#items li", "lis => lis.map(li => li.dataset.id)") == [wrong["id"]]
        page.select_option("#decision-filter", "all")
        page.eval_on_selector("#min-confidence", "e => { e.value = '0.9'; e.dispatchEvent(new Event('input')); }")
        shown = page.eval_on_selector_all("#items li .conf", "cs => cs.map(c => Number(c.textContent))")
        assert shown and min(shown) >= 0.9
        # apply: pending items block it, the error is shown; partial applies
        page.click("#apply")
        page.wait_for_selector("#error:not([hidden])")
        assert "still pending" in page.inner_text("#error")
        page.check("#partial")
        page.click("#apply")
        page.wait_for_selector("#message:has-text('applied:')")
        assert page.is_hidden("#error")
        assert [e for e in tab.errors if "status of 400" not in e] == [] and tab.dialogs == []
        assert [f for f in tab.failed if "/review/api/apply" not in f] == []  # only the refused apply (400)
    finally:
        page.close()

    queue = load_queue(proj, SOURCE)
    after = next(f for f in queue["facts"] if f["id"] == edited["id"])
    text = ARTICLE.read_text(encoding="utf-8")
    assert after["p"] == "about" and text[after["start"] : after["end"]] == "un contrat de 45 millions d'euros"
    assert edited["start"] <= after["start"] and after["end"] <= edited["end"]
    facts = yaml.safe_load((proj.facts / f"{SOURCE}.yaml").read_text(encoding="utf-8"))
    assert facts["entities"]["thales"]["names"] == ["Thales"]

    assert main(["--root", str(proj.root), "build"]) == 0
    graph = Dataset()
    graph.parse(proj.graph / "iadef.nq", format="nquads")
    budget = next(f["s"] for f in facts["facts"] if f["p"] == "about")
    contract = next(f["o"] for f in facts["facts"] if f["p"] == "about")
    expected = {
        (ID + "thales", "partnerOf", ID + "aid"): partnership["quote"],
        (ID + budget, "about", ID + contract): "un contrat de 45 millions d'euros",
    }
    for (s, p, o), quote in expected.items():
        rows = list(
            graph.query(
                "SELECT ?q WHERE { GRAPH ?g { ?s ?p ?o } ?g <https://w3id.org/iadef/def/quote> ?q }",
                initBindings={"s": URIRef(s), "p": URIRef(DEF + p), "o": URIRef(o)},
            )
        )
        assert [str(row[0]) for row in rows] == [quote], (s, p, o)
    refused = "ASK { GRAPH ?g { ?s <https://w3id.org/iadef/def/budgetFor> ?o } }"
    assert not graph.query(refused, initBindings={"s": URIRef(ID + budget), "o": URIRef(ID + "naval-group")}).askAnswer
