"""What operators measure (issue 20, item 4), for Prometheus to read at /metrics.

- ``casefile_request_duration_seconds``: each request's time, by Flask endpoint name (``cases.show``, never
  the URL with its case number), method and status class (``2xx`` ... ``5xx``).
- ``casefile_packet_render_seconds``: laying out and writing a packet's PDF (not a packet read back from the
  cache), by variant.
- ``casefile_ocr_seconds``: one Tesseract reading of an image (for search and for redaction suggestions).
- ``casefile_sign_in_failures_total``: refused sign-ins by reason (``wrong_password``, ``unknown_account``,
  ``rate_limited`` ...); never the name tried or the address it came from.
- ``casefile_queue_jobs``: jobs waiting or running, by kind and state, counted in the database at each scrape
  (so every worker and every app server reports the same figure).

No label holds personal data: every label value comes from a fixed set the code defines.

Several worker processes (gunicorn ``-w 4``): set ``PROMETHEUS_MULTIPROC_DIR`` to an empty folder writable by
the app before it starts (prometheus-client reads it when the first metric is made); each process writes its
figures there and a scrape of any worker adds them up. Empty the folder at each start (systemd's
``ExecStartPre``). Without it, each process counts alone, which is right for one process (``flask run``).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from time import perf_counter

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector

log = logging.getLogger(__name__)
REGISTRY = CollectorRegistry()
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})

REQUEST_SECONDS = Histogram(
    "casefile_request_duration_seconds",
    "Time to answer a request, by Flask endpoint, method and status class.",
    ["endpoint", "method", "status"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
    registry=REGISTRY,
)
PACKET_RENDER_SECONDS = Histogram(
    "casefile_packet_render_seconds",
    "Time to lay out and write a packet's PDF (a packet read back from the cache is not counted), by variant.",
    ["variant"],
    buckets=(0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300, 600),
    registry=REGISTRY,
)
OCR_SECONDS = Histogram(
    "casefile_ocr_seconds",
    "Time of one Tesseract reading of an image.",
    buckets=(0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60),
    registry=REGISTRY,
)
SIGN_IN_FAILURES = Counter(
    "casefile_sign_in_failures",
    "Refused sign-in attempts, by reason.",
    ["reason"],
    registry=REGISTRY,
)

QueueDepth = Callable[[], dict[tuple[str, str], int]]  # (kind, state) -> jobs


def observe_request(endpoint: str | None, method: str, status_code: int, seconds: float) -> None:
    """One answered request; an unknown method counts as ``OTHER`` and a URL no route matched as ``unmatched``."""
    REQUEST_SECONDS.labels(
        endpoint=endpoint or "unmatched",
        method=method if method in METHODS else "OTHER",
        status=f"{status_code // 100}xx",
    ).observe(seconds)


def count_sign_in_failure(reason: str) -> None:
    SIGN_IN_FAILURES.labels(reason=reason).inc()


def observe_packet_render(variant: str, seconds: float) -> None:
    PACKET_RENDER_SECONDS.labels(variant=variant).observe(seconds)


@contextmanager
def timing_ocr() -> Iterator[None]:
    """Time the block as one OCR reading, when it ends without an error."""
    started = perf_counter()
    yield
    OCR_SECONDS.observe(perf_counter() - started)


class _QueueJobs:
    """The ``casefile_queue_jobs`` gauge, counted when Prometheus reads it."""

    def __init__(self, depth: QueueDepth) -> None:
        self.depth = depth

    def collect(self) -> Iterable[Metric]:
        """The gauge, or none when the jobs cannot be counted (the database is down: /readyz says so), so the
        other figures still reach Prometheus."""
        try:
            depth = self.depth()
        except Exception as error:
            log.warning("casefile_queue_jobs left out: %s", type(error).__name__)
            return
        gauge = GaugeMetricFamily(
            "casefile_queue_jobs", "Jobs waiting or running, by kind and state.", labels=["kind", "state"]
        )
        for (kind, state), jobs in sorted(depth.items()):
            gauge.add_metric([kind, state], jobs)
        yield gauge


def exposition(queue_depth: QueueDepth) -> tuple[bytes, str]:
    """The metrics in Prometheus's text format, and its content type: this process's figures, or every
    worker's when PROMETHEUS_MULTIPROC_DIR is set, with the queue counted now."""
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        MultiProcessCollector(registry)
    else:
        registry.register(REGISTRY)
    registry.register(_QueueJobs(queue_depth))
    return generate_latest(registry), CONTENT_TYPE_LATEST
