"""Reading a file given by a user, bounded: only regular files, and never more than a limit.

A seed or an RDF file can be a symbolic link to ``/dev/zero`` (endless bytes), a named
pipe (``open`` waits for a writer for ever) or a device. :func:`read_bounded` looks at
what the path is before opening it, opens it without blocking, checks again on the open
file (it could have been swapped meanwhile) and reads at most one byte past the limit,
so that neither memory nor time can run away.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from iadef.errors import IadefError

KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISSOCK, "a socket"),
)
NOT_REGULAR_HINT = "give a plain file: not a device, a named pipe, a socket or a folder (nor a link to one)"


def read_bounded(
    path: Path,
    shown: str,
    max_bytes: int,
    *,
    error: type[IadefError] = IadefError,
    allowed: str = "allowed",
    hint: str | None = None,
) -> bytes:
    """The bytes of the regular file ``path`` (shown as ``shown``), or ``error`` if it is none or too big.

    The size message reads ``file is N bytes, more than the MAX {allowed}``.
    """
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        raise error("file not found", path=shown, hint="create it or fix the path") from None
    except OSError as exc:
        raise error(f"cannot read the file: {exc.strerror}", path=shown) from None
    _require_regular(mode, shown, error)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as exc:
        raise error(f"cannot read the file: {exc.strerror}", path=shown) from None
    try:
        status = os.fstat(fd)
        _require_regular(status.st_mode, shown, error)
        if status.st_size > max_bytes:
            raise _too_big(status.st_size, max_bytes, shown, error, allowed, hint)
        chunks: list[bytes] = []
        size = 0
        while size <= max_bytes:
            chunk = os.read(fd, min(1 << 20, max_bytes + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as exc:
        raise error(f"cannot read the file: {exc.strerror}", path=shown) from None
    finally:
        os.close(fd)
    if size > max_bytes:  # it grew while being read
        raise _too_big(size, max_bytes, shown, error, allowed, hint)
    return b"".join(chunks)


def _require_regular(mode: int, shown: str, error: type[IadefError]) -> None:
    if stat.S_ISREG(mode):
        return
    kind = next((name for test, name in KINDS if test(mode)), "not a regular file")
    raise error(f"not a regular file: it is {kind}", path=shown, hint=NOT_REGULAR_HINT)


def _too_big(
    size: int, max_bytes: int, shown: str, error: type[IadefError], allowed: str, hint: str | None
) -> IadefError:
    return error(f"file is {size} bytes, more than the {max_bytes} {allowed}", path=shown, hint=hint)
