"""The query workers of ``iadef serve``: a few processes, each holding the store.

Why processes: neither pyoxigraph nor rdflib can stop a query that is running, and a
Python thread cannot be stopped at all. A query runs in a worker process; past the time
limit the server kills that process, answers 503 and starts a replacement, so the work
really stops and the other workers go on serving.

Why ``spawn``: the HTTP server answers requests in threads, and forking a process that
has threads can deadlock the child (a lock held by another thread at fork time stays
locked). A spawned worker is a fresh interpreter that imports iadef and opens the store
itself (:func:`iadef.stores.opening.open_store`; about a second for the seed graph), the same on
Linux, macOS and Windows. Each worker holds its own copy of an in-memory store; a disk
store (``oxigraph:DIR``) is loaded once by the server before the workers start and is
then opened read-only by each of them.

A new build is served without a restart (:meth:`WorkerPool.reload`, called by the
server when ``graph/iadef.nq`` or the ontology changes). Workers belong to a generation:
for an in-memory store a new generation loads the new build while the old one keeps
answering, then takes over; an old worker is stopped when it comes back from its query.
A disk store cannot be loaded while workers read it, so its reload is exclusive: the old
workers are retired (running queries end first), the folder is loaded, new workers open
it; requests wait for them meanwhile. A build that fails to load leaves an in-memory
store serving the previous build. The server checks a disk store's new files parse
before it reloads; if the load fails all the same (a full disk…), requests get a 503
with the reason.

Workers do not outlive the server: :meth:`WorkerPool.close` stops them (the CLI calls
it on Ctrl-C and SIGTERM), they are daemon processes, and one whose server died sees
its pipe close and exits. They ignore SIGINT, which a terminal sends to the whole
process group, so that Ctrl-C stops the server cleanly rather than each worker.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import queue
import signal
import threading
import time
from collections.abc import Callable
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import TYPE_CHECKING

from iadef.errors import IadefError, StoreError
from iadef.serve.protocol import HttpError, Job, Response, error_response

if TYPE_CHECKING:
    from iadef.paths import Project
    from iadef.stores.setting import StoreSpec

START_TIMEOUT = 300.0  # seconds a worker may take to open the store (rdflib parses the whole graph)
STOP_GRACE = 2.0
STALE_WAIT = 300.0  # seconds an exclusive reload waits for running queries before it stops them


def _worker_main(project: Project, spec: StoreSpec, conn: Connection) -> None:
    """A worker's life: open the store, then answer jobs until told to stop or the pipe closes."""
    from iadef.serve.answering import answer_query
    from iadef.stores.opening import open_store

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        engine = open_store(project, spec)
    except IadefError as exc:
        conn.send(("failed", str(exc)))
        return
    except Exception as exc:  # a bug or a library failure: say it, rather than die with a traceback
        conn.send(("failed", f"{type(exc).__name__}: {exc}"))
        return
    conn.send(("ready", None))
    try:
        while True:
            job = conn.recv()
            if job is None:
                break
            try:
                response = answer_query(engine, job)
            except Exception as exc:  # a bug or an engine failure: answer 500, keep the worker
                response = error_response(HttpError(500, f"internal error: {type(exc).__name__}: {exc}"))
            conn.send(response)
    except (EOFError, OSError):  # the server went away
        pass
    finally:
        engine.close()


class _Worker:
    def __init__(self, process: BaseProcess, conn: Connection, generation: int) -> None:
        self.process = process
        self.conn = conn
        self.generation = generation  # which load of the store it holds


