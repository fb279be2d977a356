"""``iadef serve``: a local, read-only SPARQL 1.1 Protocol endpoint over the built graph.

The HTTP side is the standard library's :class:`http.server.ThreadingHTTPServer`: iadef
stays installable without network access and without a web framework, and the server
only needs a few routes on loopback, which ``http.server`` does well (HTTP/1.1,
keep-alive, one thread per connection). The query work is not done in those threads but
in a pool of worker processes (:mod:`iadef.serve.workers`) that can be killed at the
time limit; the protocol itself (parsing, content negotiation, formats) is pure code in
:mod:`iadef.serve.protocol` and :mod:`iadef.serve.formats`, the pages in
:mod:`iadef.serve.pages`.

A new build is picked up without a restart: a watcher thread looks at the size and
modification time of ``graph/iadef.nq`` and of the ontology every ``reload_interval``
seconds and, once a change has held still for one more look (``iadef build`` replaces
files by renaming, so a file is never seen half-written), reloads the workers
(:meth:`iadef.serve.workers.WorkerPool.reload`) and logs one line saying so.

Routes: ``/`` the graph page, ``/sparql`` the endpoint (GET/POST), the query form (GET,
``Accept: text/html``) and the service description (GET, Turtle); ``/reconcile`` and below
the OpenRefine reconciliation service (:mod:`iadef.serve.reconcile.service`); ``/review``
and below the review page and its JSON API (:mod:`iadef.serve.review`); anything else is 404.

Defences, since a browser can be made to send requests to 127.0.0.1: the server binds
127.0.0.1 by default; it refuses (403) a request whose ``Host`` is not the bound address
or a loopback name with the bound port (DNS rebinding), and one whose ``Origin`` is
another site unless that origin was given with ``--cors``; it sends no CORS header
otherwise. Every answer carries ``X-Content-Type-Options: nosniff``, a
Content-Security-Policy, ``X-Frame-Options: DENY``, ``Referrer-Policy: no-referrer`` and
``Cache-Control: no-store``. POST bodies are read by :mod:`iadef.serve.body`: one
``Content-Length`` (411 without, 400 if repeated or not a number) under the cap (413), the
whole body or nothing run (400 if it ends early, 408 if it stops arriving). The review page
and its API, which write the review queues, add their own checks (a per-run token, same
origin only, no CORS): see :mod:`iadef.serve.review`.
"""

from __future__ import annotations

import socket
import socketserver
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from iadef.errors import IadefError
from iadef.graphset import check_graph_set
from iadef.serve.body import body_length, discard_body, read_body
from iadef.serve.pages import STRICT, Pages
from iadef.serve.protocol import HTML, TURTLE, HttpError, Job, Response, error_response, negotiate, parse_request
from iadef.serve.reconcile.index import index_for
from iadef.serve.reconcile.service import Reconciler
from iadef.serve.reload import build_state, prepare_store
from iadef.serve.review import Review
from iadef.serve.workers import STOP_GRACE, WorkerPool

if TYPE_CHECKING:
    from iadef.paths import Project
    from iadef.stores.setting import StoreSpec


LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})


WILDCARDS = frozenset({"0.0.0.0", "::", ""})


SECURITY_HEADERS = (
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "no-referrer"),
    ("Cache-Control", "no-store"),
)


ROUTES = {"/": ("GET", "HEAD", "OPTIONS"), "/sparql": ("GET", "HEAD", "POST", "OPTIONS")}


