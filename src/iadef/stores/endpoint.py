"""A client for any SPARQL 1.1 server, over the standard protocol, with the standard library only.

Queries are POSTed as ``application/x-www-form-urlencoded`` (``query=``), updates as
``update=`` (SPARQL 1.1 Protocol, sections 2.1.2 and 2.2.1). HTTP Basic and Digest
authentication are both offered (Virtuoso's ``/sparql-auth`` asks for Digest). SELECT and
ASK results are read as SPARQL XML (Virtuoso writes it four times faster than JSON) or
JSON, CONSTRUCT and DESCRIBE results as N-Triples, and converted to the engines'
:class:`~iadef.sparql.answer.Answer`, terms passed through :func:`~iadef.sparql.answer.canonical` so
that rows compare equal to rdflib's. Parameters are inlined as a ``VALUES`` block
(:mod:`iadef.sparql.bind`): the protocol has no other way to send them.

The dataset. ``iadef push`` stores the built graph's default graph (provenance) as the named
graph ``Endpoint.default_graph``. How a server shows it depends on the dataset parameters,
and on Virtuoso 7.2 (measured; see tests/test_endpoint.py) no standard choice is exact:

- ``default-graph-uri=<that graph>`` makes it the default graph, but Virtuoso then matches
  no ``GRAPH <constant>`` (only graphs listed by ``named-graph-uri``) while ``GRAPH ?g``
  still ranges over every graph, and a zero-length property path (``rdfs:subClassOf*``)
  matches nothing in a variable graph: most named queries lose rows;
- listing every graph with ``named-graph-uri`` is exact, but there is one graph per fact:
  20 times slower at 600 graphs, past a minute at 2,600 (Virtuoso also echoes each one as a
  response header, and Python refuses more than 100 headers);
- without parameters (what is sent here) Virtuoso's default graph is the union of all its
  graphs and ``GRAPH ?g`` ranges over all of them, its system graphs (``virtrdf:``…) and the
  stored default graph included. The named queries read the default graph only for
  statements about fact graphs, which no named graph holds, and pin ``GRAPH ?g`` by iadef
  vocabulary, so they give the rows of the embedded engines; the one that lists graphs
  (``fact-without-source-violation``) only looks under https://w3id.org/iadef/ and skips
  the stored default graph. An ad-hoc query matching any triple of any graph sees
  Virtuoso's own graphs too.

``Endpoint.restrict_default_graph`` sends ``default-graph-uri`` with every query, for
servers that keep all named graphs visible when it is given (Oxigraph server).
:meth:`EndpointEngine.quads` always sends it (its one query needs no constant graph) and
lists the named graphs under https://w3id.org/iadef/ only, not the server's own.

Virtuoso quirks handled here: SPARQL 1.0 ``typed-literal`` bindings; a stored
``xsd:boolean`` sent as ``1``/``0`` (rdflib normalises it to ``true``/``false``; a boolean
computed by an expression comes back as an integer, Virtuoso has no boolean type);
decimals and ``xsd:string`` through ``canonical``; control characters written as XML 1.0
character references that no XML parser accepts (the query is asked again as JSON);
results cut at the server's ``ResultSetMaxRows`` or time limit (``X-SPARQL-MaxRows``,
``X-SQL-State``), refused rather than returned partial. Worked around in the queries, not
here: Virtuoso 7.2.5 gets transitive property paths joined with other patterns wrong, and a
UNION nested in a branch of a UNION can lose bindings (``partners``, ``partners-of``; see
tests/test_endpoint.py). Not handled: Virtuoso 7.2.5 stores ``"2019"^^xsd:gYear`` and
``"2019-01"^^xsd:gYearMonth`` as one value (whichever came first), so a graph holding both
reads back changed and a repeated ``iadef push`` sends it again (found on a synthetic 10^5
graph; the seed graph has no such pair).
"""

from __future__ import annotations

import base64
import http.client
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from rdflib import Literal, URIRef

