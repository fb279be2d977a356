"""The review page of ``iadef serve`` (issue 15): a curator's decisions on an article's proposals.

Routes (everything else under ``/review`` is 404):

- ``GET /review`` the queues (``seeds/review/*.yaml``) with their counts of pending,
  accepted and rejected items;
- ``GET /review/<source>`` the page (``templates/review.html|.css|.js``): the article with
  every proposal highlighted at its offsets, accept / reject / edit / merge, keyboard
  shortcuts, filters, and the Apply button; 404 saying which queues exist for an unknown source;
- ``GET /review/api/queue/<source>`` the queue, the article and the choices (classes,
  properties, statuses, curated entities) as JSON;
- ``POST /review/api/decide`` ``{"source", "id", "decision", "edits"?, "quote_start"?}``,
  ``POST /review/api/merge`` ``{"source", "id", "into"}``, ``POST /review/api/apply``
  ``{"source", "partial"?}``: :func:`iadef.ingest.decide`, :func:`~iadef.ingest.merge_entity`
  and :func:`~iadef.ingest.apply_queue`, which write the queue file (and, for apply, the
  facts and entities files) atomically.

Defences, beyond the server's (loopback bind, Host check against DNS rebinding, security
headers): every request under ``/review`` with an ``Origin`` must come from this server
(``--cors`` does not widen that, and no CORS header is sent); every API request needs the
per-run token (random at server start, embedded in the page, sent as ``X-Iadef-Token``,
compared with :func:`hmac.compare_digest`), else 403; writes take ``application/json`` only
(415), an object (400), at most ``MAX_BODY`` bytes (413). The page's policy allows its own
inline style and script only (by hash) and requests to the server itself; the page builds
its DOM with ``textContent``, never from markup in the data. An :class:`IngestError`
becomes a 400 whose JSON ``error`` is its message; writes are serialised by one lock.
"""

from __future__ import annotations

import hmac
import html
import json
import re
import secrets
import threading
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from iadef.errors import IngestError
from iadef.serve.pages import STRICT, embed_json, form_policy, html_response
from iadef.serve.protocol import HttpError, Response
from iadef.yamlfile import YMap, YStr, read_yaml

if TYPE_CHECKING:
    from email.message import Message

    from iadef.curation.ontology import Ontology
    from iadef.paths import Project

