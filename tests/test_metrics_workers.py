"""/metrics under gunicorn with several workers (issue 20, item 4): with PROMETHEUS_MULTIPROC_DIR set, a scrape
of any worker reports every worker's requests, even those of workers that have since been replaced; and with
LOG_FORMAT=json each request writes one JSON access line to the server's log.

The workers are replaced after every 5 requests (``--max-requests``), so 30 requests are served by at least
six processes: a worker counting alone would report at most 5."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.browser.live_server import ROOT, free_port, server_environ
from tests.web.test_operations import sample

REQUESTS = 30


def get(url: str) -> tuple[int, str, str]:
    with urllib.request.urlopen(url, timeout=10) as answer:  # noqa: S310 - a server of the test's own
        return answer.status, answer.headers.get("X-Request-Id", ""), answer.read().decode()


def wait_until_ready(process: subprocess.Popen[bytes], url: str, log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"gunicorn exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        try:
            get(f"{url}/readyz")
            return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    pytest.fail(f"gunicorn did not answer within 30 s:\n{log.read_text()[-3000:]}")


def test_every_worker_counts_into_one_figure_and_each_request_logs_a_json_line(tmp_path: Path):
    instance, multiproc, log = tmp_path / "instance", tmp_path / "prometheus", tmp_path / "server.log"
    instance.mkdir()
    multiproc.mkdir()
    url = f"http://127.0.0.1:{free_port()}"
    env = server_environ(instance) | {"PROMETHEUS_MULTIPROC_DIR": str(multiproc), "LOG_FORMAT": "json"}
    command = [sys.executable, "-m", "gunicorn", "--workers", "2", "--max-requests", "5", "--preload"]
    with log.open("wb") as output:
        process = subprocess.Popen(
            [*command, "--bind", url.removeprefix("http://"), "app:app"], cwd=ROOT, env=env, stderr=output
        )
    try:
        wait_until_ready(process, url, log)
        request_ids = {get(f"{url}/healthz")[1] for _ in range(REQUESTS)}
        status, _, metrics = get(f"{url}/metrics")
    finally:
        process.terminate()
        process.wait(timeout=15)
    assert status == 200
    labels = {"endpoint": "probes.healthz", "method": "GET", "status": "2xx"}
    assert sample(metrics, "casefile_request_duration_seconds_count", **labels) == REQUESTS
    lines = [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]
    access = [line for line in lines if line["logger"] == "casefile.access" and line["endpoint"] == "probes.healthz"]
    assert len(access) == REQUESTS
    assert {line["request_id"] for line in access} == request_ids and len(request_ids) == REQUESTS
    assert not [line for line in lines if "127.0.0.1" in json.dumps(line)]