@dataclass(frozen=True)
class ServeConfig:
    """How the server listens and what it allows."""

    host: str = "127.0.0.1"
    port: int = 8077
    workers: int = 2
    timeout: float = 30.0  # seconds of work per query; 0: no limit
    max_rows: int = 10_000  # rows (SELECT) or triples (CONSTRUCT, DESCRIBE) per answer
    max_body: int = 1 << 20  # bytes of a POST body
    queue_wait: float = 30.0  # seconds a request waits for a free worker
    cors: str | None = None  # an origin allowed to read answers from a browser
    allowed_hosts: tuple[str, ...] = ()  # more Host names to accept (when bound to a public address)
    quiet: bool = False  # no access log
    reload_interval: float = 2.0  # seconds between looks at the build; 0: never reload
    body_timeout: float = 10.0  # seconds a POST body may pause before 408

    def limits(self) -> str:
        time_limit = f"{self.timeout:g} s per query" if self.timeout > 0 else "no time limit"
        return f"{time_limit}, {self.max_rows} rows per answer, {self.max_body // 1024} KiB per request"


def _stderr(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


class SparqlServer(ThreadingHTTPServer):
    """The HTTP server, its worker pool and its pages."""

    daemon_threads = True
    block_on_close = False

    def __init__(
        self, project: Project, spec: StoreSpec, config: ServeConfig, log: Callable[[str], None] = _stderr
    ) -> None:
        self.address_family = socket.AF_INET6 if ":" in config.host else socket.AF_INET
        try:
            super().__init__((config.host, config.port), Handler)
        except OSError as exc:
            raise IadefError(
                f"cannot listen on {config.host}:{config.port}: {exc.strerror or exc}",
                hint="choose another --port (--port 0 picks a free one)",
            ) from None
        self.project = project
        self.spec = spec
        self.config = config
        self.log = log
        self.port: int = self.server_address[1]
        shown = "127.0.0.1" if config.host in WILDCARDS else config.host
        self.url = f"http://{f'[{shown}]' if ':' in shown else shown}:{self.port}/"
        names = {config.host.lower(), *(h.lower() for h in config.allowed_hosts)} - WILDCARDS
        self.hosts = frozenset(LOOPBACK_NAMES | names)
        self.pool = WorkerPool(project, spec, config.workers, log=log)
        self.pages = Pages(project, self.url + "sparql", spec.describe(), config.limits())
        self.reconciler = Reconciler(lambda: index_for(project, spec), self.url, lambda: self.reloads)
        self.review = Review(project, lambda origin: self.allows(origin, origin=True))
        self.reloads = 0  # builds loaded since the start
        self._served = build_state(project)
        self._stop_watching = threading.Event()
        self._watcher: threading.Thread | None = None

    def server_bind(self) -> None:
        socketserver.TCPServer.server_bind(self)  # HTTPServer's would look the host up in the DNS
        host, port = self.server_address[:2]
        self.server_name, self.server_port = str(host), int(port)

    def close(self) -> None:
        """Stop watching the build, stop listening and stop the workers.

        A reload in progress fails at once when its workers are stopped; a disk store being
        loaded cannot be interrupted, and its (daemon) thread is left to end with the process.
        """
        self._stop_watching.set()
        self.server_close()
        self.pool.close()
        if self._watcher is not None:
            self._watcher.join(STOP_GRACE)

    def watch(self) -> None:
        """Start the thread that reloads the workers after a build (unless ``reload_interval`` is 0)."""
        if self.config.reload_interval > 0 and self._watcher is None:
            self._watcher = threading.Thread(target=self._watch, name="iadef-build-watcher", daemon=True)
            self._watcher.start()

    def reload(self) -> bool:
        """Load the build as it is now into new workers; False (and a log line) if it cannot be served."""
        from iadef.stores.oxigraph_engine import check_graph_files

        started = time.perf_counter()
        state = self._served = build_state(self.project)  # a build that fails is not tried again until it changes
        nquads = self.project.relative(self.project.graph / "iadef.nq")
        if state[0] is None:
            self.log(f"iadef serve: {nquads} is gone; still serving the build it was started with")
            return False
        try:
            check_graph_set(self.project.graph / "iadef.nq", nquads)  # a build half-written: not even tried
            if self.spec.kind == "oxigraph-disk":
                # the folder is cleared to load it: a build that does not parse must not get that far
                check_graph_files(self.project.graph / "iadef.nq", self.project.ontology)
                self.pool.reload(lambda: prepare_store(self.project, self.spec))
            else:
                self.pool.reload()
        except IadefError as exc:
            if self._stop_watching.is_set():
                return False  # stopping: the workers were stopped under the reload
            kept = "no query can be answered" if self.pool.failure else "still serving the previous one"
            detail = str(exc).split("\n")[0]  # file:line: message, without the hint
            self.log(f"iadef serve: the new build in {nquads} could not be loaded ({detail}); {kept}")
            return False
        self.reloads += 1
        self.log(f"iadef serve: {nquads} changed; now serving the new build ({time.perf_counter() - started:.1f} s)")
        return True

    def _watch(self) -> None:
        seen = self._served
        while not self._stop_watching.wait(self.config.reload_interval):
            now = build_state(self.project)
            if now == self._served:
                seen = now
            elif now != seen:
                seen = now  # changed: look once more, so that a build in progress can finish
            else:
                self.reload()

    def allows(self, host: str | None, *, origin: bool = False) -> bool:
        """Whether a Host header (or, ``origin``, an Origin header) names this server."""
        if not host:
            return False
        try:
            parts = urlsplit(host if origin else f"//{host}")
            name, port = parts.hostname, parts.port
        except ValueError:
            return False
        if origin and parts.scheme != "http":
            return False
        return name is not None and name.lower() in self.hosts and (port or 80) == self.port


def open_server(
    project: Project, spec: StoreSpec, config: ServeConfig, *, log: Callable[[str], None] = _stderr
) -> tuple[SparqlServer, str]:
    """A listening server with its workers ready, and what was done to the store."""
    loaded = prepare_store(project, spec)
    server = SparqlServer(project, spec, config, log)
    try:
        server.pool.start()
    except BaseException:
        server.server_close()
        raise
    server.watch()
    return server, loaded


@contextmanager
def running(
    project: Project, spec: StoreSpec, config: ServeConfig, *, log: Callable[[str], None] = _stderr
) -> Iterator[SparqlServer]:
    """A server answering in a background thread (tests, benchmarks), stopped on exit."""
    server, _ = open_server(project, spec, config, log=log)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        thread.join()
        server.close()


class Handler(BaseHTTPRequestHandler):
    """One connection: routes, checks, and the access log."""

    server: SparqlServer
    protocol_version = "HTTP/1.1"
    server_version = "iadef-serve"
    sys_version = ""
    timeout = 60  # seconds an idle keep-alive connection is kept
    disable_nagle_algorithm = True  # headers and body are two writes: no 40 ms wait for the client's delayed ACK

    def version_string(self) -> str:
        return self.server_version

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """Replaced by the one line :meth:`_handle` writes."""

    def log_message(self, format: str, *args: object) -> None:
        self.server.log(f"iadef serve: {self.address_string()}: {format % args}")

    def _handle(self) -> None:
        started = time.perf_counter()
        self._body_read = False
        try:
            response = self._route()
        except HttpError as exc:
            response = error_response(exc)
        except Exception as exc:  # a bug: answer 500 and keep serving
            self.server.log(f"iadef serve: internal error on {self.command} {self.path.split('?')[0]}: {exc!r}")
            response = error_response(HttpError(500, f"internal error: {type(exc).__name__}"))
        if not self._body_read:
            self._discard_body()
        try:
            self._send(response)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
        if not self.server.config.quiet:
            path = urlsplit(self.path).path
            ms = (time.perf_counter() - started) * 1000
            when = time.strftime("%Y-%m-%d %H:%M:%S")
            self.server.log(f'{when} {self.address_string()} "{self.command} {path}" {response.status} {ms:.1f} ms')

    # http.server calls do_<METHOD>: every method goes through the one handler (405 is decided by the routes)
    do_GET = do_HEAD = do_POST = do_OPTIONS = do_PUT = do_DELETE = do_PATCH = _handle

    def _route(self) -> Response:
        server = self.server
        if not server.allows(self.headers.get("Host")):
            raise HttpError(
                403,
                f"Host {self.headers.get('Host')!r} is not this server (a defence against DNS rebinding)",
                hint=f"use {server.url}, or start the server with --allow-host NAME",
            )
        origin = self.headers.get("Origin")
        if origin and not server.allows(origin, origin=True) and server.config.cors not in (origin, "*"):
            raise HttpError(403, f"requests from {origin} are refused", hint="start the server with --cors ORIGIN")
        path = urlsplit(self.path).path
        if path == "/reconcile" or path.startswith("/reconcile/"):
            return self._reconcile(path)
        if path == "/review" or path.startswith("/review/"):
            return server.review.handle(self.command, path, self.headers, self._body)
        if path not in ROUTES:
            raise HttpError(
                404, f"nothing at {path}", hint=f"the endpoint is {server.url}sparql, the graph {server.url}"
            )
        allowed = ROUTES[path]
        if self.command not in allowed:
            raise HttpError(405, f"{self.command} is not allowed on {path}", headers=(("Allow", ", ".join(allowed)),))
        if self.command == "OPTIONS":
            return Response(204, "text/plain", b"", (("Allow", ", ".join(allowed)),))
        if path == "/":
            return server.pages.graph()
        body = self._body() if self.command == "POST" else b""
        method = "GET" if self.command == "HEAD" else self.command
        text = parse_request(method, urlsplit(self.path).query, self.headers.get("Content-Type"), body)
        if text is None:
            media = negotiate(self.headers.get("Accept"), (TURTLE, HTML))
            return server.pages.form() if media == HTML else server.pages.description()
        job = Job(text, self.headers.get("Accept"), server.config.max_rows)
        return server.pool.run(job, timeout=server.config.timeout, wait=server.config.queue_wait)

    def _reconcile(self, path: str) -> Response:
        if self.command not in ROUTES["/sparql"]:
            raise HttpError(
                405, f"{self.command} is not allowed on {path}", headers=(("Allow", "GET, HEAD, POST, OPTIONS"),)
            )
        if self.command == "OPTIONS":
            return Response(204, "text/plain", b"", (("Allow", "GET, HEAD, POST, OPTIONS"),))
        body = self._body() if self.command == "POST" else b""
        method = "GET" if self.command == "HEAD" else self.command
        frame = self.server.config.cors or "'none'"  # who may show the previews in a frame
        query = urlsplit(self.path).query
        return self.server.reconciler.answer(method, path, query, self.headers.get("Content-Type"), body, frame)

    def _body(self, limit: int | None = None) -> bytes:
        size = body_length(self.headers, min(limit or self.server.config.max_body, self.server.config.max_body))
        self._body_read = True
        try:
            return read_body(self.rfile, self.connection, size, self.server.config.body_timeout)
        except HttpError:
            self.close_connection = True
            raise

    def _discard_body(self) -> None:
        if not discard_body(self.headers, self.rfile):
            self.close_connection = True

    def _send(self, response: Response) -> None:
        self.send_response(response.status)
        headers = dict(SECURITY_HEADERS)
        headers["Content-Security-Policy"] = STRICT
        headers.update(response.headers)
        cors = None if urlsplit(self.path).path.startswith("/review") else self.server.config.cors
        if cors:  # never on the review page and its API
            headers["Access-Control-Allow-Origin"] = cors
            headers["Vary"] = "Origin"
            if self.command == "OPTIONS":
                headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
                headers["Access-Control-Allow-Headers"] = "Accept, Content-Type"
                headers["Access-Control-Max-Age"] = "600"
        if response.status != 204:
            headers["Content-Type"] = response.content_type
            headers["Content-Length"] = str(len(response.body))
        if self.close_connection:
            headers["Connection"] = "close"
        for name, value in headers.items():
            if value:  # a response may drop a default header by giving it empty (a preview's X-Frame-Options)
                self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD" and response.status != 204:
            self.wfile.write(response.body)
