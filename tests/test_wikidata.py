"""Wikidata linking: the real client against a local server replaying Wikidata-format fixtures."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import OWL, RDF, XSD, Dataset, Literal, URIRef

from iadef.cli.main import main
from iadef.curation.linking import link
from iadef.errors import IadefError
from iadef.namespaces import CURATORS, ID, PROV
from iadef.paths import Project
from iadef.wikidata.cache import Cache, CacheMiss, request_key
from iadef.wikidata.client import WikidataClient, WikidataUnreachable
from iadef.wikidata.decisions import Decision, read_decisions, write_decisions
from iadef.wikidata.enrich import ADMS, PAV, SCHEMA, WD, WDT, enrich, link_quads
from iadef.wikidata.scoring import Names, classify, score
from iadef.wikidata.settings import LINKS_FILE, LINKS_GRAPH, USER_AGENT, WIKIDATA_GRAPH, Settings
from iadef.wikidata.typemap import load_typemap

from .conftest import ROOT
from .wikidata_server import FakeWikidata, start

ONLY = ["grenoble", "mistral-ai", "orange", "sebastien-lecornu"]


@pytest.fixture
def wikidata() -> Iterator[tuple[FakeWikidata, str]]:
    state = FakeWikidata()
    server, url = start(state)
    yield state, url
    server.shutdown()
    server.server_close()


class Sleeps(list[float]):
    """Records the waits instead of waiting."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def settings(url: str, sleeps: Sleeps | None = None, **kw: object) -> Settings:
    return Settings(api=url, sleep=sleeps if sleeps is not None else Sleeps(), backoff_base=0.01, **kw)  # type: ignore[arg-type]


def fresh(project: Project) -> Project:
    """The scratch project without the shipped decisions (tests bring their own)."""
    (project.root / LINKS_FILE).unlink(missing_ok=True)
    return project


# ---------------------------------------------------------------- client


def test_search_and_entities_follow_wikimedia_rules(wikidata: tuple[FakeWikidata, str], tmp_path: Path) -> None:
    state, url = wikidata
    client = WikidataClient(settings(url), Cache(tmp_path))
    hits = client.search("Orange", "fr")
    assert [h["id"] for h in hits] == ["Q900000101", "Q900000103"]
    items = client.entities(["Q900000101", "Q404"])
    assert items["Q900000101"]["claims"]["P17"][0]["mainsnak"]["datavalue"]["value"]["id"] == "Q142"
    assert "missing" in items["Q404"]
    for logged in state.log:
        assert logged.headers["user-agent"] == USER_AGENT
        assert "https://w3id.org/iadef" in logged.headers["user-agent"]
        assert logged.params["maxlag"] == "5" and logged.params["format"] == "json"


def test_entities_are_fetched_in_batches_of_at_most_50(wikidata: tuple[FakeWikidata, str], tmp_path: Path) -> None:
    state, url = wikidata
    client = WikidataClient(settings(url), Cache(tmp_path))
    items = client.entities([f"Q{1000 + i}" for i in range(120)])
    assert len(items) == 120
    sizes = [len(entry.params["ids"].split("|")) for entry in state.log]
    assert len(sizes) == 3 and max(sizes) <= 50 and sum(sizes) == 120


def test_redirect_is_followed(wikidata: tuple[FakeWikidata, str], tmp_path: Path) -> None:
    _, url = wikidata
    item = WikidataClient(settings(url), Cache(tmp_path)).entities(["Q900000300"])["Q900000300"]
    assert item["id"] == "Q900000301" and item["redirects"] == {"from": "Q900000300", "to": "Q900000301"}


def test_429_waits_retry_after_then_retries(wikidata: tuple[FakeWikidata, str], tmp_path: Path) -> None:
    state, url = wikidata
    state.script = [("429", 3)]
    sleeps = Sleeps()
    hits = WikidataClient(settings(url, sleeps), Cache(tmp_path)).search("Grenoble", "fr")
    assert hits[0]["id"] == "Q900000201"
    assert sleeps == [3.0] and len(state.log) == 2


def test_maxlag_error_waits_and_retries(wikidata: tuple[FakeWikidata, str], tmp_path: Path) -> None:
    state, url = wikidata
    state.script = [("maxlag", 2), ("maxlag", 4)]
    sleeps = Sleeps()
    client = WikidataClient(settings(url, sleeps), Cache(tmp_path))
    assert client.search("Grenoble", "fr")[0]["id"] == "Q900000201"
    assert sleeps == [2.0, 4.0] and client.requests == 3


