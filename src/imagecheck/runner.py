"""Running many images: in this process, in worker processes or on a cluster, in input order.

The one seam is an :class:`Executor`: it maps jobs to their results in input order,
taking jobs as it has room for them (:func:`windowed`), so a catalogue walked as the run
goes is never listed whole. :class:`LocalExecutor` (this process, or a process pool) is
the default; a Dask cluster plugs in as :class:`imagecheck.distributed.DaskExecutor`.
Caching, ordering, the not-reached list and reporting stay here, so a cluster run and a
local run write the same report."""

from __future__ import annotations

import ctypes
import itertools
import os
import signal
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Protocol

from imagecheck.analysis.ocr import inference_threads, start_backend
from imagecheck.check import check_job
from imagecheck.config import Settings
from imagecheck.i18n import msg
from imagecheck.listing import ImageJob
from imagecheck.report.model import ImageResult
from imagecheck.rules.registry import get_rule

if TYPE_CHECKING:
    from imagecheck.cache import ResultCache

#: Below this many images a worker pool costs more than it saves.
MIN_PARALLEL = 4
#: Most images handed to a worker at once: small, so Ctrl-C waits for little work.
CHUNK = 4
#: Batches in flight per worker process: enough that none waits for its next batch.
AHEAD = 4
#: Most cached results held, in input order, behind images still being checked.
HOLD = 1024

#: What is done to each job: check it (the default), or e.g. fix it (imagecheck.fix).
Task = Callable[[ImageJob, Settings], ImageResult]

_worker_settings: Settings | None = None
_worker_task: Task | None = None


def _init_worker(settings: Settings, task: Task | None = None, threads: int = 1) -> None:
    """Keep ``settings`` for this worker and start loading its OCR models with ``threads``
    inference threads; Ctrl-C is left to the parent, which stops the workers and lists
    what was not reached. On Linux the worker is killed when its parent dies, even by
    SIGKILL, so no worker outlives an audit."""
    global _worker_settings, _worker_task
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass
    _worker_settings = settings
    _worker_task = task
    start_backend(settings.analysis.ocr, threads)


def _work(jobs: list[ImageJob]) -> list[ImageResult]:
    assert _worker_settings is not None
    return [(_worker_task or check_job)(job, _worker_settings) for job in jobs]


def worker_count(requested: int, n_images: int) -> int:
    """Processes to use: ``requested`` (0 = all cores, 1 for small batches)."""
    if requested > 0:
        return min(requested, max(1, n_images))
    if n_images < MIN_PARALLEL:
        return 1
    return min(os.cpu_count() or 1, n_images)


class Pending(Protocol):
    """A batch handed to workers (a future of :mod:`concurrent.futures` or Dask's)."""

    def result(self) -> list[ImageResult]:
        """The batch's results, in its order, once done."""
        ...


def windowed(submit: Callable[[list[ImageJob]], Pending], jobs: Iterable[ImageJob],
             batch: int, ahead: int,
             cancel: Callable[[list[Pending]], object]) -> Iterator[ImageResult]:
    """The results of ``jobs`` in input order, ``submit`` ted ``batch`` jobs at a time with
    at most ``ahead`` batches in flight: jobs are taken from ``jobs`` only as there is room
    for them, so a catalogue of any size is run holding a window of it. On an error or
    Ctrl-C the batches in flight are ``cancel`` led."""
    source = iter(jobs)
    window: deque[Pending] = deque()
    try:
        while chunk := list(itertools.islice(source, batch)):
            window.append(submit(chunk))
            if len(window) >= ahead:
                yield from window.popleft().result()
        while window:
            yield from window.popleft().result()
    except BaseException:
        cancel(list(window))
        raise


class Executor(Protocol):
    """Maps jobs to their results, in input order."""

    def map(self, jobs: Iterable[ImageJob], settings: Settings) -> Iterator[ImageResult]:
        """Results of ``jobs`` in input order, taking jobs only as there is room for them
        (a bounded window in flight); stop early on Ctrl-C (KeyboardInterrupt)."""
        ...


class LocalExecutor:
    """This process, or a pool of ``workers`` processes (0 = all cores), doing ``task``
    (a picklable callable; default :func:`check_job`) to each job."""

    def __init__(self, workers: int = 0, task: Task | None = None) -> None:
        self.workers = workers
        self.task = task

    def map(self, jobs: Iterable[ImageJob], settings: Settings) -> Iterator[ImageResult]:
        return _compute(jobs, settings, self.workers, self.task)


def run_jobs(
    jobs: Iterable[ImageJob],
    settings: Settings,
    workers: int = 0,
    on_result: Callable[[ImageResult], None] | None = None,
    cache: ResultCache | None = None,
    executor: Executor | None = None,
) -> tuple[list[ImageResult], bool]:
    """Check ``jobs`` and return their results in input order, and whether the run was
    interrupted (Ctrl-C); see :func:`stream_jobs`. ``on_result`` is called with each
    result as it is known (progress)."""
    results: list[ImageResult] = []

    def keep(result: ImageResult) -> None:
        results.append(result)
        if on_result:
            on_result(result)

    interrupted = stream_jobs(jobs, settings, keep, workers, cache, executor)
    return results, interrupted


