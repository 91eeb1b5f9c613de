"""Catalogue audits on a Dask cluster (extra ``[dask]``): the runner's executor, remote.

:class:`DaskExecutor` sends batches of jobs (paths, never image bytes: workers read the
files themselves, so the catalogue must be on storage every worker sees) to a running
scheduler, or to a :class:`~distributed.LocalCluster` of worker processes on this
machine. A worker plugin loads the OCR models once per worker process. Batches keep the
scheduler's task rate low; a batch lost with its worker is run again elsewhere (Dask
reschedules the tasks of a lost worker), so no image is lost. Results come back in input
order, and caching, the not-reached list and the report stay in the runner: a cluster run
writes the same report as a local one. Start the workers of a cluster of your own without
``MALLOC_TRIM_THRESHOLD_`` (Dask's nanny sets it to 65536 by default, through
``distributed.nanny.pre-spawn-environ``): it doubles the cost of each check.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from typing import Any

import dask
from distributed import Client, LocalCluster, WorkerPlugin

from imagecheck.analysis.facts import AnalysisOptions
from imagecheck.check import check_job
from imagecheck.config import Settings
from imagecheck.listing import ImageJob
from imagecheck.report.model import ImageResult

#: Images per task: a few hundred milliseconds to seconds of work each, so even a large
#: cluster asks the scheduler for at most a few thousand tasks per second.
BATCH = 16


class ModelLoader(WorkerPlugin):
    """Loads the OCR backend and logo files once, when a worker process starts."""

    name = "imagecheck-models"

    def __init__(self, options: AnalysisOptions) -> None:
        self.options = options

    def setup(self, worker: Any) -> None:
        from imagecheck.analysis.logos import preflight

        preflight(self.options)


def check_batch(jobs: Sequence[ImageJob], settings: Settings) -> list[ImageResult]:
    """Check one batch on a worker."""
    return [check_job(job, settings) for job in jobs]


class DaskExecutor:
    """Runs jobs on the Dask scheduler at ``scheduler`` (``tcp://host:8786``), or, with
    ``scheduler=None``, on a new local cluster of ``workers`` processes (0 = all cores)."""

    def __init__(self, scheduler: str | None = None, workers: int = 0,
                 batch: int = BATCH) -> None:
        self.batch = batch
        self._cluster: LocalCluster | None = None
        if scheduler is None:
            # Dask's nanny sets MALLOC_TRIM_THRESHOLD_=65536 in its workers, which makes
            # glibc hand every large image buffer back to the system and fault it in again:
            # measured here, it doubles the cost of a check. Keep the other settings.
            environ = {k: v for k, v in dask.config.get("distributed.nanny.pre-spawn-environ",
                                                        {}).items()
                       if k != "MALLOC_TRIM_THRESHOLD_"}
            with dask.config.set({"distributed.nanny.pre-spawn-environ": environ}):
                self._cluster = LocalCluster(n_workers=workers or os.cpu_count() or 1,
                                             threads_per_worker=1, processes=True,
                                             dashboard_address=None)
            self.client = Client(self._cluster)
        else:
            self.client = Client(scheduler)

    def map(self, jobs: Sequence[ImageJob], settings: Settings) -> Iterator[ImageResult]:
        if not jobs:
            return
        self.client.register_plugin(ModelLoader(settings.analysis))
        [shared] = self.client.scatter([settings], broadcast=True)
        batches = [list(jobs[i:i + self.batch]) for i in range(0, len(jobs), self.batch)]
        futures = self.client.map(check_batch, batches, settings=shared, pure=False,
                                  retries=2)
        try:
            for future in futures:
                yield from future.result()
        except BaseException:  # Ctrl-C or a failed batch: stop what is still queued
            self.client.cancel(futures)
            raise

    def close(self) -> None:
        """Disconnect (and stop the local cluster, if this executor started one)."""
        self.client.close()
        if self._cluster is not None:
            self._cluster.close()

    def __enter__(self) -> DaskExecutor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
