"""The OpenRefine reconciliation service of `iadef serve`, over a real server, checked against the API's schemas.

Every response (and every query sent) is validated with ``jsonschema`` against the W3C
Entity Reconciliation CG's JSON Schemas for API 0.2, vendored in
``tests/reconciliation_schemas/`` (source and licence there).
"""

from __future__ import annotations

import json
import urllib.parse
from collections.abc import Iterator
from http.client import HTTPConnection
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import referencing
import referencing.jsonschema
from rdflib import Dataset

from iadef.paths import Project
from iadef.serve.server import ServeConfig, SparqlServer, running
from iadef.stores.setting import StoreSpec

from .built import built_project

SCHEMAS = Path(__file__).resolve().parent / "reconciliation_schemas" / "0.2"
QUIET = ServeConfig(port=0, workers=1, quiet=True, reload_interval=0)
CORS = ServeConfig(port=0, workers=1, quiet=True, reload_interval=0, cors="http://127.0.0.1:3333")


def _registry() -> Any:
    resources = []
    for path in sorted(SCHEMAS.glob("*.json")):
        schema = json.loads(path.read_text(encoding="utf-8"))
        resource = referencing.Resource.from_contents(schema, default_specification=referencing.jsonschema.DRAFT7)
        resources.append((schema["$id"], resource))
    return referencing.Registry().with_resources(resources)


REGISTRY = _registry()


def validate(instance: Any, name: str) -> None:
    """Validate ``instance`` against the vendored schema ``name`` (a file of ``reconciliation_schemas/0.2``)."""
    schema = json.loads((SCHEMAS / f"{name}.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft7Validator(schema, registry=REGISTRY, format_checker=jsonschema.FormatChecker())
    errors = sorted(validator.iter_errors(instance), key=lambda e: list(e.path))
    assert not errors, f"{name}: " + "; ".join(f"{list(e.path)}: {e.message}" for e in errors[:5])


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, dataset: Dataset) -> Project:
    return built_project(tmp_path_factory.mktemp("reconcile"), dataset)


@pytest.fixture(scope="module")
def server(built: Project) -> Iterator[SparqlServer]:
    with running(built, StoreSpec("memory"), QUIET) as started:
        yield started


def call(
    server: SparqlServer, path: str, fields: dict[str, str] | None = None, *, post: bool = False, **headers: str
) -> tuple[int, dict[str, str], bytes]:
    conn = HTTPConnection("127.0.0.1", server.port, timeout=60)
    try:
        encoded = urllib.parse.urlencode(fields or {})
        if post:
            sent = {"Content-Type": "application/x-www-form-urlencoded", **headers}
            conn.request("POST", path, body=encoded.encode("utf-8"), headers=sent)
        else:
            conn.request("GET", path + (f"?{encoded}" if encoded else ""), headers=headers)
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        conn.close()


def get_json(server: SparqlServer, path: str, fields: dict[str, str] | None = None, *, post: bool = False) -> Any:
    status, headers, body = call(server, path, fields, post=post)
    assert status == 200, body
    assert headers["content-type"].startswith("application/json")
    return json.loads(body)


def reconcile(server: SparqlServer, queries: dict[str, Any], *, post: bool = True) -> dict[str, Any]:
    validate(queries, "reconciliation-query-batch")
    answer = get_json(server, "/reconcile", {"queries": json.dumps(queries)}, post=post)
    validate(answer, "reconciliation-result-batch")
    return dict(answer)


def test_manifest(server: SparqlServer) -> None:
    manifest = get_json(server, "/reconcile")
    validate(manifest, "manifest")
    assert "0.2" in manifest["versions"]
    assert manifest["identifierSpace"] == "https://w3id.org/iadef/id/"
    assert manifest["schemaSpace"] == "https://w3id.org/iadef/def/"
    assert {t["id"] for t in manifest["defaultTypes"]} >= {"Organization", "Person", "Place"}
    assert manifest["suggest"]["entity"]["service_url"] == f"http://127.0.0.1:{server.port}"


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Mistral AI", "mistral-ai"),
        ("MINISTERE DES ARMEES", "ministere-des-armees"),  # case and accents
        ("l'Agence de l’innovation de défense", "aid"),  # apostrophes and elision
        ("AMIAD", "amiad"),  # acronym
        ("region-bretagne", "region-bretagne"),  # key
    ],
)
def test_names_match_with_folding(server: SparqlServer, text: str, key: str) -> None:
    answer = reconcile(server, {"q0": {"query": text}})
    best = answer["q0"]["result"][0]
    assert best["id"] == key and best["score"] == 100.0 and best["match"] is True


def test_scores_are_ordered_and_only_a_sure_candidate_matches(server: SparqlServer) -> None:
    answer = reconcile(server, {"q0": {"query": "mistral", "limit": 3}, "q1": {"query": "Bretagne"}}, post=False)
    partial = answer["q0"]["result"]
    assert partial[0]["id"] == "mistral-ai" and partial[0]["match"] is False and partial[0]["score"] < 100
    assert len(partial) <= 3
    scores = [c["score"] for c in answer["q1"]["result"]]
    assert scores == sorted(scores, reverse=True)
    assert [c["match"] for c in answer["q1"]["result"]].count(True) <= 1


