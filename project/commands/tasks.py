"""Command-line tasks: ``flask seed``, ``flask users``, ``flask roster``, ``flask notifications`` and more."""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from project import ROOT, clock, demo
from project.commands import migrations
from project.commands.audit import audit_cli
from project.commands.dashboard import dashboard_cli
from project.commands.deadlines import deadlines_cli
from project.commands.retention import retention_cli
from project.commands.worker import worker_command
from project.services import accounts, casework, catalogue, discipline, labor, packets, records, roster
from project.services.accounts import PasswordRejected
from project.services.audit import Actor
from project.services.backup import BackupError, create_backup, restore_backup
from project.services.errors import CaseworkError
from project.services.evidence import (
    FFMPEG_OFF,
    MediaLimits,
    OcrSettings,
    collect_garbage,
    index_pending_texts,
    ocr_available,
    read_missing_durations,
    verify_store,
)
from project.services.notifications import MailSettings, deadline_notices, send_outbox

SEED_DIR = ROOT / "seed_data"

users_cli = AppGroup("users", help="Manage user accounts.")
backup_cli = AppGroup("backup", help="Back up and restore the database and the evidence store.")
evidence_cli = AppGroup("evidence", help="Check the evidence store.")
roster_cli = AppGroup("roster", help="Manage the employee roster.")
notifications_cli = AppGroup("notifications", help="Deadline notices and the e-mail outbox (run from cron).")


@click.command("seed")
@click.option("--demo", "with_demo", is_flag=True, help="Also add the demo accounts and roster.")
def seed_command(with_demo: bool) -> None:
    """Load the policy catalogue from seed_data/ (idempotent)."""
    try:
        report = catalogue.load_catalogue(SEED_DIR)
    except catalogue.SeedDataError as exc:
        raise click.ClickException(str(exc)) from exc
    summary = ", ".join(f"{n} {name}" for name, n in sorted(report.created.items())) or "nothing new"
    click.echo(f"Catalogue loaded: {summary}.")
    if not with_demo:
        return
    password = current_app.config["DEMO_PASSWORD"]
    try:
        config = current_app.config
        settings = demo.EvidenceSettings(
            config["EVIDENCE_DIR"], config["EVIDENCE_MAX_BYTES"], config["EVIDENCE_MAX_PIXELS"]
        )
        result = demo.seed_demo(SEED_DIR, password=password, app_env=config["APP_ENV"], evidence=settings)
    except (demo.DemoRefused, accounts.AccountError, PasswordRejected, roster.RosterImportError, CaseworkError) as exc:
        raise click.ClickException(str(exc)) from exc
    assert result.roster is not None
    click.echo(
        f"Demo data: {len(result.users_created)} account(s) created, roster "
        f"{result.roster.created} added / {result.roster.updated} updated / {result.roster.unchanged} unchanged, "
        f"{result.cases_built} case(s) built."
    )
    click.echo("Demo sign-ins (password from DEMO_PASSWORD):")
    for email, roles in result.accounts:
        click.echo(f"  {email:<28} {roles}")
    click.echo(f"  password: {password}")
    required = sorted(current_app.config["MFA_REQUIRED_ROLES"])
    if required:
        click.echo(
            f"  Roles {', '.join(required)} set up an authenticator app at first sign-in "
            "(MFA_REQUIRED_ROLES= turns that off)."
        )


@users_cli.command("create")
@click.argument("email")
@click.option("--name", required=True, help="The person's full name.")
@click.option("--role", "roles", multiple=True, required=True, help="investigator, supervisor, labor_relations, admin")
def create_user_command(email: str, name: str, roles: tuple[str, ...]) -> None:
    """Create a user; the password is read from standard input."""
    if sys.stdin.isatty():
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    try:
        user = accounts.create_user(email, name, roles, password)
    except (accounts.AccountError, PasswordRejected) as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Created {user.email} ({', '.join(sorted(r.value for r in user.role_set))}).")


@users_cli.command("disable")
@click.argument("email")
def disable_user_command(email: str) -> None:
    """Disable a user and end their sessions."""
    try:
        user = accounts.disable_user(email)
    except accounts.AccountError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Disabled {user.email}; their sessions have ended.")


@roster_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_roster_command(path: Path) -> None:
    """Import employees from a CSV file; a file with any bad row imports nothing."""
    _import_file(path, "Roster", roster.import_roster)


@roster_cli.command("import-discipline")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_discipline_command(path: Path) -> None:
    """Import prior discipline (employee_number,step,imposed_on,suspension_days,note,offence_class); a file
    with any bad row imports nothing."""
    _import_file(path, "Prior discipline", discipline.import_prior_discipline)


