"""The pages of ``iadef serve``: the graph page, the query form, the service description.

- ``/`` is ``graph/iadef.html`` as ``iadef viz`` wrote it, read at each request (run
  ``iadef viz`` again and reload); it keeps its own Content-Security-Policy. Missing, it
  is a 404 page saying to run ``iadef viz``.
- ``/sparql`` in a browser is the query form (``templates/sparql.html``): one file, no
  CDN. Its policy allows only its own inline style and script, by SHA-256 hash, and
  requests to the server itself; the examples (the parameter-free named queries) are
  embedded as JSON that cannot close its ``<script>`` element, and the page writes
  answers with ``textContent`` only.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
import threading
from importlib import resources
from typing import TYPE_CHECKING

from iadef.serve.protocol import CONTENT_TYPES, HTML, Response, service_description

if TYPE_CHECKING:
    from iadef.paths import Project

FRAME = "frame-ancestors 'none'"
STRICT = f"default-src 'none'; {FRAME}"
MISSING_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>iadef — no graph page</title></head>
<body><h1>No graph page yet</h1>
<p>Run <code>iadef viz</code> to write <code>graph/iadef.html</code>, then reload this page.</p>
<p>The SPARQL endpoint and its query form are at <a href="sparql">/sparql</a>.</p></body></html>
"""


def embed_json(data: object) -> str:
    """JSON safe inside a ``<script>`` element: no ``<``, ``>`` or ``&`` left as such."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def _hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def form_policy(page: str) -> str:
    """The Content-Security-Policy of the form: its inline ``<style>`` and ``<script>`` only, by hash."""
    styles = re.findall(r"<style>(.*?)</style>", page, flags=re.DOTALL)
    scripts = re.findall(r"<script>(.*?)</script>", page, flags=re.DOTALL)
    return (
        f"default-src 'none'; style-src {' '.join(map(_hash, styles))}; script-src {' '.join(map(_hash, scripts))}; "
        f"connect-src 'self'; form-action 'self'; img-src data:; base-uri 'none'; {FRAME}"
    )


def html_response(status: int, page: str | bytes, policy: str) -> Response:
    body = page if isinstance(page, bytes) else page.encode("utf-8")
    return Response(status, CONTENT_TYPES[HTML], body, (("Content-Security-Policy", policy),))


class Pages:
    """The pages of one server; the form and the description are built once, on first use."""

    def __init__(self, project: Project, endpoint: str, store: str, limits: str) -> None:
        self.project = project
        self.endpoint = endpoint
        self.store = store
        self.limits = limits
        self._lock = threading.Lock()
        self._form: Response | None = None
        self._description: Response | None = None

    def graph(self) -> Response:
        path = self.project.graph / "iadef.html"
        try:
            page = path.read_bytes()
        except FileNotFoundError:
            return html_response(404, MISSING_PAGE, STRICT)
        return html_response(200, page, FRAME)  # the page's own <meta> policy applies; frame-ancestors needs a header

    def form(self) -> Response:
        with self._lock:
            if self._form is None:
                template = (
                    resources.files("iadef.serve").joinpath("templates", "sparql.html").read_text(encoding="utf-8")
                )
                page = (
                    template.replace("@@STORE@@", html.escape(self.store))
                    .replace("@@LIMITS@@", html.escape(self.limits))
                    .replace("@@EXAMPLES@@", embed_json(self._examples()))
                )
                self._form = html_response(200, page, form_policy(template))
            return self._form

    def description(self) -> Response:
        with self._lock:
            if self._description is None:
                body = service_description(self.endpoint)
                self._description = Response(
                    200, "text/turtle; charset=utf-8", body, (("Content-Security-Policy", STRICT),)
                )
            return self._description

    def _examples(self) -> list[dict[str, str]]:
        """The named queries without parameters that the endpoint accepts."""
        from iadef.errors import QueryError
        from iadef.sparql.catalogue import load_catalogue
        from iadef.sparql.guard import check

        try:
            catalogue = load_catalogue(self.project.queries)
        except QueryError:
            return []
        examples = []
        for name, query in catalogue.items():
            if query.parameters:
                continue
            try:
                check(query.text, name=name)
            except QueryError:
                continue  # SERVICE or FROM: refused by the endpoint
            examples.append({"name": name, "title": query.title, "text": query.text})
        return examples
