"""The routes of the reconciliation service under ``/reconcile`` (Reconciliation Service API 0.2).

==============================  ===================================================
``GET /reconcile``              the service manifest (no parameter)
``GET|POST /reconcile``         ``queries={...}``: a batch of reconciliation queries;
                                ``extend={...}``: a data extension query
``GET /reconcile/suggest/X``    ``prefix=…&cursor=N``, X = ``entity``, ``type``, ``property``
``GET /reconcile/properties``   ``type=T&limit=N``: properties to extend entities of type T with
``GET /reconcile/preview``      ``id=KEY``: an HTML preview of the entity (for OpenRefine's pop-up)
==============================  ===================================================

Identifiers are entity keys (``mistral-ai``) under the identifier space
``https://w3id.org/iadef/id/``; types and properties are the ontology's local names
(``Company``, ``location``) under the schema space ``https://w3id.org/iadef/def/``.

**Data extension with sources.** Values of a property P come one per source stating them;
the companion property ``P@source`` lists, in the same order, the title of the source of
each value, and ``P@quote`` its verbatim quote, so that an extended column can always be
traced (the API's value objects have no room for a source).

The service runs in the server process on an index of the build
(:mod:`iadef.serve.reconcile.index`), rebuilt after each reload. It answers behind the same
Host and Origin checks as ``/sparql``; a browser page of another origin (OpenRefine's
suggest boxes) can read it only when the server was started with ``--cors ORIGIN``, which
also lets that origin frame the previews. No JSONP: it would hand the data to any site.
"""

from __future__ import annotations

import html
import json
import threading
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl

from iadef.namespaces import IADEF, ID
from iadef.serve.protocol import FORM, HttpError, Response
from iadef.serve.reconcile.index import Entity, ReconcileIndex
from iadef.serve.reconcile.matching import reconcile, suggest_entities, suggest_terms

JSON = "application/json; charset=utf-8"
MAX_QUERIES = 1000  # per batch
DEFAULT_TYPES = ("Organization", "Person", "Place", "Agreement", "Programme")
SUFFIXES = ("@source", "@quote")


def _json(data: Any) -> Response:
    return Response(200, JSON, json.dumps(data, ensure_ascii=False, sort_keys=True).encode("utf-8"))


