"""Each request's id, time and access line (issue 20, item 4).

The request id is the caller's ``X-Request-Id`` when it is a sane token (a load balancer's or nginx's
``$request_id``: letters, digits and ``. _ : -``, at most 128), otherwise a new random one; either way it is
sent back in the response's ``X-Request-Id`` and written on every log line of the request (``project.logs``),
so one complaint's request can be found in the log. Its time goes to the ``casefile_request_duration_seconds``
histogram (``project.metrics``) and to the access line, by Flask endpoint name, never the URL.
"""

from __future__ import annotations

import logging
import re
import uuid
from time import perf_counter

from flask import Flask, Response, g, request

from project import metrics

SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")
access_log = logging.getLogger("casefile.access")


def init_app(app: Flask) -> None:
    """Registered before every other hook, so the time counted covers them (after-request hooks run in the
    reverse order, so this one's runs last)."""

    @app.before_request
    def start_request() -> None:
        g.request_started = perf_counter()
        offered = request.headers.get("X-Request-Id", "")
        g.request_id = offered if SANE_REQUEST_ID.fullmatch(offered) else uuid.uuid4().hex

    @app.after_request
    def finish_request(response: Response) -> Response:
        if "request_id" not in g:  # a hook before this one answered
            g.request_id = uuid.uuid4().hex
        seconds = perf_counter() - g.get("request_started", perf_counter())
        endpoint = request.endpoint or "unmatched"
        metrics.observe_request(endpoint, request.method, response.status_code, seconds)
        response.headers["X-Request-Id"] = g.request_id
        line = {
            "method": request.method[:10],
            "endpoint": endpoint,
            "status": response.status_code,
            "duration_ms": round(seconds * 1000, 1),
        }
        access_log.info("%(method)s %(endpoint)s %(status)s %(duration_ms)s ms", line, extra=line)
        return response