def test_retry_after_is_capped(wikidata: tuple[FakeWikidata, str], tmp_path: Path) -> None:
    state, url = wikidata
    state.script = [("429", 3600)]
    sleeps = Sleeps()
    WikidataClient(settings(url, sleeps, backoff_cap=30.0), Cache(tmp_path)).search("Grenoble", "fr")
    assert sleeps == [30.0]


def test_timeout_is_a_clear_error_then_the_cache_is_used(wikidata: tuple[FakeWikidata, str], tmp_path: Path) -> None:
    state, url = wikidata
    cache = Cache(tmp_path)
    WikidataClient(settings(url), cache).search("Grenoble", "fr")  # fills the cache
    state.always_slow = 1.0
    slow = settings(url, timeout=0.2, max_retries=1, refresh=True)
    with pytest.raises(WikidataUnreachable) as caught:
        WikidataClient(slow, cache).search("Orange", "fr")
    assert isinstance(caught.value, IadefError)
    assert "unreachable" in str(caught.value) and "timed out" in str(caught.value)
    assert "--offline" in str(caught.value)
    client = WikidataClient(slow, cache)
    assert client.search("Grenoble", "fr")[0]["id"] == "Q900000201"  # fell back to the cached answer
    assert client.degraded and "used the cached answer" in client.warnings[0]


def test_offline_uses_only_the_cache(wikidata: tuple[FakeWikidata, str], tmp_path: Path) -> None:
    _, url = wikidata
    cache = Cache(tmp_path)
    WikidataClient(settings(url), cache).search("Grenoble", "fr")
    offline = WikidataClient(Settings(api="http://127.0.0.1:9/nothing", offline=True), cache)
    assert offline.search("Grenoble", "fr")[0]["id"] == "Q900000201"
    with pytest.raises(CacheMiss) as caught:
        offline.search("Orange", "fr")
    assert isinstance(caught.value, IadefError) and "not in the Wikidata cache" in str(caught.value)
    assert offline.requests == 0


def test_cache_key_is_the_sorted_request() -> None:
    a = request_key({"action": "wbsearchentities", "search": "x", "maxlag": "5"})
    assert a == request_key({"search": "x", "action": "wbsearchentities", "format": "json"})
    assert a != request_key({"action": "wbsearchentities", "search": "y"})


# ---------------------------------------------------------------- scoring


def _item(p31: str, country: str | None, label: str = "Orange") -> dict[str, object]:
    def claim(q: str) -> dict[str, object]:
        return {"mainsnak": {"snaktype": "value", "datavalue": {"value": {"id": q}, "type": "wikibase-entityid"}}}

    claims = {"P31": [claim(p31)], **({"P17": [claim(country)]} if country else {})}
    return {"id": "Q1", "labels": {"fr": {"language": "fr", "value": label}}, "claims": claims}


def test_a_company_that_is_a_city_is_penalised_and_france_counts() -> None:
    typemap = load_typemap(
        ROOT / "seeds" / "wikidata-types.yaml",
        "types",
        {"Company", "City", "Organization"}
        | {"Person", "Region", "Place", "Territory", "Country", "SupranationalUnion", "Programme", "Event", "Topic"},
    )
    rule = typemap.rule_for(["Company", "Organization"])
    names = Names(("Orange",), ())
    labels = {"Q4830453": ["business"], "Q515": ["city"]}
    company = score(names, _item("Q4830453", "Q142"), rule, labels)
    city = score(names, _item("Q515", "Q142"), rule, labels)
    foreign = score(names, _item("Q4830453", "Q30"), rule, labels)
    assert classify(company) == "auto" and company.total == 1.0
    assert classify(city) == "left" and city.total < 0.6
    assert company.total - foreign.total == pytest.approx(0.15)
    assert classify(foreign) == "proposed"
    close = score(names, _item("Q4830453", "Q142", "Orange Bank"), rule, labels)
    assert classify(company, close) in {"auto", "proposed"}
    assert classify(company, company) == "proposed"  # a tie is never linked automatically


# ---------------------------------------------------------------- link, cache, decisions


def test_link_scores_redirects_and_writes_decisions(wikidata: tuple[FakeWikidata, str], scratch: Project) -> None:
    _, url = wikidata
    report = link(fresh(scratch), settings(url), only=ONLY, today="2026-11-21")
    decisions = read_decisions(scratch.root / LINKS_FILE, "links")
    assert {k: (d.qid, d.status) for k, d in decisions.items()} == {
        "grenoble": ("Q900000201", "auto"),
        "mistral-ai": ("Q900000301", "auto"),  # the search hit Q900000300 redirects there
        "orange": ("Q900000101", "auto"),  # the company, not the commune of Vaucluse
        "sebastien-lecornu": ("Q900000401", "auto"),
    }
    assert "revision 2000000101" in (decisions["orange"].evidence or "")
    assert report.counts["auto"] == 4 and report.requests > 0