class WorkerPool:
    """``size`` worker processes over the store ``spec`` of ``project``."""

    def __init__(self, project: Project, spec: StoreSpec, size: int, *, log: Callable[[str], None]) -> None:
        if size < 1:
            raise StoreError(f"--workers must be at least 1, not {size}")
        self.project = project
        self.spec = spec
        self.size = size
        self.log = log
        self.replaced = 0  # workers killed past the time limit, or lost, and replaced
        self.generation = 0  # bumped by each reload; older workers are retired
        self._context = multiprocessing.get_context("spawn")
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._workers: set[_Worker] = set()
        self._lock = threading.Lock()
        self._reloading = threading.Lock()
        self._failure: str | None = None  # why an exclusive reload left no worker
        self._closed = False

    def start(self) -> None:
        """Start every worker and wait until each has opened the store."""
        starting = [self._spawn(self.generation) for _ in range(self.size)]
        try:
            for worker in starting:
                self._await_ready(worker)
                self._idle.put(worker)
        except BaseException:
            self.close()
            raise

    def reload(self, prepare: Callable[[], object] | None = None) -> None:
        """Serve the store as it is now, with a new generation of workers.

        Without ``prepare`` the new workers start while the old ones answer, and take over
        once all are ready; if one fails, the old ones stay and :class:`StoreError` is
        raised. With ``prepare`` (a disk store to load again) the reload is exclusive: the
        old workers are retired first, then ``prepare()`` runs, then the new ones start;
        a failure is raised and also answered (503) to requests until a reload succeeds.
        """
        with self._reloading:
            if prepare is None:
                generation = self.generation + 1
                self._start_generation(generation, exclusive=False)
                return
            with self._lock:
                self.generation += 1
                generation = self.generation
            self._retire_idle()
            self._await_retired(generation)
            try:
                prepare()
                self._start_generation(generation, exclusive=True)
            except IadefError as exc:
                self._failure = "the new build could not be served: " + str(exc).split("\n")[0]
                raise
            self._failure = None

    @property
    def failure(self) -> str | None:
        """Why no worker is left after a failed exclusive reload (None: workers are serving)."""
        return self._failure

    def pids(self) -> list[int]:
        """Process ids of the live workers."""
        with self._lock:
            return sorted(w.process.pid for w in self._workers if w.process.pid is not None and w.process.is_alive())

    def run(self, job: Job, *, timeout: float | None, wait: float | None) -> Response:
        """The worker's answer to ``job``; 503 past ``timeout`` s of work or ``wait`` s queued for a worker."""
        worker = self._take(wait)
        if isinstance(worker, Response):
            return worker
        if self._closed:
            return error_response(HttpError(503, "the server is stopping"))
        try:
            worker.conn.send(job)
            if not worker.conn.poll(timeout if timeout and timeout > 0 else None):
                self._replace(worker)
                return error_response(
                    HttpError(
                        503,
                        f"the query exceeded the time limit of {timeout:g} s and was stopped",
                        hint="narrow the query (fewer unconstrained patterns, a LIMIT), or raise --timeout",
                    )
                )
            response: Response = worker.conn.recv()
        except (EOFError, OSError):
            self._replace(worker)
            return error_response(HttpError(500, "the query worker ended without an answer (out of memory?)"))
        self._release(worker)
        return response

    def close(self) -> None:
        """Stop every worker: idle ones are asked to exit, busy or slow ones are killed."""
        with self._lock:
            self._closed = True
            workers = list(self._workers)
            self._workers.clear()
        idle: list[_Worker] = []
        while True:
            try:
                idle.append(self._idle.get_nowait())
            except queue.Empty:
                break
        for worker in idle:
            with contextlib.suppress(OSError):
                worker.conn.send(None)
        for worker in workers:
            if worker in idle:
                worker.process.join(STOP_GRACE)
            if worker.process.is_alive():
                worker.process.kill()
            worker.process.join()
            worker.conn.close()

    # ------------------------------------------------------------ internals

    def _take(self, wait: float | None) -> _Worker | Response:
        """An idle worker of the current generation (older ones met on the way are retired), or a 503."""
        deadline = None if wait is None else time.monotonic() + wait
        while True:
            if self._failure is not None and not self._reloading.locked():
                return error_response(
                    HttpError(503, self._failure, hint="fix the build (iadef build), then the server reloads it")
                )
            remaining = None if deadline is None else max(0.0, deadline - time.monotonic())
            try:
                worker = self._idle.get(timeout=remaining)
            except queue.Empty:
                return error_response(
                    HttpError(
                        503,
                        f"every query worker stayed busy for {wait:g} s",
                        hint="try again shortly, or start the server with more --workers",
                        headers=(("Retry-After", "5"),),
                    )
                )
            if worker.generation == self.generation:
                return worker
            self._stop(worker)

    def _release(self, worker: _Worker) -> None:
        """Back to the idle queue after a query, or stopped if a reload made it stale."""
        if worker.generation == self.generation:
            self._idle.put(worker)
            if worker.generation == self.generation:
                return
            self._retire_idle()  # a reload finished meanwhile
        else:
            self._stop(worker)

    def _retire_idle(self) -> None:
        """Stop the idle workers of older generations."""
        keep: list[_Worker] = []
        while True:
            try:
                worker = self._idle.get_nowait()
            except queue.Empty:
                break
            if worker.generation == self.generation:
                keep.append(worker)
            else:
                self._stop(worker)
        for worker in keep:
            self._idle.put(worker)

    def _await_retired(self, generation: int) -> None:
        """Wait until no worker older than ``generation`` is alive (busy ones end their query first)."""
        deadline = time.monotonic() + STALE_WAIT
        while True:
            with self._lock:
                stale = [w for w in self._workers if w.generation < generation]
            if not stale:
                return
            if time.monotonic() > deadline:
                for worker in stale:
                    self._stop(worker)
                return
            time.sleep(0.02)

    def _start_generation(self, generation: int, *, exclusive: bool) -> None:
        """Start ``size`` workers of ``generation``; once all are ready they become the current ones."""
        starting = [self._spawn(generation) for _ in range(self.size)]
        try:
            for worker in starting:
                self._await_ready(worker)
        except BaseException:
            for worker in starting:
                self._stop(worker)
            raise
        if not exclusive:
            with self._lock:
                self.generation = generation
        for worker in starting:
            self._idle.put(worker)
        self._retire_idle()

    def _spawn(self, generation: int) -> _Worker:
        parent_end, child_end = self._context.Pipe()
        process = self._context.Process(
            target=_worker_main, args=(self.project, self.spec, child_end), name="iadef-query-worker", daemon=True
        )
        worker = _Worker(process, parent_end, generation)
        with self._lock:
            if self._closed:
                raise StoreError("the server is stopping")
            process.start()
            self._workers.add(worker)
        child_end.close()
        return worker

    def _await_ready(self, worker: _Worker) -> None:
        try:
            if not worker.conn.poll(START_TIMEOUT):
                raise StoreError(f"a query worker did not open the store within {START_TIMEOUT:g} s")
            status, message = worker.conn.recv()
        except (EOFError, OSError):
            raise StoreError(
                f"a query worker ended while opening the store (exit code {worker.process.exitcode})"
            ) from None
        if status != "ready":
            raise StoreError(f"a query worker could not open the store: {message}")

    def _stop(self, worker: _Worker) -> None:
        with self._lock:
            self._workers.discard(worker)
        if worker.process.is_alive():
            worker.process.kill()
        worker.process.join()
        worker.conn.close()

    def _replace(self, worker: _Worker) -> None:
        """Kill ``worker`` and start a replacement in the background (none for a stale one: a reload replaces it)."""
        self._stop(worker)
        if self._closed or worker.generation != self.generation:
            return
        self.replaced += 1
        threading.Thread(
            target=self._start_replacement, args=(worker.generation,), name="iadef-worker-restart", daemon=True
        ).start()

    def _start_replacement(self, generation: int) -> None:
        try:
            worker = self._spawn(generation)
        except StoreError:
            return  # closing
        try:
            self._await_ready(worker)
        except StoreError as exc:
            self._stop(worker)
            if not self._closed:
                self.log(f"iadef serve: a replacement worker failed: {exc}")
            return
        if self._closed:
            self._stop(worker)
        else:
            self._release(worker)