class Reconciler:
    """The reconciliation routes over an index built by ``load`` (called again when ``generation`` changes)."""

    def __init__(self, load: Callable[[], ReconcileIndex], base: str, generation: Callable[[], int]) -> None:
        self._load = load
        self._base = base.rstrip("/")
        self._generation = generation
        self._lock = threading.Lock()
        self._index: ReconcileIndex | None = None
        self._built_for = -1

    def index(self) -> ReconcileIndex:
        with self._lock:
            now = self._generation()
            if self._index is None or now != self._built_for:
                self._index, self._built_for = self._load(), now
            return self._index

    def answer(
        self, method: str, path: str, query_string: str, content_type: str | None, body: bytes, frame: str
    ) -> Response:
        fields = dict(_fields(query_string))
        if method == "POST":
            media = (content_type or "").split(";", 1)[0].strip().lower()
            if media != FORM:
                raise HttpError(415, f"unsupported Content-Type {content_type or '(none)'!r}", hint=f"POST {FORM}")
            fields.update(_fields(_utf8(body)))
        index = self.index()
        cursor = _int(fields.get("cursor", "0"), "cursor")
        if path == "/reconcile":
            if "queries" in fields:
                return _json(self.queries(index, _load_json(fields["queries"], "queries")))
            if "extend" in fields:
                return _json(self.extend(index, _load_json(fields["extend"], "extend")))
            if method == "POST":
                raise HttpError(400, "the POST holds neither queries nor extend", hint="send queries={…} or extend={…}")
            return _json(self.manifest(index))
        if path == "/reconcile/suggest/entity":
            return _json({"result": suggest_entities(index, fields.get("prefix", ""), cursor)})
        if path in ("/reconcile/suggest/type", "/reconcile/suggest/property"):
            kind = "class" if path.endswith("type") else "property"
            return _json({"result": suggest_terms(index, kind, fields.get("prefix", ""), cursor)})
        if path == "/reconcile/properties":
            return _json(self.propose(index, fields.get("type", ""), _int(fields.get("limit", "0"), "limit")))
        if path == "/reconcile/preview":
            return self.preview(index, fields.get("id", ""), frame)
        raise HttpError(404, f"nothing at {path}", hint=f"the reconciliation service is {self._base}/reconcile")

    # ---------------------------------------------------------------- answers

    def manifest(self, index: ReconcileIndex) -> dict[str, Any]:
        base = self._base
        service = {"service_url": base}
        return {
            "versions": ["0.1", "0.2"],
            "name": "iadef — French defence AI (sourced knowledge graph)",
            "identifierSpace": str(ID),
            "schemaSpace": str(IADEF),
            "view": {"url": f"{base}/reconcile/preview?id={{{{id}}}}"},
            "preview": {"url": f"{base}/reconcile/preview?id={{{{id}}}}", "width": 460, "height": 320},
            "defaultTypes": [{"id": t, "name": index.terms[t].name()} for t in DEFAULT_TYPES if t in index.terms],
            "suggest": {
                "entity": {**service, "service_path": "/reconcile/suggest/entity"},
                "type": {**service, "service_path": "/reconcile/suggest/type"},
                "property": {**service, "service_path": "/reconcile/suggest/property"},
            },
            "extend": {
                "propose_properties": {**service, "service_path": "/reconcile/properties"},
                "property_settings": [],
            },
        }

    def queries(self, index: ReconcileIndex, batch: Any) -> dict[str, Any]:
        if not isinstance(batch, dict) or not all(isinstance(q, dict) for q in batch.values()):
            raise HttpError(400, "queries must be an object of queries", hint='e.g. {"q0": {"query": "Mistral AI"}}')
        if len(batch) > MAX_QUERIES:
            raise HttpError(
                413, f"{len(batch)} queries in one batch, more than {MAX_QUERIES}", hint="send smaller batches"
            )
        for name, query in batch.items():
            if not (isinstance(query.get("query"), str) and query["query"].strip()) and not query.get("properties"):
                raise HttpError(400, f"query {name!r} has neither a query text nor properties")
        return {name: {"result": reconcile(index, query)} for name, query in batch.items()}

    def propose(self, index: ReconcileIndex, type_id: str, limit: int) -> dict[str, Any]:
        used: dict[str, int] = {}
        for entity in index.entities.values():
            if not type_id or type_id in index.types_of(entity):
                for prop in entity.facts:
                    used[prop] = used.get(prop, 0) + 1
        props = sorted(used, key=lambda p: (-used[p], p))
        listed: list[dict[str, str]] = []
        for prop in props:
            name = index.terms[prop].name() if prop in index.terms else prop
            listed.append({"id": prop, "name": name})
            listed.append({"id": prop + "@source", "name": f"{name} : source"})
            listed.append({"id": prop + "@quote", "name": f"{name} : citation"})
        result: dict[str, Any] = {"properties": listed[:limit] if limit > 0 else listed}
        if type_id:
            result["type"] = type_id
        if limit > 0:
            result["limit"] = limit
        return result

    def extend(self, index: ReconcileIndex, query: Any) -> dict[str, Any]:
        if (
            not isinstance(query, dict)
            or not isinstance(query.get("ids"), list)
            or not isinstance(query.get("properties"), list)
        ):
            raise HttpError(
                400,
                "extend needs ids and properties",
                hint='e.g. {"ids": ["amiad"], "properties": [{"id": "location"}]}',
            )
        props = [str(p.get("id")) for p in query["properties"] if isinstance(p, dict) and p.get("id")]
        meta = []
        for prop in props:
            base = prop.removesuffix("@source").removesuffix("@quote")
            name = index.terms[base].name() if base in index.terms else base
            meta.append(
                {
                    "id": prop,
                    "name": name + {"@source": " : source", "@quote": " : citation"}.get(prop[len(base) :], ""),
                }
            )
        rows: dict[str, dict[str, list[dict[str, Any]]]] = {}
        for key in map(str, query["ids"]):
            entity = index.entities.get(key)
            rows[key] = {prop: _cells(index, entity, prop) if entity else [] for prop in props}
        return {"meta": meta, "rows": rows}

    def preview(self, index: ReconcileIndex, key: str, frame: str) -> Response:
        entity = index.entities.get(key)
        if entity is None:
            raise HttpError(404, f"no entity {key!r}", hint="give the id a reconciliation answer returned")
        page = _preview_page(index, entity)
        policy = f"default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; frame-ancestors {frame}"
        headers = (("Content-Security-Policy", policy), ("X-Frame-Options", ""))
        return Response(200, "text/html; charset=utf-8", page.encode("utf-8"), headers)


