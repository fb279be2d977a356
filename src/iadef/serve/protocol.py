"""The SPARQL 1.1 Protocol, without sockets: requests in, status, headers and bytes out.

Pure functions used by :mod:`iadef.serve.server` (the HTTP side) and by its query workers:

- :func:`parse_request` reads the query of a request, in the three forms of the
  protocol (https://www.w3.org/TR/sparql11-protocol/): GET ``?query=``, POST
  ``application/x-www-form-urlencoded`` and POST ``application/sparql-query``. An
  update (``update=``, ``application/sparql-update``) is refused with 403: the endpoint
  is read-only, the graph changes through ``iadef build`` (and ``iadef push``).
  The dataset is fixed: the default graph holds the provenance, each sourced fact is a
  named graph, the ontology another. ``named-graph-uri`` and ``default-graph-uri`` are
  refused with 400, but for ``default-graph-uri=<https://w3id.org/iadef/graph/provenance>``:
  that is the name ``iadef push`` gives the default graph on a server, and which iadef's
  client (:class:`iadef.stores.endpoint.EndpointEngine`) sends with every query; it names the
  graph that is already the default, so the answer is the same as without it. (Strict
  SPARQL would then also leave no named graph; like Virtuoso, to which that client is
  tuned, the named graphs stay visible.)
- :func:`negotiate` picks the answer's media type from ``Accept`` (q-values, most
  specific range wins, server order breaks ties); 406 lists what can be served.
- answering a query, in a worker, is :mod:`iadef.serve.answering`.
- :func:`service_description`: the SPARQL 1.1 Service Description of the endpoint.

The result formats are in :mod:`iadef.serve.formats`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from http import HTTPStatus
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl

from iadef.errors import IadefError

if TYPE_CHECKING:
    pass

JSON = "application/sparql-results+json"
XML = "application/sparql-results+xml"
CSV = "text/csv"
TSV = "text/tab-separated-values"
PLAIN_JSON = "application/json"  # sent by some clients (SPARQLWrapper) as an alternative to JSON
TURTLE = "text/turtle"
NTRIPLES = "application/n-triples"
JSONLD = "application/ld+json"
RDFXML = "application/rdf+xml"
HTML = "text/html"

# What each query form can be answered in, the default first.
SELECT_TYPES = (JSON, XML, CSV, TSV, PLAIN_JSON)
ASK_TYPES = (JSON, XML, PLAIN_JSON)  # the W3C CSV/TSV formats define no boolean answer
GRAPH_TYPES = (TURTLE, NTRIPLES, JSONLD, RDFXML)
CONTENT_TYPES = {
    JSON: JSON,
    PLAIN_JSON: PLAIN_JSON,
    XML: f"{XML}; charset=utf-8",
    CSV: f"{CSV}; charset=utf-8",
    TSV: f"{TSV}; charset=utf-8",
    TURTLE: f"{TURTLE}; charset=utf-8",
    NTRIPLES: f"{NTRIPLES}; charset=utf-8",
    JSONLD: JSONLD,
    RDFXML: f"{RDFXML}; charset=utf-8",
    HTML: f"{HTML}; charset=utf-8",
}
FORM = "application/x-www-form-urlencoded"
DIRECT = "application/sparql-query"
UPDATE = "application/sparql-update"
READ_ONLY_HINT = "this endpoint is read-only: change seeds/ and run `iadef build` (and `iadef push` for a server)"
NETWORK_HINT = "the endpoint serves the built graph only: remove SERVICE / FROM (use GRAPH for named graphs)"


class HttpError(IadefError):
    """A request the endpoint answers with an HTTP error ``status``."""

    def __init__(
        self, status: int, message: str, *, hint: str | None = None, headers: tuple[tuple[str, str], ...] = ()
    ) -> None:
        super().__init__(message, hint=hint)
        self.status = status
        self.headers = headers


@dataclass(frozen=True)
class Response:
    """What to send back: status, media type, body and extra headers."""

    status: int
    content_type: str
    body: bytes
    headers: tuple[tuple[str, str], ...] = field(default=())


@dataclass(frozen=True)
class Job:
    """A query for a worker: its text, the client's Accept header and the row cap."""

    text: str
    accept: str | None
    max_rows: int


def text_response(status: int, text: str, headers: tuple[tuple[str, str], ...] = ()) -> Response:
    return Response(status, "text/plain; charset=utf-8", text.encode("utf-8"), headers)


def error_response(error: HttpError) -> Response:
    """The error as ``text/plain``: status line, message, hint."""
    phrase = HTTPStatus(error.status).phrase
    return text_response(error.status, f"{error.status} {phrase}: {error}\n", error.headers)


# ---------------------------------------------------------------- requests


