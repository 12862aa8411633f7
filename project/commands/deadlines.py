"""``flask deadlines``: the stored running deadlines the dashboard, the work queue and the case list count
(``services.deadlines.stored``): work them all out again, or check them against the clocks worked out now."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from project.services import deadlines

deadlines_cli = AppGroup("deadlines", help="The stored running deadlines: work them out again, or check them.")


@deadlines_cli.command("refresh")
def deadlines_refresh_command() -> None:
    """Work out the clocks of every case not closed again and store them (after rows were written outside the
    app, say a bulk import; a change to the rules, holidays or steps is found by itself at the next read)."""
    click.echo(f"Stored {deadlines.refresh_all()} running deadline(s).")


@deadlines_cli.command("check")
def deadlines_check_command() -> None:
    """Compare the stored clocks with those worked out now; exit 1, listing each difference, when they differ."""
    differences = deadlines.stored_differences()
    for line in differences:
        click.echo(f"  {line}", err=True)
    if differences:
        raise click.ClickException(f"{len(differences)} difference(s) between the stored and the running deadlines.")
    click.echo("The stored running deadlines agree with the clocks worked out now.")