def _cells(index: ReconcileIndex, entity: Entity, prop: str) -> list[dict[str, Any]]:
    base = prop.removesuffix("@source").removesuffix("@quote")
    if base == "acronym" and prop == base:
        return [{"str": a} for a in entity.acronyms]
    cells: list[dict[str, Any]] = []
    for fact in entity.facts.get(base, []):
        if prop.endswith("@source"):
            cells.append({"str": fact.title or fact.source})
        elif prop.endswith("@quote"):
            cells.append({"str": fact.quote})
        elif fact.ref is not None:
            cells.append({"id": fact.ref, "name": index.label(fact.ref)})
        elif fact.literal is not None:
            cells.append(_literal(fact.literal))
    return cells


def _literal(value: Any) -> dict[str, Any]:
    datatype = str(value.datatype or "")
    try:
        if datatype.endswith("#integer"):
            return {"int": int(value)}
        if datatype.endswith("#decimal"):
            return {"float": float(value)}
    except ValueError:
        pass
    if datatype.endswith("#date") and len(str(value)) == 10:
        return {"date": f"{value}T00:00:00Z"}
    return {"str": str(value)}


def _preview_page(index: ReconcileIndex, entity: Entity) -> str:
    e = html.escape
    rows = [f"<p class=t>{e(_type_names(index, entity))}</p>"]
    if entity.shown:
        rows.append(f"<p>{e(' · '.join(entity.shown[:8]))}</p>")
    facts = [
        f"<li><b>{e(index.terms[p].name() if p in index.terms else p)}</b> : "
        f"{e(index.label(f.ref) if f.ref else str(f.literal))} <i>({e(f.title or f.source)})</i></li>"
        for p, values in sorted(entity.facts.items())
        for f in values[:3]
    ]
    return (
        '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>'
        + e(entity.label)
        + "</title><style>body{font:13px system-ui,sans-serif;margin:8px}h1{font-size:15px;margin:0 0 4px}"
        ".t{color:#555;margin:0 0 6px}ul{padding-left:16px;margin:4px 0}</style></head><body><h1>"
        + e(entity.label)
        + "</h1>"
        + "".join(rows)
        + "<ul>"
        + "".join(facts[:20])
        + "</ul></body></html>"
    )


def _type_names(index: ReconcileIndex, entity: Entity) -> str:
    return ", ".join(index.terms[c].name() if c in index.terms else c for c in sorted(entity.classes))


def _fields(text: str) -> list[tuple[str, str]]:
    try:
        return parse_qsl(text, keep_blank_values=True, encoding="utf-8", errors="strict")
    except (UnicodeDecodeError, ValueError) as exc:
        raise HttpError(400, f"cannot read the parameters: {exc}") from None


def _utf8(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise HttpError(400, "the form body is not UTF-8") from None


def _load_json(text: str, name: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise HttpError(400, f"{name} is not JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}") from None


def _int(text: str, name: str) -> int:
    try:
        return max(0, int(text or "0"))
    except ValueError:
        raise HttpError(400, f"{name} must be a whole number, not {text!r}") from None