def stream_jobs(
    jobs: Iterable[ImageJob],
    settings: Settings,
    sink: Callable[[ImageResult], None],
    workers: int = 0,
    cache: ResultCache | None = None,
    executor: Executor | None = None,
) -> bool:
    """Check ``jobs``, handing each result to ``sink`` in input order and keeping none,
    and return whether the run was interrupted (Ctrl-C): the jobs not reached are then
    handed over as not checked (IN006), so every input has its result. ``jobs`` is taken
    as the work goes (a walk of the catalogue need not be listed first); after Ctrl-C it
    is iterated again from its start for the jobs not reached, unless it is an iterator.

    With a ``cache``, results stored under the same file content and settings are reused
    and new ones are stored (by this process only: workers never write it); a cached
    result waits, in input order, behind images still being checked, at most
    :data:`HOLD` of them before the runner waits for those images.
    ``executor`` runs the jobs (default: :class:`LocalExecutor` with ``workers``).
    """
    executor = executor or LocalExecutor(workers)
    source = iter(jobs)
    held: deque[tuple[ImageJob, str | None, bool]] = deque()  # (job, key, being checked)
    hits_held = 0
    taken = 0
    ended = False

    def cached(job: ImageJob, key: str | None) -> ImageResult:
        assert cache is not None and key is not None  # checked here should its entry go
        return cache.get(key, job) or check_job(job, settings)

    def to_check() -> Iterator[ImageJob]:
        """The jobs not in the cache; the others go to ``sink`` or wait in ``held``."""
        nonlocal hits_held, taken, ended
        for job in source:
            key = cache.key(job, settings) if cache is not None else None
            if key is None or not cache.has(key):  # type: ignore[union-attr]
                held.append((job, key, True))
                taken += 1
                yield job
            elif held:
                held.append((job, key, False))
                hits_held += 1
                taken += 1
                if hits_held > HOLD:  # end this run of the executor; the next goes on
                    return
            else:
                sink(cached(job, key))
                taken += 1
        ended = True

    computed: Iterator[ImageResult] = iter(())
    try:
        while not ended:
            computed = executor.map(to_check(), settings)
            for result in computed:
                while not held[0][2]:
                    job, key, _ = held.popleft()
                    hits_held -= 1
                    sink(cached(job, key))
                job, key, _ = held.popleft()
                if cache is not None and key is not None:
                    cache.put(key, result)
                sink(result)
            while held:
                job, key, _ = held.popleft()
                hits_held -= 1
                sink(cached(job, key))
    except KeyboardInterrupt:
        getattr(computed, "close", lambda: None)()  # stop the workers now
    else:
        return False
    missed = get_rule("IN006")
    findings = tuple(missed.findings(msg("the run was interrupted"), {}))
    rest = iter(jobs)
    rest = source if rest is source else itertools.islice(rest, taken, None)
    for job in itertools.chain((job for job, _, _ in held), rest):
        sink(ImageResult(job.location, job.listing_location, job.role, job.role_source,
                         None, None, findings))
    return True


def _compute(jobs: Iterable[ImageJob], settings: Settings, workers: int,
             task: Task | None = None) -> Iterator[ImageResult]:
    """Results of ``task`` (default :func:`check_job`) on ``jobs`` in input order, from
    this process or a pool of workers (their number and batch size decided on the first
    jobs). The processes checking share the usable cores' inference threads
    (:func:`~imagecheck.analysis.ocr.inference_threads`; ``settings.threads`` overrides):
    one process alone uses them all, and loads its OCR models in the background while
    the first image is decoded and analysed."""
    source = iter(jobs)
    most = max(workers, os.cpu_count() or 1, MIN_PARALLEL)
    first = list(itertools.islice(source, most * 8 * CHUNK))
    if not first:
        return
    n = worker_count(workers, len(first))
    threads = inference_threads(n, settings.threads)
    work = itertools.chain(first, source)
    if n == 1:
        start_backend(settings.analysis.ocr, threads)
        for job in work:
            yield (task or check_job)(job, settings)
        return
    from concurrent.futures import ProcessPoolExecutor  # a pool only for several workers

    chunk = max(1, min(CHUNK, len(first) // (n * 8)))
    del first
    with ProcessPoolExecutor(n, initializer=_init_worker,
                             initargs=(settings, task, threads)) as pool:

        def stop(pending: list[Pending]) -> None:  # Ctrl-C (once is enough): stop now
            for process in list((getattr(pool, "_processes", None) or {}).values()):
                process.terminate()
            pool.shutdown(wait=False, cancel_futures=True)

        yield from windowed(lambda batch: pool.submit(_work, batch), work, chunk,
                            AHEAD * n, stop)