from iadef.errors import EndpointError
from iadef.namespaces import BASE, PROVENANCE_GRAPH
from iadef.sparql.answer import Answer, Term
from iadef.sparql.bind import inline_terms, inline_values, query_form, reparse
from iadef.stores.endpoint_results import (
    HINT,
    JSON_RESULTS,
    XML_RESULTS,
    _from_graph,
    _from_json,
    _from_xml,
)
from iadef.urls import check_http_url

DEFAULT_TIMEOUT = 60.0


USER_AGENT = "iadef (+https://w3id.org/iadef/)"


# XML first: Virtuoso writes it four times faster than JSON (0.19 s against 0.79 s for 6,500 rows).
RESULTS_ACCEPT = f"{XML_RESULTS}, {JSON_RESULTS};q=0.9"


GRAPH_ACCEPT = "application/n-triples, text/plain;q=0.9, text/turtle;q=0.8"


MESSAGE_CHARS = 600


QUADS_QUERY = """SELECT ?s ?p ?o ?g WHERE {
  { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } FILTER (?g != %s && STRSTARTS(STR(?g), %s)) }
}"""


Quad = tuple[Term, Term, Term, URIRef | None]


@dataclass(frozen=True)
class Endpoint:
    """Where a SPARQL server listens and how to log in; the password never comes from a flag."""

    query_url: str
    update_url: str | None = None  # None: the query URL (Virtuoso, Oxigraph server)
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    default_graph: str = str(PROVENANCE_GRAPH)  # where the build's default graph is stored
    timeout: float = DEFAULT_TIMEOUT
    restrict_default_graph: bool = False  # send default-graph-uri=default_graph with each query
    graph_store_url: str | None = None  # SPARQL 1.1 Graph Store Protocol endpoint, if the server has one

    def __post_init__(self) -> None:
        for what, url in (("endpoint", self.query_url), ("update endpoint", self.update_url)):
            if url is not None:
                check_http_url(url, what=what)
        if self.graph_store_url is not None:
            check_http_url(self.graph_store_url, what="graph store")

    @property
    def updates(self) -> str:
        """The URL updates are sent to."""
        return self.update_url or self.query_url


