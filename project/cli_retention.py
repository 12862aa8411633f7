"""``flask retention``: list the records the retention rules make due, and seal them (both audited)."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from project import clock
from project.services import records

retention_cli = AppGroup("retention", help="Retention rules: expunge what is due, keep what is on legal hold.")


def _echo(items: list[records.RetentionItem]) -> None:
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


@retention_cli.command("apply")
def retention_apply_command() -> None:
    """Seal every record due today that no legal hold keeps, in one audited transaction."""
    run = records.apply_retention(clock.local_today())
    click.echo(f"Sealed {len(run.sealed)} record(s); kept {len(run.held)} on legal hold.")
    _echo(run.sealed)
    _echo(run.held)