def _import_file(path: Path, what: str, importer: Callable[..., Any]) -> None:
    """Read a UTF-8 CSV file and import it all or nothing: each bad row named on stderr, then a refusal."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise click.ClickException(f"{path} is not UTF-8 text") from exc
    try:
        result = importer(text, source=path.name)
    except roster.RosterImportError as exc:
        for error in exc.errors:
            click.echo(f"{path.name}: {error}", err=True)
        bad_rows = len({error.line for error in exc.errors})
        raise click.ClickException(f"nothing imported: {bad_rows} bad row(s)") from exc
    click.echo(f"{what}: {result.created} added, {result.updated} updated, {result.unchanged} unchanged.")


@click.command("packet")
@click.argument("case_number")
@click.option("--redacted", is_flag=True, help="The employee / union copy (same as --variant redacted).")
@click.option(
    "--variant",
    type=click.Choice(["full", "redacted", "public"]),
    default=None,
    help="full: internal; redacted: the employee / union copy; public: the FOIA release.",
)
@click.option("--recipient", default="", help='Who receives a release copy, e.g. "FOIA request 2026-114".')
@click.option("--pdfa", is_flag=True, help="Write PDF/A-3b, the archival form.")
@click.option("-o", "--output", "output", required=True, type=click.Path(dir_okay=False, path_type=Path))
def packet_command(
    case_number: str, redacted: bool, variant: str | None, recipient: str, pdfa: bool, output: Path
) -> None:
    """Print the case packet of CASE_NUMBER to a PDF file (recorded in the audit trail as printed from the CLI)."""
    case = casework.find_case(case_number)
    if case is None:
        raise click.ClickException(f"No case is numbered {case_number}.")
    config = current_app.config
    chosen = variant or ("redacted" if redacted else "full")
    try:
        printing, pdf = packets.print_packet(
            case,
            packets.PacketOrder(chosen, "pdf/a-3b" if pdfa else None, recipient),
            None,
            packets.PrintSettings.from_config(config),
            packets.PrintRun(via="cli"),
        )
    except CaseworkError as exc:
        raise click.ClickException(str(exc)) from exc
    output.write_bytes(pdf)
    click.echo(
        f"{output}: {printing.page_count} pages, SHA-256 {printing.sha256}, case version "
        f"{printing.content_version}, {printing.variant}{' PDF/A-3b' if pdfa else ''}."
    )


@click.command("letter")
@click.argument("case_number")
@click.argument("employee_number")
@click.argument("kind", type=click.Choice(["pre_disciplinary_notice", "notice_of_discipline"]))
@click.option(
    "--date",
    "letter_date",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="The letter's date (default: today).",
)
@click.option("--as", "as_email", required=True, help="The labor-relations user printing it (for the audit trail).")
@click.option("-o", "--output", "output", required=True, type=click.Path(dir_okay=False, path_type=Path))
def letter_command(
    case_number: str, employee_number: str, kind: str, letter_date: datetime | None, as_email: str, output: Path
) -> None:
    """Print a letter to a subject of a case, as a labor-relations user."""
    case = casework.find_case(case_number)
    user = accounts.find_user(as_email)
    subject = next((s for s in case.subjects if s.employee.employee_number == employee_number), None) if case else None
    if case is None or user is None or subject is None:
        raise click.ClickException("No such case, user, or subject of that case.")
    day = letter_date.date() if letter_date else clock.local_today()
    try:
        letter, pdf = labor.print_letter(
            case, subject, labor.LetterOrder(kind, day), Actor(user, "cli"), current_app.config["EVIDENCE_DIR"]
        )
    except CaseworkError as exc:
        raise click.ClickException(str(exc)) from exc
    output.write_bytes(pdf)
    click.echo(f"{output}: {kind} dated {letter.letter_date.isoformat()}, SHA-256 {letter.sha256}.")


@evidence_cli.command("verify")
def evidence_verify_command() -> None:
    """Re-hash every stored original and every derived file (thumbnails, print renditions, redacted copies,
    cached packets); report the missing and the altered, and exit non-zero if any."""
    report = verify_store(current_app.config["EVIDENCE_DIR"])
    for line in report.problems:
        click.echo(line, err=True)
    if report.problems:
        raise click.ClickException(f"{len(report.problems)} problem(s) in the evidence store")
    click.echo(f"Evidence store intact: {report.checked} original(s) match their SHA-256.")


@evidence_cli.command("gc")
@click.option("--dry-run", is_flag=True, help="List what would be removed; remove nothing.")
def evidence_gc_command(dry_run: bool) -> None:
    """Remove stored files that belong to no exhibit (left by a crash between writing and committing)."""
    removed = collect_garbage(current_app.config["EVIDENCE_DIR"], dry_run=dry_run)
    for path in removed:
        click.echo(f"{'would remove' if dry_run else 'removed'} {path}")
    click.echo(f"{len(removed)} file(s) {'would be removed (dry run: nothing was removed)' if dry_run else 'removed'}.")


@evidence_cli.command("ocr")
def evidence_ocr_command() -> None:
    """Read the text of every image exhibit not read yet (Tesseract), so searching finds words inside it."""
    config = current_app.config
    if not ocr_available(config["TESSERACT_CMD"]):
        raise click.ClickException(
            f"Tesseract is not installed here (no {config['TESSERACT_CMD']!r} program, or no pytesseract): "
            "install Debian's tesseract-ocr package"
        )
    done, failed = index_pending_texts(OcrSettings(config["EVIDENCE_DIR"], config["TESSERACT_CMD"]))
    _exhibits_read(f"Text read and indexed for {done} exhibit(s).", failed)


@evidence_cli.command("durations")
def evidence_durations_command() -> None:
    """Read the duration of every audio or video exhibit uploaded while ffmpeg was not installed (ffprobe)."""
    tools = MediaLimits.from_config(current_app.config)
    if not tools.available():
        raise click.ClickException(f"{FFMPEG_OFF}: no {tools.ffprobe_cmd!r} or {tools.ffmpeg_cmd!r} program")
    done, failed = read_missing_durations(current_app.config["EVIDENCE_DIR"], tools)
    _exhibits_read(f"Duration read for {done} exhibit(s).", failed)


def _exhibits_read(done: str, failed: list[str]) -> None:
    """What a pass over the exhibits did: each one it could not read on stderr, then a refusal if any."""
    for line in failed:
        click.echo(line, err=True)
    click.echo(done)
    if failed:
        raise click.ClickException(f"{len(failed)} exhibit(s) could not be read")


@backup_cli.command("create")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
def backup_create_command(folder: Path) -> None:
    """Back up one snapshot of the database, the evidence files its rows name and a manifest of hashes into
    FOLDER (new or empty). Orphan files (named by no row) are reported and left out."""
    try:
        manifest = create_backup(folder, current_app.config["EVIDENCE_DIR"])
    except (BackupError, OSError) as exc:
        raise click.ClickException(str(exc)) from exc
    orphans, cached = manifest["left_out"]["orphans"], manifest["left_out"]["cached_packets"]
    if orphans:
        click.echo(f"left out: {len(orphans)} orphan files: {', '.join(orphans)}", err=True)
    if cached:
        click.echo(f"left out: {len(cached)} cached packets (printed again when next asked for)")
    click.echo(
        f"Backed up {sum(manifest['tables'].values())} rows in {len(manifest['tables'])} tables and "
        f"{len(manifest['evidence'])} evidence files to {folder}."
    )


@backup_cli.command("restore")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
def backup_restore_command(folder: Path) -> None:
    """Restore FOLDER into this empty instance: everything is checked, restored and verified in staging first;
    a failed restore leaves the instance as it was."""
    try:
        report = restore_backup(folder, current_app.config["EVIDENCE_DIR"])
    except (BackupError, OSError) as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(
        f"Restored {sum(report.tables.values())} rows; audit chain of {report.audit_rows} rows intact; "
        f"{report.evidence_files} evidence files verified."
    )


@notifications_cli.command("deadlines")
def notifications_deadlines_command() -> None:
    """Notify of deadlines due soon (each rule's warning days) or overdue (daily; a rerun adds nothing)."""
    click.echo(f"Deadline notices: {deadline_notices(clock.local_today())} added.")


@notifications_cli.command("leave")
def notifications_leave_command() -> None:
    """Notify of paid administrative leave near, at or over its limit (PAID_LEAVE_LIMIT_DAYS, RCSA 5-240-5a(f);
    the warning PAID_LEAVE_WARN_DAYS before it, a department setting): daily; a rerun adds nothing."""
    config = current_app.config
    added = records.leave_notices(clock.local_today(), config["PAID_LEAVE_LIMIT_DAYS"], config["PAID_LEAVE_WARN_DAYS"])
    click.echo(f"Leave notices: {added} added.")


@notifications_cli.command("send")
def notifications_send_command() -> None:
    """Deliver the e-mail outbox over SMTP (SMTP_HOST); what fails stays in the outbox for the next run."""
    settings = MailSettings.from_config(current_app.config)
    if settings is None:
        click.echo("E-mail is off (SMTP_HOST is not set): nothing sent.")
        return
    report = send_outbox(settings)
    click.echo(f"Outbox: {report.sent} sent, {report.failed} failed, {report.waiting} waiting.")
    if report.failed:
        raise click.ClickException(f"{report.failed} not delivered, kept for the next run: {report.last_error}")


def init_app(app: Flask) -> None:
    migrations.init_app(app)
    app.cli.add_command(seed_command)
    app.cli.add_command(packet_command)
    app.cli.add_command(letter_command)
    app.cli.add_command(users_cli)
    app.cli.add_command(roster_cli)
    app.cli.add_command(audit_cli)
    app.cli.add_command(backup_cli)
    app.cli.add_command(evidence_cli)
    app.cli.add_command(notifications_cli)
    app.cli.add_command(retention_cli)
    app.cli.add_command(deadlines_cli)
    app.cli.add_command(dashboard_cli)
    app.cli.add_command(worker_command)
