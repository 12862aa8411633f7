"""``flask dashboard``: the days the dashboard's window figures are summed from (``services.dashboard``): count
them all again, or check them against the days counted from the cases now."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from project.services import dashboard

dashboard_cli = AppGroup("dashboard", help="The dashboard's stored days: count them again, or check them.")


@dashboard_cli.command("refresh")
def dashboard_refresh_command() -> None:
    """Count every day's cases again and store them (after upgrading a large database, or rows written outside
    the app, say a bulk import; the first dashboard read does it otherwise, and 100,000 cases take seconds)."""
    click.echo(f"Stored {dashboard.refresh_stored_days()} day count(s).")


@dashboard_cli.command("check")
def dashboard_check_command() -> None:
    """Compare the stored days with the days counted from the cases now; exit 1, listing each difference."""
    differences = dashboard.stored_days_differences()
    for line in differences:
        click.echo(f"  {line}", err=True)
    if differences:
        raise click.ClickException(f"{len(differences)} difference(s) between the stored and the counted days.")
    click.echo("The dashboard's stored days agree with the cases.")
