"""The one check of a URL given by a user: only http(s) URLs with a host are ever requested.

``urllib`` would also open ``file:``, ``ftp:`` and ``data:`` URLs: ``file:///etc/passwd``
as an endpoint would read a local file and quote it in an error. Every URL setting (the
command line options, ``IADEF_STORE``, ``IADEF_WIKIDATA_API``, ``iadef.toml``) goes through
:func:`check_http_url` before anything is opened.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from iadef.errors import IadefError


def check_http_url(text: str, *, what: str = "") -> str:
    """``text`` if it is an http:// or https:// URL with a host; else an :class:`IadefError`."""
    try:
        parts = urlsplit(text)
        ok = parts.scheme.lower() in ("http", "https") and bool(parts.hostname)
        ok = ok and not any(char.isspace() or ord(char) < 32 or ord(char) == 127 for char in text)
        parts.port  # noqa: B018 - raises ValueError on a port that is not a number
    except ValueError:
        ok = False
    if not ok:
        raise IadefError(
            f"{what + ' ' if what else ''}{text!r} is not an http(s) URL: only http:// and https:// URLs with a host "
            "are accepted",
            hint="give the server's address, e.g. http://127.0.0.1:8890/sparql",
        )
    return text


def check_origin(text: str) -> str:
    """``*`` or a web origin (``http(s)://host[:port]``, nothing after it), for ``--cors``."""
    if text == "*":
        return text
    check_http_url(text)
    parts = urlsplit(text)
    if parts.path not in ("", "/") or parts.query or parts.fragment or parts.username or parts.password:
        raise IadefError(
            f"{text!r} is not an origin: give scheme://host[:port] only, or *",
            hint="e.g. --cors http://localhost:3000",
        )
    return text.rstrip("/")