def test_second_run_makes_no_request_and_offline_gives_the_same(
    wikidata: tuple[FakeWikidata, str], scratch: Project
) -> None:
    state, url = wikidata
    link(fresh(scratch), settings(url), only=ONLY, today="2026-11-21")
    first = (scratch.root / LINKS_FILE).read_bytes()
    count = len(state.log)
    again = link(scratch, settings(url), only=ONLY, today="2026-12-01")
    assert len(state.log) == count and again.requests == 0 and not again.changed
    offline = link(scratch, Settings(api="http://127.0.0.1:9/nothing", offline=True), only=ONLY, today="2026-12-02")
    assert offline.requests == 0 and (scratch.root / LINKS_FILE).read_bytes() == first
    missing = link(scratch, Settings(offline=True), only=["bluecime"])
    assert missing.skipped == ["bluecime"]


def test_human_decisions_are_never_changed(wikidata: tuple[FakeWikidata, str], scratch: Project) -> None:
    state, url = wikidata
    path = fresh(scratch).root / LINKS_FILE
    human = {
        "orange": Decision("orange", "Q1431486", "accepted", "2026-01-02", "Orange", None, "checked by hand"),
        "grenoble": Decision("grenoble", "Q900000201", "rejected", "2026-01-03", None, None, "wrong Grenoble"),
    }
    write_decisions(path, human)
    before = path.read_text(encoding="utf-8")
    link(scratch, settings(url), only=ONLY, today="2026-11-21")
    after = read_decisions(path, "links")
    for key, decision in human.items():
        assert after[key].same_as(decision) and after[key].date == decision.date
        assert before.split(f"\n{key}:\n")[1].split("\n\n")[0] in path.read_text(encoding="utf-8")
    searched = {entry.params.get("search") for entry in state.log}
    assert "Orange" not in searched and "Grenoble" not in searched
    assert after["mistral-ai"].status == "auto"


