"""Health and readiness for load balancers and orchestrators, and metrics for Prometheus (issue 20, item 4).
/healthz and /readyz are open to anyone, read no session and say nothing about the install: no secret, path
or version. /metrics answers only the addresses of METRICS_ALLOWED_ADDRESSES; to any other it is a page that
does not exist (404, not 403: a refusal would tell a scanner there is something to get)."""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from flask import Blueprint, Response, abort, current_app, jsonify, request

from project import metrics as measures
from project.services import evidence, packets
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


@bp.get("/metrics")
def metrics() -> Response:
    if not may_read_metrics(request.remote_addr, tuple(current_app.config["METRICS_ALLOWED_ADDRESSES"])):
        abort(404)
    body, content_type = measures.exposition(lambda: packets.queue_depth() | evidence.suggestions_queue_depth())
    return _no_store(Response(body, content_type=content_type))


def may_read_metrics(remote_addr: str | None, allowed: tuple[str, ...]) -> bool:
    """Whether the client's address is one of ``allowed`` or in one of its networks (an IPv4 address seen as
    IPv6, ``::ffff:127.0.0.1``, counts as the IPv4 one). No address, or one that is not an IP, is refused."""
    try:
        address = ipaddress.ip_address(remote_addr or "")
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return any(address in network for network in _networks(allowed))


@lru_cache(maxsize=8)
def _networks(allowed: tuple[str, ...]) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(each, strict=False) for each in allowed)


def _no_store(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    return response
