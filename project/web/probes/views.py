"""Health and readiness for load balancers and orchestrators (issue 20, item 4). Both are open to anyone,
read no session and say nothing about the install: no secret, path or version."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify

from project.services.readiness import check_readiness

bp = Blueprint("probes", __name__)


@bp.get("/healthz")
def healthz() -> Response:
    """The process is up and answers; nothing else is touched (not the database)."""
    return _no_store(jsonify(status="ok"))


@bp.get("/readyz")
def readyz() -> tuple[Response, int]:
    config = current_app.config
    readiness = check_readiness(config["EVIDENCE_DIR"], (config.get("RATE_LIMIT_STORAGE_URL"), config.get("REDIS_URL")))
    if readiness.ready:
        return _no_store(jsonify(status="ready", checks=readiness.checks)), 200
    body = jsonify(status="not ready", checks=readiness.checks, failed=readiness.failed)
    return _no_store(body), 503


def _no_store(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    return response