def test_cli_link_and_enrich(
    wikidata: tuple[FakeWikidata, str], scratch: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    _, url = wikidata
    root = str(fresh(scratch).root)
    assert main(["--root", root, "link", "--api", url, "--only", "orange", "--only", "grenoble"]) == 0
    assert "linked 2 automatically" in capsys.readouterr().out
    assert main(["--root", root, "link", "--offline", "--only", "orange"]) == 0
    assert "0 requests" in capsys.readouterr().out
    assert main(["--root", root, "link", "--offline", "--only", "no-such-key"]) == 1
    assert "unknown entity key" in capsys.readouterr().err
    assert main(["--root", root, "enrich"]) == 0
    assert "enriched 2 linked entities" in capsys.readouterr().out


def test_bad_decisions_file_names_file_and_line(scratch: Project) -> None:
    path = fresh(scratch).root / LINKS_FILE
    path.write_text("orange:\n  qid: Q1\n  status: accepted\n  date: 2026-01-02\n", encoding="utf-8")
    with pytest.raises(IadefError, match="no evidence") as caught:
        read_decisions(path, "seeds/wikidata-links.yaml")
    assert caught.value.line == 1
    path.write_text("orange:\n  qid: 142\n  status: auto\n  date: 2026-01-02\n", encoding="utf-8")
    with pytest.raises(IadefError, match="not a Wikidata item id") as caught:
        read_decisions(path, "seeds/wikidata-links.yaml")
    assert caught.value.line == 2


# ---------------------------------------------------------------- graphs


def test_enrich_writes_a_separate_named_graph_with_provenance(
    wikidata: tuple[FakeWikidata, str], scratch: Project
) -> None:
    _, url = wikidata
    link(fresh(scratch), settings(url), only=ONLY, today="2026-11-21")
    report = enrich(scratch)
    assert report.entities == 4 and report.facts >= 6 and report.without_data == []
    data = Dataset()
    data.parse(scratch.root / "graph" / "wikidata.trig", format="trig")
    graph = data.graph(URIRef(WIKIDATA_GRAPH))
    orange, grenoble, mistral = WD.Q900000101, WD.Q900000201, WD.Q900000301
    assert (orange, WDT.P856, URIRef("https://www.orange.com")) in graph
    assert (orange, WDT.P571, Literal("1988", datatype=XSD.gYear)) in graph
    assert (orange, WDT.P159, WD.Q900000104) in graph
    assert (mistral, WDT.P571, Literal("2023-04", datatype=XSD.gYearMonth)) in graph
    assert any(str(o).startswith("Point(5.7245 45.1885") for o in graph.objects(grenoble, WDT.P625))
    meta = data.default_graph
    assert (URIRef(WIKIDATA_GRAPH), PROV.wasDerivedFrom, orange) in meta
    revision = URIRef("https://www.wikidata.org/w/index.php?title=Q900000101&oldid=2000000101")
    assert (URIRef(WIKIDATA_GRAPH), PROV.wasDerivedFrom, revision) in meta
    assert (revision, SCHEMA.version, Literal(2000000101)) in meta
    assert (revision, PAV.retrievedOn, None) in meta
    names = {str(g.identifier) for g in data.graphs() if len(g)}
    assert names <= {WIKIDATA_GRAPH, LINKS_GRAPH, str(data.default_graph.identifier)}
    assert enrich(scratch).changed is False  # deterministic: same cache, same bytes
    rows = data.query((ROOT / "queries" / "wikidata-enriched.rq").read_text(encoding="utf-8"))
    found = {(str(r.entity), str(r.website)) for r in rows}  # type: ignore[union-attr]
    assert (str(ID.orange), "https://www.orange.com") in found


def test_queries_are_documented_and_the_federated_one_needs_the_network() -> None:
    from rdflib.plugins.sparql import prepareQuery

    for name in ("wikidata-enriched", "wikidata-federated"):
        text = (ROOT / "queries" / f"{name}.rq").read_text(encoding="utf-8")
        assert all(f"# {field}:" in text for field in ("title", "description", "parameters", "example"))
        prepareQuery(text)
    federated = (ROOT / "queries" / "wikidata-federated.rq").read_text(encoding="utf-8")
    assert "SERVICE <https://query.wikidata.org/sparql>" in federated and "--allow-network" in federated
    assert "SERVICE" not in (ROOT / "queries" / "wikidata-enriched.rq").read_text(encoding="utf-8")


def test_link_quads_emit_same_as_only_for_accepted_and_auto(scratch: Project) -> None:
    path = fresh(scratch).root / LINKS_FILE
    write_decisions(
        path,
        {
            "rennes": Decision("rennes", "Q647", "accepted", "2026-01-01", "Rennes", None, "a stored page"),
            "grenoble": Decision("grenoble", "Q900000201", "auto", "2026-01-01", "Grenoble", 0.97, "iadef link"),
            "orange": Decision("orange", "Q900000101", "proposed", "2026-01-01", "Orange", 0.7, "iadef link"),
            "paris": Decision("paris", "Q900000999", "rejected", "2026-01-01", None, None, "not Paris"),
        },
    )
    quads = link_quads(scratch)
    links = quads.graph(URIRef(LINKS_GRAPH))
    assert set(links) == {(ID.rennes, OWL.sameAs, WD.Q647), (ID.grenoble, OWL.sameAs, WD.Q900000201)}
    meta = quads.default_graph
    record = URIRef("https://w3id.org/iadef/link/wikidata/rennes")
    assert (record, RDF.subject, ID.rennes) in meta and (record, ADMS.status, Literal("accepted")) in meta
    assert (record, PROV.wasAttributedTo, CURATORS) in meta
    assert (URIRef("https://w3id.org/iadef/link/wikidata/grenoble"), PROV.wasAttributedTo, None) in meta
    assert (URIRef("https://w3id.org/iadef/link/wikidata/orange"), None, None) not in meta


def test_shipped_decisions_and_types_are_valid(project: Project, loaded) -> None:  # type: ignore[no-untyped-def]
    ontology, seeds, _ = loaded
    decisions = read_decisions(project.root / LINKS_FILE, "seeds/wikidata-links.yaml", set(seeds.records))
    assert {"bretagne", "auvergne-rhone-alpes", "rennes", "grenoble", "sebastien-lecornu", "orange"} <= {
        k for k, d in decisions.items() if d.status == "accepted"
    }
    assert all(d.evidence and d.status in {"accepted", "proposed"} for d in decisions.values())
    load_typemap(project.root / "seeds" / "wikidata-types.yaml", "types", set(ontology.classes))
    assert (project.root / "seeds" / "wikidata-cache" / "README.md").is_file()
    assert len(list(link_quads(project).graph(URIRef(LINKS_GRAPH)))) == sum(d.linked for d in decisions.values())
