"""A throw-away OpenLink Virtuoso server for the tests, started and always stopped by the test session.

``running_virtuoso()`` writes a ``virtuoso.ini`` in a temporary folder (database files,
log, two free ports bound to 127.0.0.1 only: the SQL ``ServerPort`` and the HTTP
``ServerPort``, written ``127.0.0.1:PORT``), starts ``virtuoso-t +foreground``, waits until
``/sparql`` answers, and on exit stops the server and deletes the folder, also when a test
fails. A fresh database has the user ``dba`` (password ``dba``), who may update through
the Digest-authenticated ``/sparql-auth`` endpoint, as a real deployment does; nothing
needs granting.

Without ``virtuoso-t`` the tests are skipped, unless ``IADEF_REQUIRE_TOOLS`` names
``virtuoso`` (scripts/test.sh sets it), then they fail: CI must not pass by skipping.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

BINARY = "virtuoso-t"
START_TIMEOUT_S = 90.0
STOP_TIMEOUT_S = 30.0
USER, PASSWORD = "dba", "dba"  # the fresh database's administrator

INI = """\
[Database]
DatabaseFile       = {dir}/virtuoso.db
ErrorLogFile       = {dir}/virtuoso.log
LockFile           = {dir}/virtuoso.lck
TransactionFile    = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
ErrorLogLevel      = 7
FileExtend         = 200
MaxCheckpointRemap = 2000
Striping           = 0
TempStorage        = TempDatabase

[TempDatabase]
DatabaseFile       = {dir}/virtuoso-temp.db
TransactionFile    = {dir}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping           = 0

[Parameters]
ServerPort         = 127.0.0.1:{sql_port}
DisableUnixSocket  = 1
DisableTcpSocket   = 0
CheckpointInterval = 60
CaseMode           = 2
DirsAllowed        = .
NumberOfBuffers    = 10000
MaxDirtyBuffers    = 6000
MaxClientConnections = 10

[HTTPServer]
ServerPort           = 127.0.0.1:{http_port}
ServerRoot           = {dir}/vsp
MaxClientConnections = 10
ServerThreads        = 10
Charset              = UTF-8

[SPARQL]
ResultSetMaxRows           = 1000000
MaxQueryExecutionTime      = 120
MaxQueryCostEstimationTime = 400
"""


@dataclass(frozen=True)
class Virtuoso:
    """A running server."""

    folder: Path
    http_port: int
    sql_port: int

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    @property
    def sparql(self) -> str:
        """The anonymous, read-only endpoint."""
        return f"{self.base}/sparql"

    @property
    def sparql_auth(self) -> str:
        """The Digest-authenticated endpoint, where ``dba`` may update."""
        return f"{self.base}/sparql-auth"

    def log_tail(self, lines: int = 30) -> str:
        text = ""
        for name in ("virtuoso.log", "stdout.log"):
            path = self.folder / name
            if path.is_file():
                text += f"--- {name}\n" + "\n".join(path.read_text(errors="replace").splitlines()[-lines:]) + "\n"
        return text


def required() -> bool:
    """Whether a missing Virtuoso must fail the tests rather than skip them."""
    return "virtuoso" in os.environ.get("IADEF_REQUIRE_TOOLS", "").split(",")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def running_virtuoso() -> Iterator[Virtuoso]:
    """Start a private Virtuoso; skip (or fail, see :func:`required`) when it is not installed."""
    binary = shutil.which(BINARY)
    if binary is None:
        reason = f"{BINARY} not found: install the Debian package virtuoso-opensource (scripts/test.sh does)"
        if required():
            pytest.fail(f"{reason}; IADEF_REQUIRE_TOOLS asks for virtuoso")
        pytest.skip(reason)
    folder = Path(tempfile.mkdtemp(prefix="iadef-virtuoso-"))
    server = Virtuoso(folder, http_port=_free_port(), sql_port=_free_port())
    (folder / "vsp").mkdir()
    (folder / "virtuoso.ini").write_text(
        INI.format(dir=folder, sql_port=server.sql_port, http_port=server.http_port), encoding="utf-8"
    )
    with (folder / "stdout.log").open("wb") as log:
        process = subprocess.Popen(
            [binary, "+foreground", "+configfile", str(folder / "virtuoso.ini")],
            cwd=folder,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_until_ready(server, process)
        yield server
    finally:
        _stop(process)
        shutil.rmtree(folder, ignore_errors=True)


def _wait_until_ready(server: Virtuoso, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    probe = f"{server.sparql}?query=ASK%7B%7D"
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"virtuoso-t exited with code {process.returncode}\n{server.log_tail()}")
        try:
            with urllib.request.urlopen(probe, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.25)
    raise RuntimeError(f"Virtuoso did not answer on {server.sparql} within {START_TIMEOUT_S:g} s\n{server.log_tail()}")


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    process.terminate()  # Virtuoso checkpoints and exits on SIGTERM
    try:
        process.wait(STOP_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
