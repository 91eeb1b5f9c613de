"""Catalogue audits on a Dask cluster (extra ``[dask]``): the runner's executor, remote.

:class:`DaskExecutor` sends batches of jobs (paths, never image bytes: workers read the
files themselves, so the catalogue must be on storage every worker sees) to a running
scheduler, or to a :class:`~distributed.LocalCluster` of worker processes on this
machine. A worker plugin loads the OCR models once per worker process. Batches keep the
scheduler's task rate low, and only a window of them (:data:`AHEAD` per worker thread) is
in flight, so the client and the scheduler hold a slice of the catalogue, not all of it.
A batch lost with its worker is run again elsewhere (Dask reschedules the tasks of a lost
worker), so no image is lost. With a ``cache`` location the workers share results
(:class:`~imagecheck.cache.SharedCache`, keyed by content): a re-run, or an audit killed
and run again, checks only what no worker finished (the client then reads no image at
all). Results come back in input order, and the not-reached list and the report stay in
the runner: a cluster run writes the same report as a local one. Start the workers of a
cluster of your own without ``MALLOC_TRIM_THRESHOLD_`` (Dask's nanny sets it to 65536 by
default, through ``distributed.nanny.pre-spawn-environ``): it doubles the cost of each
check.
"""

from __future__ import annotations

import functools
import itertools
import os
import sys
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import dask
from distributed import Client, Future, LocalCluster, WorkerPlugin

from imagecheck.analysis.facts import preflight
from imagecheck.analysis.options import AnalysisOptions
from imagecheck.cache import SharedCache
from imagecheck.check import check_job
from imagecheck.config import Settings
from imagecheck.listing import ImageJob
from imagecheck.loading import InputError, read_source
from imagecheck.report.model import ImageResult
from imagecheck.runner import windowed

#: Images per task: a few hundred milliseconds to seconds of work each, so even a large
#: cluster asks the scheduler for at most a few thousand tasks per second.
BATCH = 16
#: Batches in flight per worker thread: enough that no worker waits for its next batch,
#: few enough that the client and scheduler hold a window of the catalogue, not all of it.
AHEAD = 4


class ModelLoader(WorkerPlugin):
    """When a worker process starts: loads the logo files and starts loading the OCR
    backend (one inference thread: a cluster is for throughput), once."""

    name = "imagecheck-models"

    def __init__(self, options: AnalysisOptions) -> None:
        self.options = options

    def setup(self, worker: Any) -> None:
        preflight(self.options, threads=1)


@functools.cache
def _shared_cache(location: str) -> SharedCache:
    """This worker's handle on the shared cache at ``location``."""
    return SharedCache(location)


def check_batch(jobs: Sequence[ImageJob], settings: Settings,
                cache: str | None = None) -> list[ImageResult]:
    """Check one batch on a worker, through the shared cache at ``cache`` if given: the
    worker reads each image once, hashes its bytes for the key and checks those bytes on
    a miss."""
    if cache is None:
        return [check_job(job, settings) for job in jobs]
    store = _shared_cache(cache)
    out = []
    for job in jobs:
        try:
            data = read_source(job.location)
        except InputError:  # the check says why, as it would locally
            out.append(check_job(job, settings))
            continue
        key = store.key(data, settings, job.role)
        result = store.get(key, job)
        if result is None:
            result = check_job(job, settings, data)
            store.put(key, result)
        out.append(result)
    return out


#: Dask's background chores slowed down or off (for a cluster of your own, set them in the
#: workers' and scheduler's Dask configuration): the event-loop tick every 20 ms and the
#: system monitor every 0.5 s (diagnostics), the memory monitor every 0.1 s, the
#: statistical profiler (the dashboard's) and work stealing, which batches of equal size
#: handed out a window at a time do not need. Measured on an idle 2-worker local cluster:
#: 66-73 ms of CPU per second without this, 12 ms with it; over a 1,000-image audit that
#: took 467 s under load 17 the chores cost more than the 24 s of CPU the cluster spent
#: beyond the process pool.
QUIET = {
    "distributed.admin.tick.interval": "1s",
    "distributed.admin.system-monitor.interval": "5s",
    "distributed.worker.memory.monitor-interval": "1s",
    "distributed.worker.profile.enabled": False,
    "distributed.scheduler.work-stealing": False,
}