def parse_request(method: str, query_string: str, content_type: str | None, body: bytes) -> str | None:
    """The query text of a protocol request to the endpoint; None when it holds no query.

    ``query_string`` is the URL's part after ``?``; ``body`` the POST body.
    """
    fields = _fields(query_string, "the URL")
    text: str | None = None
    if method == "POST":
        media = (content_type or "").split(";", 1)[0].strip().lower()
        if media == FORM:
            fields += _fields(_utf8(body, "the form body"), "the form body")
        elif media == DIRECT:
            text = _utf8(body, "the query")
            if any(name == "query" for name, _ in fields):
                raise HttpError(400, "a query in the body and another in the URL", hint="send one query")
        elif media == UPDATE:
            raise HttpError(403, "SPARQL updates are refused: the graph is read-only here", hint=READ_ONLY_HINT)
        else:
            raise HttpError(
                415,
                f"unsupported Content-Type {content_type or '(none)'!r}",
                hint=f"POST the query as {DIRECT}, or as {FORM} with query=…",
            )
    names = [name for name, _ in fields]
    if "update" in names or "using-graph-uri" in names or "using-named-graph-uri" in names:
        raise HttpError(403, "SPARQL updates are refused: the graph is read-only here", hint=READ_ONLY_HINT)
    _check_dataset(fields)
    queries = [value for name, value in fields if name == "query"]
    if len(queries) > 1:
        raise HttpError(400, f"{len(queries)} query parameters given", hint="send one query per request")
    if queries:
        text = queries[0]
    if text is not None and not text.strip():
        raise HttpError(400, "the query is empty", hint="e.g. query=ASK {?s ?p ?o}")
    if text is None and method == "POST":
        raise HttpError(400, "the POST holds no query", hint=f"send query=… as {FORM}, or the query as {DIRECT}")
    return text


def _check_dataset(fields: list[tuple[str, str]]) -> None:
    """Refuse a dataset other than the fixed one (see the module docstring)."""
    from iadef.namespaces import PROVENANCE_GRAPH

    named = [value for name, value in fields if name == "named-graph-uri"]
    other = [value for name, value in fields if name == "default-graph-uri" and value != str(PROVENANCE_GRAPH)]
    if named or other:
        given = f"named-graph-uri <{named[0]}>" if named else f"default-graph-uri <{other[0]}>"
        raise HttpError(
            400,
            f"{given} is not supported: the dataset is fixed",
            hint=f"the default graph is the provenance (default-graph-uri <{PROVENANCE_GRAPH}> is accepted, "
            "meaning it) and each sourced fact is a named graph: use GRAPH in the query",
        )


def _utf8(data: bytes, what: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise HttpError(400, f"{what} is not UTF-8") from None


def _fields(text: str, what: str) -> list[tuple[str, str]]:
    try:
        return parse_qsl(text, keep_blank_values=True, encoding="utf-8", errors="strict")
    except (UnicodeDecodeError, ValueError) as exc:
        raise HttpError(400, f"cannot read the parameters of {what}: {exc}") from None


# ---------------------------------------------------------------- content negotiation


def _ranges(accept: str | None) -> list[tuple[str, float]]:
    if accept is None or not accept.strip():
        return [("*/*", 1.0)]
    ranges = []
    for part in accept.split(","):
        media, *params = (piece.strip() for piece in part.split(";"))
        if not media:
            continue
        q = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = min(max(float(value), 0.0), 1.0)
                except ValueError:
                    q = 0.0
        ranges.append(("*/*" if media == "*" else media.lower(), q))
    return ranges


def _quality(offer: str, ranges: list[tuple[str, float]]) -> float:
    """The q of the most specific range matching ``offer`` (0: none matches)."""
    best, quality = -1, 0.0
    major = offer.split("/", 1)[0]
    for media, q in ranges:
        specificity = 2 if media == offer else 1 if media == f"{major}/*" else 0 if media == "*/*" else -1
        if specificity > best:
            best, quality = specificity, q
    return quality


def negotiate(accept: str | None, offers: tuple[str, ...]) -> str:
    """The offer the client prefers (ties: the first offered), or a 406 listing the offers."""
    ranges = _ranges(accept)
    q, _, chosen = max((_quality(offer, ranges), -i, offer) for i, offer in enumerate(offers))
    if q <= 0:
        raise HttpError(
            406,
            f"cannot answer in any type of Accept: {accept}",
            hint=f"acceptable here: {', '.join(offers)}",
        )
    return chosen


def offers_for(form: str) -> tuple[str, ...]:
    if form == "SELECT":
        return SELECT_TYPES
    if form == "ASK":
        return ASK_TYPES
    return GRAPH_TYPES


def service_description(endpoint: str) -> bytes:
    """A SPARQL 1.1 Service Description (Turtle) of the endpoint at ``endpoint``."""
    from rdflib import BNode, Graph, Literal, Namespace, URIRef
    from rdflib.namespace import DCTERMS, RDF

    sd = Namespace("http://www.w3.org/ns/sparql-service-description#")
    formats = Namespace("http://www.w3.org/ns/formats/")
    graph = Graph(bind_namespaces="none")
    graph.bind("sd", sd)
    graph.bind("formats", formats)
    graph.bind("dcterms", DCTERMS)
    service, dataset, default = BNode("service"), BNode("dataset"), BNode("default")
    graph.add((service, RDF.type, sd.Service))
    graph.add((service, sd.endpoint, URIRef(endpoint)))
    graph.add((service, sd.supportedLanguage, sd.SPARQL11Query))
    for name in ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV"):
        graph.add((service, sd.resultFormat, formats[name]))
    for name in ("Turtle", "N-Triples", "JSON-LD", "RDF_XML"):
        graph.add((service, sd.resultFormat, formats[name]))
    graph.add((service, DCTERMS.title, Literal("iadef: a sourced knowledge graph of French defence AI", lang="en")))
    graph.add((service, sd.defaultDataset, dataset))
    graph.add((dataset, RDF.type, sd.Dataset))
    graph.add((dataset, sd.defaultGraph, default))
    graph.add((default, RDF.type, sd.Graph))
    return graph.serialize(format="turtle").encode("utf-8")
