"""Operations (issue 20, item 4): /metrics for Prometheus, open only to the configured addresses, and the
structured JSON log, each line with its request id and user id and no personal data."""

from __future__ import annotations

import io
import json
import logging
import re
import secrets
from collections.abc import Iterator

import pytest
from flask import g

from project import clock, logs
from project.extensions import db
from project.models import PacketJob, SuggestionRun
from tests.factories import PASSWORD
from tests.statements import counted

OUTSIDE = {"REMOTE_ADDR": "203.0.113.9"}


def sample(metrics: str, name: str, **labels: str) -> float:
    """The value of one sample of the exposition text (0 when it is not there yet)."""
    wanted = ",".join(f'{key}="{value}"' for key, value in sorted(labels.items()))
    for line in metrics.splitlines():
        found = re.fullmatch(rf"{name}\{{(.*)\}} (\S+)", line)
        if found and ",".join(sorted(found.group(1).split(","))) == wanted:
            return float(found.group(2))
    return 0.0


def scrape(client) -> str:
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    return response.get_data(as_text=True)


def test_metrics_count_each_request_by_endpoint_method_and_status_class_never_by_url(client):
    latency = "casefile_request_duration_seconds_count"
    before = scrape(client)
    assert client.get("/healthz").status_code == 200
    assert client.get("/cases/ZZ-987654").status_code == 302  # signed out: sent to sign in
    after = scrape(client)
    for endpoint, status in (("probes.healthz", "2xx"), ("cases.show", "3xx")):
        labels = {"endpoint": endpoint, "method": "GET", "status": status}
        assert sample(after, latency, **labels) == sample(before, latency, **labels) + 1
    assert "ZZ-987654" not in after and "/cases" not in after


def test_metrics_count_a_failed_sign_in_by_its_reason_without_the_name_tried(client, sign_in):
    failures = "casefile_sign_in_failures_total"
    before = sample(scrape(client), failures, reason="unknown_account")
    response = sign_in(client, "nobody-here@doc.example.gov", "not the password")
    assert "Sign-in failed" in response.get_data(as_text=True)
    after = scrape(client)
    assert sample(after, failures, reason="unknown_account") == before + 1
    assert "nobody-here" not in after


def test_metrics_show_the_packet_jobs_and_suggestion_runs_waiting_and_running(client, world):
    case = world.intake()
    exhibit = world.add_screenshot(case)
    for status in ("queued", "queued", "rendering", "done"):
        job = PacketJob(id=secrets.token_hex(16), case_id=case.id, requested_by_id=world.labor.id)
        job.variant, job.status, job.message, job.created_at = "full", status, "", clock.now()
        db.session.add(job)
    for status in ("queued", "running", "running", "running", "failed"):
        run = SuggestionRun(id=secrets.token_hex(16), exhibit_id=exhibit.id, requested_by_id=world.supervisor.id)
        run.status, run.created_at = status, clock.now()
        db.session.add(run)
    db.session.flush()
    metrics = scrape(client)
    assert sample(metrics, "casefile_queue_jobs", kind="packet", state="queued") == 2
    assert sample(metrics, "casefile_queue_jobs", kind="packet", state="rendering") == 1
    assert sample(metrics, "casefile_queue_jobs", kind="suggestions", state="queued") == 1
    assert sample(metrics, "casefile_queue_jobs", kind="suggestions", state="running") == 3


def test_metrics_are_not_found_from_an_address_not_configured(app, client):
    response = client.get("/metrics", environ_base=OUTSIDE)
    assert response.status_code == 404
    assert "casefile_" not in response.get_data(as_text=True)


def test_metrics_open_to_a_configured_network(app, client):
    app.config["METRICS_ALLOWED_ADDRESSES"] = ("127.0.0.1", "203.0.113.0/24")
    assert client.get("/metrics", environ_base=OUTSIDE).status_code == 200


@pytest.fixture()
def json_log() -> Iterator[io.StringIO]:
    """What the JSON log handler writes while the test runs, as production writes it (``logs.json_handler``)."""
    stream = io.StringIO()
    handler = logs.json_handler(stream)
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield stream
    finally:
        root.removeHandler(handler)


def log_lines(stream: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_each_request_logs_one_json_line_with_its_request_id_and_user_id_and_no_personal_data(
    client, users, sign_in, json_log
):
    user = users.make("investigator", name="Quentin Zyx")
    sign_in(client, user.email, PASSWORD)
    response = client.get("/")
    assert response.status_code == 200
    access = [line for line in log_lines(json_log) if line.get("endpoint") == "main.home"]
    assert len(access) == 1
    line = access[0]
    assert line["request_id"] == response.headers["X-Request-Id"]
    assert line["user_id"] == user.id
    assert (line["method"], line["status"], line["level"], line["logger"]) == ("GET", 200, "INFO", "casefile.access")
    assert isinstance(line["duration_ms"], float) and line["timestamp"] and line["message"]
    written = json_log.getvalue()
    for personal in (user.email, user.email.split("@")[0], "Quentin", "Zyx", "127.0.0.1"):
        assert personal not in written


def test_a_line_logged_by_a_view_carries_its_request_id(client, json_log):
    response = client.get("/readyz", headers={"X-Request-Id": "lb-7f3a9c"})
    assert response.headers["X-Request-Id"] == "lb-7f3a9c"
    assert {line["request_id"] for line in log_lines(json_log)} == {"lb-7f3a9c"}
    assert {line["user_id"] for line in log_lines(json_log)} == {None}


@pytest.mark.parametrize("offered", ["a b", "x" * 200, "<script>", ""])
def test_an_unsafe_request_id_is_replaced_by_a_new_one(client, offered):
    response = client.get("/healthz", headers={"X-Request-Id": offered})
    assert re.fullmatch(r"[0-9a-f]{32}", response.headers["X-Request-Id"])


def test_each_request_without_an_id_gets_a_new_one(client):
    first, second = (client.get("/healthz").headers["X-Request-Id"] for _ in range(2))
    assert first != second


def test_metrics_read_no_session_so_a_signed_in_browser_is_not_sent_to_change_its_password(client, users, sign_in):
    user = users.make("investigator")
    sign_in(client, user.email, PASSWORD)
    user.password_change_required = True
    db.session.flush()
    assert client.get("/metrics").status_code == 200
    assert client.get("/").status_code == 302


def test_a_log_line_names_the_user_without_asking_the_database(app, world):
    """A line logged because the database failed must not fail in turn: after a commit the signed-in user's
    values have expired, and the log reads the id the session keeps, not the row."""
    user = world.investigator
    user_id = user.id
    db.session.expire(user)
    with app.test_request_context("/"), counted() as statements:
        g._login_user = user
        g.request_id = "r-1"
        assert logs.request_ids() == ("r-1", user_id)
    assert statements == []