class EndpointEngine:
    """The :class:`~iadef.sparql.answer.Engine` of a remote SPARQL 1.1 server."""

    name = "endpoint"
    fork_safe = True

    def __init__(self, endpoint: Endpoint) -> None:
        self.endpoint = endpoint
        self._opener = _opener(endpoint)

    def query(
        self, text: str, bindings: Mapping[str, Term] | None = None, *, parsed: Any = None, constants: bool = False
    ) -> Answer:
        """Run ``text`` on the server, ``bindings`` inlined as a VALUES block; ``parsed`` is not needed.

        With ``constants`` the bound variables are also written as constants in the WHERE
        group (:func:`iadef.sparql.bind.inline_terms`) where that keeps the query's meaning.
        """
        inlined = inline_terms(text, bindings) if constants and bindings else None
        if inlined is not None:
            reparse(inlined)
        else:
            inlined = inline_values(text, bindings or {})
        return self.run(inlined, default_graph=self.endpoint.restrict_default_graph)

    def run(self, text: str, *, default_graph: bool = False) -> Answer:
        """Run ``text`` as it is; ``default_graph``: the stored default graph is the query's default graph."""
        form = query_form(text)
        params = {"query": text}
        if default_graph:
            params["default-graph-uri"] = self.endpoint.default_graph
        url = self.endpoint.query_url
        if form in ("SELECT", "ASK"):
            content_type, body = self.post(url, params, RESULTS_ACCEPT)
            if content_type == XML_RESULTS:
                answer = _from_xml(body, form, url)
                if answer is not None:
                    return answer
                # Not well-formed: Virtuoso writes control characters as references XML 1.0 forbids (&#1;).
                content_type, body = self.post(url, params, JSON_RESULTS)
            return _from_json(body, form, content_type, url)
        content_type, body = self.post(url, params, GRAPH_ACCEPT)
        return Answer(form, triples=_from_graph(body, content_type, url))

    def update(self, text: str) -> None:
        """Run a SPARQL 1.1 Update request on the update URL."""
        self.post(self.endpoint.updates, {"update": text}, "*/*")

    def put_graph(self, graph: str, turtle: bytes) -> None:
        """Replace ``graph`` with a Turtle (or N-Triples) document: Graph Store Protocol ``PUT ?graph=IRI``."""
        url = self.endpoint.graph_store_url
        if url is None:
            raise EndpointError("no Graph Store Protocol endpoint is set", hint="pass --graph-store URL")
        target = f"{url}{'&' if '?' in url else '?'}{urllib.parse.urlencode({'graph': graph})}"
        request = urllib.request.Request(
            target, data=turtle, method="PUT", headers={"Content-Type": "text/turtle; charset=utf-8"}
        )
        if self.endpoint.user is not None:
            self._authorize(request, url)
        self.send(request, url)

    def _authorize(self, request: urllib.request.Request, url: str) -> None:
        """Add the Authorization header before sending a large body.

        urllib answers a 401 by sending the request again with credentials, but a server
        that refuses an unauthenticated upload closes the connection while the body is still
        being sent (Virtuoso does). So the challenge is fetched first with a body-less HEAD,
        and the Basic or Digest answer is computed by urllib's own handlers.
        """
        probe = urllib.request.Request(request.full_url, method="HEAD", headers={"User-Agent": USER_AGENT})
        try:
            urllib.request.urlopen(probe, timeout=self.endpoint.timeout).close()
            return  # no challenge: the server does not ask for credentials here
        except urllib.error.HTTPError as exc:
            challenge = exc.headers.get("WWW-Authenticate", "") if exc.code == 401 else ""
        except (urllib.error.URLError, OSError) as exc:
            raise _connection_error(getattr(exc, "reason", exc), url, self.endpoint.timeout) from None
        scheme, _, rest = challenge.partition(" ")
        passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        passwords.add_password(None, request.full_url, self.endpoint.user or "", self.endpoint.password or "")
        if scheme.lower() == "digest":
            fields = urllib.request.parse_keqv_list([f for f in urllib.request.parse_http_list(rest) if f])
            answer = urllib.request.HTTPDigestAuthHandler(passwords).get_authorization(request, fields)
            if answer:
                request.add_unredirected_header("Authorization", f"Digest {answer}")
        elif scheme.lower() == "basic":
            token = base64.b64encode(f"{self.endpoint.user}:{self.endpoint.password or ''}".encode()).decode("ascii")
            request.add_unredirected_header("Authorization", f"Basic {token}")

    def quads(
        self,
        subject: Term | None = None,
        predicate: Term | None = None,
        obj: Term | None = None,
        *,
        prefix: str = BASE,
    ) -> Iterator[Quad]:
        """Matching quads of the stored default graph (graph None) and of the named graphs, in one query.

        Named graphs are those whose IRI starts with ``prefix`` (default: iadef's, the graphs
        ``iadef push`` writes; "" for all, Virtuoso's system graphs included). The stored
        default graph is not repeated as a named graph.
        """
        bound = {k: v for k, v in (("s", subject), ("p", predicate), ("o", obj)) if v is not None}
        text = QUADS_QUERY % (URIRef(self.endpoint.default_graph).n3(), Literal(prefix).n3())
        for s, p, o, g in self.run(inline_values(text, bound), default_graph=True).rows:
            if s is None or p is None or o is None:
                raise EndpointError(f"{self.endpoint.query_url} returned an incomplete quad", hint=HINT)
            yield s, p, o, g if isinstance(g, URIRef) else None

    def close(self) -> None:
        """Nothing is kept open between requests (urllib opens one connection per request)."""

    def __enter__(self) -> EndpointEngine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def post(self, url: str, params: Mapping[str, str], accept: str) -> tuple[str, bytes]:
        """POST a form to ``url``; (content type, body), or an :class:`EndpointError` saying what failed."""
        request = urllib.request.Request(
            url,
            data=urllib.parse.urlencode(params).encode("utf-8"),
            method="POST",
            headers={
                "Accept": accept,
                "Content-Type": "application/x-www-form-urlencoded; charset=UTF-8",
            },
        )
        return self.send(request, url)

    def send(self, request: urllib.request.Request, url: str) -> tuple[str, bytes]:
        """Send ``request`` (``url`` names it in errors); (content type, body), or a clear :class:`EndpointError`."""
        request.add_header("User-Agent", USER_AGENT)
        try:
            with self._opener.open(request, timeout=self.endpoint.timeout) as response:
                body = response.read()
                headers = response.headers
        except urllib.error.HTTPError as exc:
            raise _http_error(exc, url, self.endpoint.user) from None
        except urllib.error.URLError as exc:
            raise _connection_error(exc.reason, url, self.endpoint.timeout) from None
        except OSError as exc:  # a timeout or a reset while reading the answer
            raise _connection_error(exc, url, self.endpoint.timeout) from None
        except http.client.HTTPException as exc:
            raise EndpointError(f"{url} broke the HTTP protocol: {type(exc).__name__}: {exc}", hint=HINT) from None
        except ValueError as exc:  # urllib's digest handler meeting an authentication scheme it does not know
            raise EndpointError(
                f"{url}: cannot authenticate: {exc}", hint="the server must ask for Basic or Digest"
            ) from None
        _refuse_partial(headers, url)
        return headers.get_content_type(), body


