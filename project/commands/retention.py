"""``flask retention``: list the records and the evidence the retention rules make due, and seal or purge them
(both audited)."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from project import clock, jobs
from project.services import records

retention_cli = AppGroup("retention", help="Retention rules: expunge what is due, keep what is on legal hold.")


def _echo(items: list[records.RetentionItem] | list[records.PurgeItem]) -> None:
    for item in items:
        click.echo(f"  {item.line}")


@retention_cli.command("review")
def retention_review_command() -> None:
    """List every record due under the retention rules today, and those a legal hold keeps (audited)."""
    items = records.review_retention(clock.local_today())
    due = [item for item in items if not item.held]
    held = [item for item in items if item.held]
    click.echo(f"{len(due)} record(s) due to be sealed, {len(held)} kept by a legal hold.")
    _echo(due)
    _echo(held)
    purges = records.due_purges(clock.local_today())
    kept = [item for item in purges if item.held]
    click.echo(
        f"{len(purges) - len(kept)} case(s) whose evidence is due to be purged, {len(kept)} kept by a legal hold."
    )
    _echo([item for item in purges if not item.held])
    _echo(kept)


@retention_cli.command("apply")
@click.option(
    "--queue",
    "on_queue",
    is_flag=True,
    help="Put the run on the job queue (REDIS_URL) for a worker to apply, tried again if the worker dies.",
)
def retention_apply_command(on_queue: bool) -> None:
    """Seal every record and purge the evidence of every case due today that no legal hold keeps, in one audited
    transaction; then delete the purged files (and those an earlier run could not delete)."""
    if on_queue:
        try:
            records.queue_retention_run()
        except (RuntimeError, jobs.QueueUnavailable) as refused:
            raise click.ClickException(f"The retention run was not queued: {refused}") from None
        click.echo("The retention run is on the job queue; a worker applies it (see its retention.applied event).")
        return
    run = records.apply_retention(clock.local_today())
    click.echo(f"Sealed {len(run.sealed)} record(s); kept {len(run.held)} on legal hold.")
    _echo(run.sealed)
    _echo(run.held)
    exhibits = sum(len(item.exhibits) for item in run.purged)
    numbers = ", ".join(item.case.number for item in run.purged)
    click.echo(
        f"Purged the evidence of {len(run.purged)} case(s) ({exhibits} exhibit(s)){': ' + numbers if numbers else ''}."
    )
    click.echo(f"Kept the evidence of {len(run.purges_held)} case(s) on legal hold.")
    _echo(run.purges_held)
    click.echo(f"Deleted {len(run.files.removed)} stored file(s).")
    for line in run.files.failed:
        click.echo(f"  NOT DELETED (the next run tries again): {line}", err=True)
    if run.files.failed:
        raise SystemExit(1)