#: Dask's low-level logs, kept in the client (and in a local cluster's scheduler, which
#: runs in it) while the executor lives: each keeps its last
#: ``distributed.admin.low-level-log-length`` entries (1,000 by default), among them every
#: graph the client sent and every task message, a few KB each. They filled over the first
#: 1,000 batches (16,000 images) and were most of the client's growth from 1,000 to 20,000
#: images (found with ``tracemalloc``); a few entries are kept for debugging.
CLIENT_CONFIG = {"distributed.admin.low-level-log-length": 20}


def local_cluster_config() -> dict[str, Any]:
    """The Dask settings a local cluster runs under (also when a nanny restarts a worker).

    - Dask's nanny sets ``MALLOC_TRIM_THRESHOLD_=65536`` in its workers, which makes glibc
      hand every large image buffer back to the system and fault it in again: measured
      here, it doubles the cost of a check. The other variables are kept.
    - On Linux, worker processes are forked, as the process pool's are, not spawned: they
      start with this process's imports (NumPy, OpenCV, imagecheck) instead of importing
      them again. Measured here: a 2-worker cluster starts in 0.6-1.0 s instead of
      3.4-4.2 s, and closes in 0.1-0.2 s instead of 1.1-1.3 s.
    - :data:`QUIET`: fewer of Dask's background chores; :data:`CLIENT_CONFIG`: short logs.
    """
    environ = {k: v for k, v in dask.config.get("distributed.nanny.pre-spawn-environ",
                                                {}).items()
               if k != "MALLOC_TRIM_THRESHOLD_"}
    config: dict[str, Any] = {"distributed.nanny.pre-spawn-environ": environ, **QUIET,
                              **CLIENT_CONFIG}
    if sys.platform.startswith("linux"):
        config["distributed.worker.multiprocessing-method"] = "fork"
    return config


class DaskExecutor:
    """Runs jobs on the Dask scheduler at ``scheduler`` (``tcp://host:8786``), or, with
    ``scheduler=None``, on a new local cluster of ``workers`` processes (0 = all cores);
    through the shared cache at ``cache`` (a folder every worker reaches, or a URL) if
    given."""

    def __init__(self, scheduler: str | None = None, workers: int = 0,
                 batch: int = BATCH, cache: str | None = None) -> None:
        self.batch = batch
        self.cache = cache
        self._cluster: LocalCluster | None = None
        self._config = dask.config.set(  # until close()
            local_cluster_config() if scheduler is None else CLIENT_CONFIG)
        if scheduler is None:
            self._cluster = LocalCluster(n_workers=workers or os.cpu_count() or 1,
                                         threads_per_worker=1, processes=True,
                                         dashboard_address=None)
            self.client = Client(self._cluster)
        else:
            self.client = Client(scheduler)

    def map(self, jobs: Iterable[ImageJob], settings: Settings) -> Iterator[ImageResult]:
        source = iter(jobs)
        if (first := next(source, None)) is None:
            return
        self.client.register_plugin(ModelLoader(settings.analysis))
        [shared] = self.client.scatter([settings], broadcast=True)
        threads = sum(w["nthreads"] for w in self.client.scheduler_info()["workers"].values())

        def submit(batch: list[ImageJob]) -> Future[list[ImageResult]]:
            return self.client.submit(check_batch, batch, shared, self.cache, pure=False,
                                      retries=2)

        yield from windowed(submit, itertools.chain([first], source), self.batch,
                            AHEAD * max(1, threads), self.client.cancel)

    def close(self) -> None:
        """Disconnect (and stop the local cluster, if this executor started one)."""
        self.client.close()
        if self._cluster is not None:
            self._cluster.close()
        self._config.__exit__(None, None, None)

    def __enter__(self) -> DaskExecutor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