TOKEN_HEADER = "X-Iadef-Token"
MAX_BODY = 64 << 10  # bytes of a write: a decision with its edits is well under 1 KiB
SOURCE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,199}")  # a source key; never a path
WRITES = ("decide", "merge", "apply")
JSON_TYPE = "application/json"
INDEX = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>iadef — review</title>
<style>body{font:15px/1.5 system-ui,sans-serif;margin:2em;color:#1d2733}td,th{padding:2px 12px;text-align:left}</style>
</head><body><h1>Review queues</h1>
<p>Each article read by <code>iadef ingest</code> has a queue in <code>seeds/review/</code>.</p>
@@BODY@@
<p><a href="/">graph page</a> · <a href="/sparql">SPARQL</a></p></body></html>
"""


def _template(name: str) -> str:
    return resources.files("iadef.serve").joinpath("templates", name).read_text(encoding="utf-8")


def json_response(status: int, data: object, headers: tuple[tuple[str, str], ...] = ()) -> Response:
    body = json.dumps(data, ensure_ascii=False, default=str).encode("utf-8")
    return Response(status, f"{JSON_TYPE}; charset=utf-8", body, (("Content-Security-Policy", STRICT), *headers))


class Review:
    """The review routes of one server: its token, its lock, its page."""

    def __init__(self, project: Project, same_origin: Callable[[str], bool]) -> None:
        self.project = project
        self.same_origin = same_origin
        self.token = secrets.token_urlsafe(32)
        self._lock = threading.Lock()
        self._ontology: Ontology | None = None
        self._curated: tuple[object, list[dict[str, str]]] | None = None
        self._page: tuple[str, str] | None = None  # the page with its style and script inlined, its policy

    # ------------------------------------------------------------ routing

    def handle(self, method: str, path: str, headers: Message, read_body: Callable[[int], bytes]) -> Response:
        origin = headers.get("Origin")
        if origin and not self.same_origin(origin):
            raise HttpError(403, f"review requests from {origin} are refused", hint="open the page from this server")
        if path.startswith("/review/api/"):
            try:
                return self._api(method, path.removeprefix("/review/api/"), headers, read_body)
            except HttpError as exc:
                return json_response(exc.status, {"error": str(exc)}, exc.headers)
            except IngestError as exc:
                return json_response(400, {"error": str(exc)})
        if method not in ("GET", "HEAD"):
            raise HttpError(405, f"{method} is not allowed on {path}", headers=(("Allow", "GET, HEAD"),))
        if path in ("/review", "/review/"):
            return self.index()
        return self.page(path.removeprefix("/review/"))

    def _api(self, method: str, name: str, headers: Message, read_body: Callable[[int], bytes]) -> Response:
        if name.startswith("queue/"):
            if method not in ("GET", "HEAD"):
                raise HttpError(405, f"{method} is not allowed here", headers=(("Allow", "GET, HEAD"),))
            self._check_token(headers)
            return json_response(200, self.payload(self._source(name.removeprefix("queue/"), status=404)))
        if name not in WRITES:
            raise HttpError(404, f"no review API {name!r}", hint=f"the writes are {', '.join(WRITES)} (POST)")
        if method != "POST":
            raise HttpError(405, f"{method} is not allowed here", headers=(("Allow", "POST"),))
        self._check_token(headers)
        media = (headers.get("Content-Type") or "").split(";", 1)[0].strip().lower()
        if media != JSON_TYPE:
            raise HttpError(415, f"unsupported Content-Type {media or '(none)'!r}", hint=f"send {JSON_TYPE}")
        try:
            data = json.loads(read_body(MAX_BODY).decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError):
            raise HttpError(400, "the body is not JSON (UTF-8)") from None
        if not isinstance(data, dict):
            raise HttpError(400, "the body must be a JSON object")
        source = self._source(_text(data, "source"), status=400)
        with self._lock:
            if name == "decide":
                item = self.decide(source, data)
                return json_response(200, {"item": item})
            if name == "merge":
                item = self.merge(source, _text(data, "id"), _text(data, "into"))
                return json_response(200, {"item": item})
            return json_response(200, self.apply(source, data.get("partial") is True))

    def _check_token(self, headers: Message) -> None:
        given = (headers.get(TOKEN_HEADER) or "").encode("utf-8")
        if not hmac.compare_digest(given, self.token.encode("utf-8")):
            raise HttpError(
                403,
                f"missing or wrong {TOKEN_HEADER}: review requests need this server's token",
                hint="reload the review page (the token changes each time the server starts)",
            )

    def _source(self, source: str, *, status: int) -> str:
        from iadef.ingest import load_queue

        if not SOURCE.fullmatch(source):
            raise HttpError(status, f"{source!r} is not a source key", hint="see the queues at /review")
        try:
            load_queue(self.project, source)
        except IngestError as exc:
            raise HttpError(status, exc.message, hint=exc.hint) from None
        return source

    # ------------------------------------------------------------ pages

    def index(self) -> Response:
        from iadef.ingest import list_items
        from iadef.ingest.queue import queues

        rows = []
        for source in queues(self.project, None):
            try:
                items = list_items(self.project, source)
            except IngestError as exc:
                rows.append(f"<tr><td>{html.escape(source)}</td><td colspan=3>{html.escape(str(exc))}</td></tr>")
                continue
            counts = [sum(1 for i in items if i.get("decision") == d) for d in ("pending", "accepted", "rejected")]
            link = f'<a href="/review/{html.escape(source)}">{html.escape(source)}</a>'
            rows.append(f"<tr><td>{link}</td>" + "".join(f"<td>{n}</td>" for n in counts) + "</tr>")
        body = (
            "<table><tr><th>source</th><th>pending</th><th>accepted</th><th>rejected</th></tr>"
            + "".join(rows)
            + "</table>"
            if rows
            else "<p>No queue yet: run <code>iadef ingest ARTICLE.txt</code>, then reload.</p>"
        )
        page = INDEX.replace("@@BODY@@", body)
        return html_response(200, page, form_policy(INDEX).replace("script-src ;", "script-src 'none';"))

    def page(self, source: str) -> Response:
        source = self._source(source, status=404)
        if self._page is None:
            css, script = _template("review.css"), _template("review.js")
            template = _template("review.html").replace("@@CSS@@", css).replace("@@JS@@", script)
            self._page = (template, form_policy(template))
        template, policy = self._page
        config = {"source": source, "token": self.token, "api": "/review/api/", "header": TOKEN_HEADER}
        page = template.replace("@@SOURCE@@", html.escape(source)).replace("@@CONFIG@@", embed_json(config))
        return html_response(200, page, policy)

    # ------------------------------------------------------------ data and writes

    def ontology(self) -> Ontology:
        from iadef.curation.ontology import Ontology

        if self._ontology is None:
            self._ontology = Ontology.load(self.project.ontology, self.project.relative(self.project.ontology))
        return self._ontology

    def payload(self, source: str) -> dict[str, Any]:
        """The queue, the article and what an edit may choose from."""
        from iadef.ingest import load_queue

        queue = load_queue(self.project, source)
        text = self._article(queue)
        ontology = self.ontology()
        return {
            "source": source,
            "file": queue["file"],
            "text": text,
            "entities": queue["entities"],
            "facts": queue["facts"],
            "classes": sorted(ontology.classes),
            "properties": [
                {"name": p.name, "object": p.is_object, "domain": p.domain, "range": p.range}
                for p in sorted(ontology.properties.values(), key=lambda p: p.name)
            ],
            "statuses": sorted(ontology.statuses),
            "known": self.curated(),  # merge targets
        }

    def _article(self, queue: dict[str, Any]) -> str:
        """The article of a queue, from seeds/documents/ only."""
        name = str(queue.get("file", ""))
        if not name or Path(name).name != name:
            raise IngestError(f"file: {name!r} is not a file name of seeds/documents/", path=f"{queue['source']}.yaml")
        return (self.project.documents / name).read_text(encoding="utf-8")

    def curated(self) -> list[dict[str, str]]:
        """The entities of seeds/entities.yaml (key, French label, class where a document declares one),
        read again only when that file or a facts file changes (reading them takes a few tenths of a second)."""
        from iadef.ingest.gazetteer import build_gazetteer

        files = [self.project.entities, *sorted(self.project.facts.glob("*.yaml"))]
        signature = tuple((str(f), f.stat().st_mtime_ns, f.stat().st_size) for f in files)
        if self._curated is None or self._curated[0] != signature:
            known = build_gazetteer(self.project).known
            records = read_yaml(self.project.entities, self.project.relative(self.project.entities))
            entities = [
                {"key": str(k), "label": _label(k, v), "class": known[k].cls if k in known else ""}
                for k, v in records.items()
            ]
            self._curated = (signature, sorted(entities, key=lambda e: (e["label"].casefold(), e["key"])))
        return self._curated[1]

    def decide(self, source: str, data: dict[str, Any]) -> dict[str, Any]:
        """:func:`iadef.ingest.decide`; a new quote must be a verbatim sub-span of the item's quote."""
        from iadef.ingest import decide, load_queue
        from iadef.ingest.queue import find_item, write_queue

        item_id, decision = _text(data, "id"), _text(data, "decision")
        edits = data.get("edits") or {}
        if not isinstance(edits, dict) or not all(isinstance(v, str) for v in edits.values()):
            raise HttpError(400, "edits must be an object of strings", hint='e.g. {"p": "partnerOf"}')
        span = None
        if "quote" in edits:
            span = self._sub_span(source, item_id, edits["quote"], data.get("quote_start"))
        item = decide(self.project, source, item_id, decision, edits, ontology=self.ontology())
        if span is not None and (item.get("start"), item.get("end")) != span:
            # decide() places the quote at its first occurrence in the article; keep the span chosen
            queue = load_queue(self.project, source)
            _, item = find_item(queue, item_id)
            item["start"], item["end"] = span
            write_queue(self.project, queue)
        return item

    def _sub_span(self, source: str, item_id: str, quote: str, start: object) -> tuple[int, int]:
        from iadef.ingest import load_queue
        from iadef.ingest.queue import find_item

        queue = load_queue(self.project, source)
        kind, item = find_item(queue, item_id)
        text = self._article(queue)
        first, last = int(item.get("start", 0)), int(item.get("end", 0))
        if kind != "facts":
            raise IngestError(f"{item_id} is an entity: only a fact has a quote", path="quote")
        if not isinstance(start, int) or isinstance(start, bool):
            found = text.find(quote, first, last) if quote else -1
            start = found if found >= 0 else -1
        end = start + len(quote)
        if not quote.strip() or not first <= start <= end <= last or text[start:end] != quote:
            raise IngestError(
                "the new quote is not a verbatim part of the current quote",
                path="quote",
                hint="shorten the quote by cutting words at its ends, without changing them",
            )
        return start, end

    def merge(self, source: str, item_id: str, into: str) -> dict[str, Any]:
        """:func:`iadef.ingest.merge_entity`; merged into a curated entity, it takes that entity's class."""
        from iadef.ingest import decide, merge_entity

        item = merge_entity(self.project, source, item_id, into)
        cls = next((e["class"] for e in self.curated() if e["key"] == into), "")
        if item.get("existing") == into and cls and item.get("class") != cls:
            item = decide(self.project, source, item["id"], "accepted", {"class": cls}, self.ontology())
        return item

    def apply(self, source: str, partial: bool) -> dict[str, Any]:
        from iadef.ingest import apply_queue

        report = apply_queue(self.project, source, partial=partial)
        return {
            "source": report.source,
            "facts_file": self.project.relative(report.facts_file),
            "facts": report.facts,
            "entities": report.entities,
            "new_entities": report.new_entities,
            "changed": [self.project.relative(p) for p in report.changed],
        }


def _label(key: str, record: object) -> str:
    label = record.get("label") if isinstance(record, YMap) else None
    french = label.get("fr") if isinstance(label, YMap) else None
    return str(french) if isinstance(french, YStr) else str(key)


def _text(data: dict[str, Any], name: str) -> str:
    value = data.get(name)
    if not isinstance(value, str) or not value:
        raise HttpError(400, f"{name!r} must be a non-empty string")
    return value
