"""``flask audit``: verify the chain, its sealed records and its signed checkpoints; write a checkpoint."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from project.services.audit import AnchorError, seal_existing, verify_anchor, verify_chain, write_checkpoint

audit_cli = AppGroup("audit", help="Check the audit trail.")


@audit_cli.command("verify")
def audit_verify_command() -> None:
    """Re-hash the audit chain and the records sealed in it, check it against the latest signed checkpoint;
    report what is broken, edited, deleted or cut, and exit non-zero."""
    report = verify_chain()
    problems = list(report.problems)
    try:
        anchor = verify_anchor()
    except AnchorError as exc:
        raise click.ClickException(f"checkpoint anchor: {exc}") from exc
    problems.extend(anchor.problems)
    if not problems:
        click.echo(
            f"Audit trail intact: {report.rows} rows chained, {report.records} append-only records match their seals."
        )
        click.echo(anchor.summary)
        return
    for problem in problems:
        click.echo(problem, err=True)
    if anchor.state != "checked" or not anchor.problems:
        click.echo(anchor.summary, err=True)
    raise click.ClickException(f"the audit trail is broken ({len(problems)} problem(s) listed)")


@audit_cli.command("checkpoint")
def audit_checkpoint_command() -> None:
    """Sign the chain's head with the checkpoint key and append it to the checkpoint file (run it often,
    e.g. every 5 minutes from cron: rows after the latest checkpoint are not anchored yet)."""
    try:
        line = write_checkpoint()
    except AnchorError as exc:
        raise click.ClickException(f"no checkpoint written: {exc}") from exc
    click.echo(f"Checkpoint of row {line.seq} (hash {line.hash[:16]}...) signed at {line.at}.")


@audit_cli.command("seal-existing")
def audit_seal_existing_command() -> None:
    """Seal, once after upgrading, the notes, release reviews and modifications written before records were
    sealed in the chain (they are sealed as they stand now: check them first)."""
    count = seal_existing()
    click.echo(f"Sealed {count} record(s) as they stand now.")