def test_type_restricts_candidates(server: SparqlServer) -> None:
    answer = reconcile(
        server,
        {
            "place": {"query": "Bretagne", "type": "Place"},
            "org": {"query": "Bretagne", "type": ["Organization"]},
        },
    )
    assert answer["place"]["result"][0]["id"] == "bretagne"
    assert all(t["id"] != "Region" for c in answer["place"]["result"] for t in c["type"])
    assert answer["org"]["result"][0]["id"] == "region-bretagne"


def test_properties_refine_the_match(server: SparqlServer) -> None:
    answer = reconcile(
        server,
        {
            "acronym": {"query": "Direction générale de l'armement", "properties": [{"pid": "acronym", "v": "DGA"}]},
            "place": {"query": "Région", "properties": [{"pid": "governs", "v": {"id": "bretagne"}}]},
            "only": {"properties": [{"pid": "acronym", "v": "AMIAD"}]},
        },
    )
    best = answer["acronym"]["result"][0]
    assert best["id"] == "dga" and {"id": "property:acronym", "value": True} in best["features"]
    assert answer["place"]["result"][0]["id"] == "region-bretagne"
    assert answer["only"]["result"][0]["id"] == "amiad"


def test_suggest_entity_type_and_property(server: SparqlServer) -> None:
    entities = get_json(server, "/reconcile/suggest/entity", {"prefix": "amia"})
    validate(entities, "suggest-entities-response")
    assert entities["result"][0]["id"] == "amiad"
    more = get_json(server, "/reconcile/suggest/entity", {"prefix": "m", "cursor": "10"})
    validate(more, "suggest-entities-response")
    assert {r["id"] for r in more["result"]}.isdisjoint(
        {r["id"] for r in get_json(server, "/reconcile/suggest/entity", {"prefix": "m"})["result"]}
    )
    types = get_json(server, "/reconcile/suggest/type", {"prefix": "entrep"})
    validate(types, "suggest-types-response")
    assert types["result"][0]["id"] == "Company"
    props = get_json(server, "/reconcile/suggest/property", {"prefix": "lieu"})
    validate(props, "suggest-properties-response")
    assert "location" in {r["id"] for r in props["result"]}


def test_data_extension_returns_values_with_their_sources(server: SparqlServer) -> None:
    proposal = get_json(server, "/reconcile/properties", {"type": "Organization", "limit": "30"})
    validate(proposal, "data-extension-property-proposal")
    ids = {p["id"] for p in proposal["properties"]}
    assert len(ids) <= 30
    assert {"subOrganizationOf", "subOrganizationOf@source", "subOrganizationOf@quote"} <= ids
    query = {
        "ids": ["amiad", "region-bretagne", "nobody"],
        "properties": [
            {"id": "subOrganizationOf"},
            {"id": "subOrganizationOf@source"},
            {"id": "subOrganizationOf@quote"},
            {"id": "acronym"},
        ],
    }
    validate(query, "data-extension-query")
    answer = get_json(server, "/reconcile", {"extend": json.dumps(query)}, post=True)
    validate(answer, "data-extension-response")
    row = answer["rows"]["amiad"]
    assert row["subOrganizationOf"] and all("id" in v and "name" in v for v in row["subOrganizationOf"])
    assert len(row["subOrganizationOf@source"]) == len(row["subOrganizationOf"]) == len(row["subOrganizationOf@quote"])
    assert all(v["str"] for v in row["subOrganizationOf@source"] + row["subOrganizationOf@quote"])
    assert {"str": "AMIAD"} in row["acronym"]
    assert answer["rows"]["nobody"] == {p["id"]: [] for p in query["properties"]}


def test_preview_is_escaped_and_framed_only_by_the_cors_origin(built: Project, server: SparqlServer) -> None:
    status, headers, body = call(server, "/reconcile/preview", {"id": "amiad"})
    assert status == 200 and headers["content-type"].startswith("text/html")
    assert b"Agence minist\xc3\xa9rielle" in body and b"<script" not in body
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    with running(built, StoreSpec("memory"), CORS) as open_server:
        status, headers, _ = call(open_server, "/reconcile/preview", {"id": "amiad"})
        assert "frame-ancestors http://127.0.0.1:3333" in headers["content-security-policy"]
        assert "x-frame-options" not in headers
        status, headers, _ = call(
            open_server, "/reconcile/suggest/entity", {"prefix": "ami"}, Origin="http://127.0.0.1:3333"
        )
        assert status == 200 and headers["access-control-allow-origin"] == "http://127.0.0.1:3333"


def test_same_security_as_the_sparql_endpoint(server: SparqlServer) -> None:
    status, _, body = call(server, "/reconcile", Host="evil.example")
    assert status == 403 and b"DNS rebinding" in body
    status, _, body = call(server, "/reconcile/suggest/entity", {"prefix": "a"}, Origin="http://evil.example")
    assert status == 403 and b"--cors" in body
    status, _, body = call(server, "/reconcile", {"queries": "{not json"}, post=True)
    assert status == 400 and b"not JSON" in body
    status, _, body = call(server, "/reconcile", {"queries": json.dumps({"q": {"limit": 3}})}, post=True)
    assert status == 400 and b"neither a query text nor properties" in body
    status, _, _ = call(server, "/reconcile/preview", {"id": "<script>"})
    assert status == 404
    status, _, body = call(server, "/reconcile", {"queries": "{}", "callback": "steal"})
    assert status == 200 and not body.startswith(b"steal")  # no JSONP
