"""Operations settings, read from the environment: the job queue, e-mail, the audit chain's outside anchor, who may
read /metrics, and the log's format (issues 14 and 20; README "Background jobs", "Operations", "Audit trail").

Each default below is a department setting; the environment variable of the same name overrides it. A value that
cannot be used stops the start with a message naming the variable.
"""

from __future__ import annotations

import ipaddress
from typing import Any


class OperationsConfigError(RuntimeError):
    """An operations setting cannot be used; the message says which and why."""


DEFAULTS: dict[str, Any] = {
    "REDIS_URL": None,  # the Redis of the job queue; /readyz checks it when set
    # With REDIS_URL set, long work (packets) runs on `flask worker` processes from the queue JOB_QUEUE; a job
    # running longer than JOB_TIMEOUT_SECONDS is stopped; a job whose worker died or that failed is tried
    # JOB_RETRIES more times, then marked failed and its requester notified.
    "JOB_QUEUE": "casefile",
    "JOB_TIMEOUT_SECONDS": 600,
    "JOB_RETRIES": 1,
    # E-mail notifications: none unless SMTP_HOST is set; then `flask notifications send` delivers the outbox.
    "SMTP_HOST": None,
    "SMTP_PORT": 25,
    "SMTP_USERNAME": None,
    "SMTP_PASSWORD": None,
    "SMTP_STARTTLS": False,
    "MAIL_FROM": None,
    "PUBLIC_URL": None,  # the address people open Casefile at, e.g. https://casefile.example.gov
    # The audit chain's anchor outside the database (`flask audit checkpoint`): the key that signs checkpoints (or
    # a file holding it; neither is ever stored in the database), and the append-only file they go to (None:
    # audit-checkpoints.jsonl in the instance folder). No key: anchor off.
    "AUDIT_CHECKPOINT_KEY": None,
    "AUDIT_CHECKPOINT_KEY_FILE": None,
    "AUDIT_CHECKPOINT_FILE": None,
    # /metrics answers only requests from these addresses or networks (after PROXY_HOPS); any other gets 404.
    # METRICS_ALLOWED_ADDRESSES="127.0.0.1,10.8.0.0/24" overrides it; an empty value closes /metrics to all.
    "METRICS_ALLOWED_ADDRESSES": ("127.0.0.1", "::1"),
    # The server log: "text" lines, or "json" (one object per line, with the request id and user id): the
    # default in production (``log_format`` below).
    "LOG_FORMAT": "text",
}


def operations_settings(env: dict[str, str], log_format: str = "text") -> dict[str, Any]:
    """The settings above with the environment's values, checked; ``log_format`` is the environment's default."""
    settings = dict(DEFAULTS)
    settings["REDIS_URL"] = env.get("REDIS_URL") or None
    settings["JOB_QUEUE"] = env.get("JOB_QUEUE") or DEFAULTS["JOB_QUEUE"]
    for key in ("JOB_TIMEOUT_SECONDS", "JOB_RETRIES"):
        if env.get(key):
            settings[key] = _whole_number(env, key)
    settings.update(_mail(env))
    for key in ("AUDIT_CHECKPOINT_KEY", "AUDIT_CHECKPOINT_KEY_FILE", "AUDIT_CHECKPOINT_FILE"):
        settings[key] = env.get(key) or None
    settings["METRICS_ALLOWED_ADDRESSES"] = _metrics_addresses(env)
    settings["LOG_FORMAT"] = env.get("LOG_FORMAT", log_format).strip().lower()
    if settings["LOG_FORMAT"] not in ("text", "json"):
        raise OperationsConfigError(f"LOG_FORMAT must be text or json, not {settings['LOG_FORMAT']!r}")
    return settings


def _whole_number(env: dict[str, str], key: str) -> int:
    try:
        return int(env[key])
    except ValueError:
        raise OperationsConfigError(f"{key} must be a whole number, not {env[key]!r}") from None


def _mail(env: dict[str, str]) -> dict[str, Any]:
    settings = {
        "SMTP_HOST": env.get("SMTP_HOST") or None,
        "SMTP_PORT": _whole_number(env, "SMTP_PORT") if env.get("SMTP_PORT") else DEFAULTS["SMTP_PORT"],
        "SMTP_USERNAME": env.get("SMTP_USERNAME") or None,
        "SMTP_PASSWORD": env.get("SMTP_PASSWORD") or None,
        "SMTP_STARTTLS": env.get("SMTP_STARTTLS", "0") == "1",
        "MAIL_FROM": env.get("MAIL_FROM") or None,
        "PUBLIC_URL": (env.get("PUBLIC_URL") or "").rstrip("/") or None,
    }
    if settings["SMTP_HOST"] and not settings["MAIL_FROM"]:
        raise OperationsConfigError("MAIL_FROM must be set when SMTP_HOST is (the sender of notification e-mails)")
    if settings["SMTP_USERNAME"] and not settings["SMTP_STARTTLS"]:
        raise OperationsConfigError(
            "SMTP_USERNAME needs SMTP_STARTTLS=1: a password must not cross the network in clear"
        )
    return settings


def _metrics_addresses(env: dict[str, str]) -> tuple[str, ...]:
    addresses: tuple[str, ...] = DEFAULTS["METRICS_ALLOWED_ADDRESSES"]
    if "METRICS_ALLOWED_ADDRESSES" in env:
        addresses = tuple(part.strip() for part in env["METRICS_ALLOWED_ADDRESSES"].split(",") if part.strip())
    for address in addresses:
        try:
            ipaddress.ip_network(address, strict=False)
        except ValueError:
            raise OperationsConfigError(
                f"METRICS_ALLOWED_ADDRESSES: {address!r} is not an address or network"
            ) from None
    return addresses