def _opener(endpoint: Endpoint) -> urllib.request.OpenerDirector:
    handlers: list[urllib.request.BaseHandler] = []
    if endpoint.user is not None:
        passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        for url in {endpoint.query_url, endpoint.updates, endpoint.graph_store_url or endpoint.query_url}:
            passwords.add_password(None, url, endpoint.user, endpoint.password or "")
        handlers += [urllib.request.HTTPBasicAuthHandler(passwords), urllib.request.HTTPDigestAuthHandler(passwords)]
    return urllib.request.build_opener(*handlers)


def _refuse_partial(headers: Any, url: str) -> None:
    """Virtuoso answers 200 with part of the rows when one of its limits cut the result: refuse it."""
    state = headers.get("X-SQL-State")
    if state:
        message = headers.get("X-SQL-Message")
        raise EndpointError(
            f"{url} returned a partial result ({state}{': ' + message if message else ''})",
            hint="the server's time limit (Virtuoso: [SPARQL] MaxQueryExecutionTime) stopped the query; raise it",
        )
    if headers.get("X-SPARQL-MaxRows"):
        raise EndpointError(
            f"{url} cut the result at {headers['X-SPARQL-MaxRows']} rows",
            hint="raise the server's row limit (Virtuoso: [SPARQL] ResultSetMaxRows in virtuoso.ini)",
        )


def _http_error(exc: urllib.error.HTTPError, url: str, user: str | None) -> EndpointError:
    try:
        text = exc.read().decode("utf-8", "replace")
    except OSError:
        text = ""
    message = " ".join(text.split())[:MESSAGE_CHARS] or str(exc.reason)
    if exc.code in (401, 403):
        who = f"user {user!r}" if user else "no user given"
        return EndpointError(
            f"{url}: authentication failed (HTTP {exc.code}, {who}): {message}",
            hint="check --user and the password in IADEF_ENDPOINT_PASSWORD (Virtuoso: /sparql-auth, Digest)",
        )
    if exc.code in (404, 405) or (exc.code >= 500 and not text):
        hint = "check --endpoint: the server's SPARQL URL, e.g. http://localhost:8890/sparql-auth"
    else:
        hint = "the server refused the request; its message says why"
    return EndpointError(f"{url} answered HTTP {exc.code}: {message}", hint=hint)


def _connection_error(reason: object, url: str, timeout: float) -> EndpointError:
    if isinstance(reason, TimeoutError):
        return EndpointError(
            f"no answer from {url} within {timeout:g} s", hint="is the server overloaded? raise --timeout"
        )
    if isinstance(reason, ConnectionRefusedError):
        return EndpointError(f"cannot connect to {url}: connection refused", hint=HINT)
    return EndpointError(f"cannot reach {url}: {reason}", hint=HINT)
