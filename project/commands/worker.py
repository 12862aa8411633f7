"""``flask worker``: run the long jobs (packets) from the job queue in Redis (REDIS_URL; README "Background jobs")."""

from __future__ import annotations

import click
from flask import current_app

from project import jobs


@click.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queue is empty (for scripts), instead of waiting.")
def worker_command(burst: bool) -> None:
    """Take jobs from the queue and run them, one at a time, each in a process of its own."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if not app.config.get("REDIS_URL"):
        raise click.ClickException("REDIS_URL is not set: without it, jobs run inside the web server.")
    click.echo(f"Working on the queue {app.config['JOB_QUEUE']!r}.")
    jobs.work(app, burst=burst)
