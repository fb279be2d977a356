"""Reading a POST body: exactly ``Content-Length`` bytes, promptly, or a clear refusal.

- ``Transfer-Encoding: chunked`` or no ``Content-Length``: 411.
- ``Content-Length`` given twice (request smuggling), or not a plain number (``-5``,
  ``+5``, ``5 5``): 400.
- Over the cap: 413.
- A body that ends before ``Content-Length`` bytes (the client half-closed): 400, and the
  truncated query is never run.
- A body that stops arriving: 408 after ``body_timeout`` seconds without a byte.

After any refusal once the body was started, the connection is closed: what is left of
the stream cannot be told apart from a next request.
"""

from __future__ import annotations

import contextlib
import io
import re
import socket
from email.message import Message

from iadef.serve.protocol import HttpError

DISCARD_LIMIT = 16 << 20  # bytes of a refused body read and dropped rather than reset
_DIGITS = re.compile(r"[0-9]{1,18}")


def body_length(headers: Message, limit: int) -> int:
    """The announced length of the body, checked against the cap."""
    if "chunked" in (headers.get("Transfer-Encoding") or "").lower():
        raise HttpError(411, "chunked request bodies are not read", hint="send a Content-Length")
    lengths = headers.get_all("Content-Length") or []
    if not lengths:
        raise HttpError(411, "a POST needs a Content-Length")
    if len(lengths) > 1:
        shown = ", ".join(repr(value) for value in lengths)
        raise HttpError(400, f"{len(lengths)} Content-Length headers ({shown})", hint="send exactly one")
    length = lengths[0].strip()
    if not _DIGITS.fullmatch(length):
        raise HttpError(400, f"bad Content-Length {lengths[0]!r}", hint="a number of bytes: digits only")
    size = int(length)
    if size > limit:
        raise HttpError(413, f"the request body has {size} bytes, more than the limit of {limit}")
    return size


def read_body(rfile: io.BufferedIOBase, connection: socket.socket, size: int, timeout: float) -> bytes:
    """Exactly ``size`` bytes, each wait for more at most ``timeout`` seconds."""
    chunks: list[bytes] = []
    got = 0
    previous = connection.gettimeout()
    connection.settimeout(timeout)
    try:
        while got < size:
            try:
                chunk = rfile.read1(min(size - got, 1 << 16))
            except TimeoutError:
                raise HttpError(
                    408,
                    f"the request body stopped arriving: {got} of {size} bytes in {timeout:g} s",
                    hint="send the whole body that Content-Length announces",
                ) from None
            if not chunk:
                raise HttpError(
                    400,
                    f"the request body ended after {got} of the {size} bytes Content-Length announces",
                    hint="send the whole body, or the right Content-Length; the truncated query was not run",
                )
            chunks.append(chunk)
            got += len(chunk)
    finally:
        with contextlib.suppress(OSError):
            connection.settimeout(previous)
    return b"".join(chunks)


def discard_body(headers: Message, rfile: io.BufferedIOBase) -> bool:
    """Read and drop a body left unread by a refusal; False when the connection must be closed instead.

    Closing a socket with unread data makes the kernel reset the connection, and the
    client may then lose the answer. Past :data:`DISCARD_LIMIT`, chunked, or with a
    length that is not one plain number, the connection is closed instead.
    """
    lengths = headers.get_all("Content-Length") or []
    if headers.get("Transfer-Encoding") or len(lengths) > 1:
        return False
    if not lengths:
        return True
    if not _DIGITS.fullmatch(lengths[0].strip()):
        return False
    size = int(lengths[0])
    if size > DISCARD_LIMIT:
        return False
    while size > 0:
        chunk = rfile.read(min(size, 1 << 16))
        if not chunk:
            break
        size -= len(chunk)
    return True
