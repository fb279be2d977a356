"""A local stand-in for https://www.wikidata.org/w/api.php, serving tests/fixtures/wikidata/.

It answers ``wbsearchentities`` and ``wbgetentities`` in Wikidata's JSON format from the
fixture files, logs every request (parameters and headers), and can be told to answer
the next requests with a 429, a ``maxlag`` error (both with ``Retry-After``) or after a
delay longer than the client's timeout.
"""

from __future__ import annotations

import json
import threading
import time
import unicodedata
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).parent / "fixtures" / "wikidata"


def slug(term: str) -> str:
    plain = "".join(c for c in unicodedata.normalize("NFKD", term.lower()) if not unicodedata.combining(c))
    return plain.replace(" ", "-")


@dataclass
class Logged:
    params: dict[str, str]
    headers: dict[str, str]


@dataclass
class FakeWikidata:
    """The server's state: what it was asked, and what to do next."""

    log: list[Logged] = field(default_factory=list)
    script: list[tuple[str, float]] = field(default_factory=list)  # ("429" | "maxlag" | "slow", seconds)
    always_slow: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def answer(self, params: dict[str, str]) -> dict[str, Any]:
        action = params.get("action")
        if action == "wbsearchentities":
            path = FIXTURES / "wbsearchentities" / f"{slug(params.get('search', ''))}.json"
            if path.is_file():
                return dict(json.loads(path.read_text(encoding="utf-8")))
            return {"searchinfo": {"search": params.get("search", "")}, "search": [], "success": 1}
        if action == "wbgetentities":
            entities: dict[str, Any] = {}
            for qid in params.get("ids", "").split("|"):
                path = FIXTURES / "wbgetentities" / f"{qid}.json"
                entities[qid] = (
                    json.loads(path.read_text(encoding="utf-8"))
                    if path.is_file()
                    else {
                        "id": qid,
                        "missing": "",
                    }
                )
            return {"entities": entities, "success": 1}
        return {"error": {"code": "badvalue", "info": f'Unrecognized value for parameter "action": {action}.'}}


def start(state: FakeWikidata) -> tuple[ThreadingHTTPServer, str]:
    """Serve ``state`` on 127.0.0.1 (a free port) in a daemon thread; return the server and API URL."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            query = urllib.parse.urlsplit(self.path).query
            params = dict(urllib.parse.parse_qsl(query, keep_blank_values=True))
            with state.lock:
                state.log.append(Logged(params, {k.lower(): v for k, v in self.headers.items()}))
                step = state.script.pop(0) if state.script else ("ok", 0.0)
            kind, seconds = step
            if kind == "slow" or state.always_slow:
                time.sleep(seconds or state.always_slow)
            if kind == "429":
                body = (FIXTURES / "errors" / "ratelimited.json").read_bytes()
                self._send(429, body, {"Retry-After": str(int(seconds))})
            elif kind == "maxlag":
                body = (FIXTURES / "errors" / "maxlag.json").read_bytes()
                self._send(200, body, {"Retry-After": str(int(seconds)), "MediaWiki-API-Error": "maxlag"})
            else:
                self._send(200, json.dumps(state.answer(params)).encode("utf-8"), {})

        def _send(self, status: int, body: bytes, headers: dict[str, str]) -> None:
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout test)
                pass

        def log_message(self, format: str, *args: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/w/api.php"
