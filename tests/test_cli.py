"""The command-line tasks an administrator runs."""

from __future__ import annotations

from sqlalchemy import func, select

from project import clock, create_app
from project.extensions import db
from project.models import Case, CaseTransition, Employee, Exhibit, Role, User
from project.services import accounts
from project.services.accounts import verify_password
from tests.apps import app_environ


def test_seed_loads_the_catalogue_and_says_so(runner, empty_catalogue):
    result = runner.invoke(args=["seed"])
    assert result.exit_code == 0, result.output
    assert "Catalogue loaded:" in result.output and "Clause" in result.output
    again = runner.invoke(args=["seed"])
    assert "nothing new" in again.output
    assert db.session.scalar(select(func.count()).select_from(User)) == 0, "plain seed adds no accounts"


def test_seed_demo_prints_the_sign_ins_and_is_idempotent(runner):
    first = runner.invoke(args=["seed", "--demo"])
    assert first.exit_code == 0, first.output
    for email in (
        "investigator@demo.test",
        "investigator2@demo.test",
        "supervisor@demo.test",
        "labor@demo.test",
        "admin@demo.test",
    ):
        assert email in first.output
    assert "6 account(s) created" in first.output
    assert "10 case(s) built" in first.output
    states = set(db.session.scalars(select(Case.state)))
    assert states == {"intake", "open", "in_review", "approved", "discipline", "closed"}
    exhibits = db.session.scalars(select(Exhibit)).all()
    assert len(exhibits) == 10 and all(e.media_type == "image/png" and len(e.sha256) == 64 for e in exhibits)
    approved = dict(
        db.session.execute(
            select(Case.title, CaseTransition.occurred_at)
            .join(CaseTransition, CaseTransition.case_id == Case.id)
            .where(CaseTransition.action == "approved")
        ).all()
    )
    ages = {title: (clock.now() - at).days for title, at in approved.items()}
    # the grievance journey's dismissal was decided a month ago, the other approvals today, and the clock came
    # back for the cases built after it: the last transition written is today's
    assert ages.pop("Instagram story filmed in the control room") == 30
    assert ages and set(ages.values()) == {0}
    last = db.session.scalars(select(CaseTransition).order_by(CaseTransition.id.desc()).limit(1)).one()
    assert last.case.title == "Facebook comment about an inmate's visiting day"
    assert (clock.now() - last.occurred_at).days == 0
    second = runner.invoke(args=["seed", "--demo"])
    assert "0 account(s) created" in second.output and "12 unchanged" in second.output
    assert "0 case(s) built" in second.output
    assert db.session.scalar(select(func.count()).select_from(User)) == 6
    assert db.session.scalar(select(func.count()).select_from(Employee)) == 12
    supervisor = accounts.find_user("supervisor@demo.test")
    assert supervisor.role_set == {Role.SUPERVISOR}
    assert verify_password(supervisor.password_hash, "correct horse battery")  # DEMO_PASSWORD


def test_demo_seed_refuses_production(migrated_database, tmp_path):
    env = app_environ(migrated_database, tmp_path) | {
        "APP_ENV": "production",
        "SECRET_KEY": "Wq3-kZ8rT1vN0bYp6LmC4xHs9Dg2JfAe7Ui5Oy_Rn",
        "ALLOW_SQLITE_IN_PRODUCTION": "1",
    }
    app = create_app(env)
    with app.app_context():
        result = app.test_cli_runner().invoke(args=["seed", "--demo"])
        assert result.exit_code != 0
        assert "never loaded when APP_ENV=production" in result.output
        assert db.session.scalar(select(func.count()).select_from(User)) == 0
        db.engine.dispose()


def test_users_create_reads_the_password_from_stdin(runner):
    result = runner.invoke(
        args=[
            "users",
            "create",
            "Chris@Example.test",
            "--name",
            "Chris Roe",
            "--role",
            "supervisor",
            "--role",
            "labor_relations",
        ],
        input="a very long passphrase\n",
    )
    assert result.exit_code == 0, result.output
    user = accounts.find_user("chris@example.test")
    assert user.name == "Chris Roe" and user.role_set == {Role.SUPERVISOR, Role.LABOR_RELATIONS}
    assert verify_password(user.password_hash, "a very long passphrase")


def test_users_create_refuses_a_short_password_with_a_clear_message(runner):
    result = runner.invoke(
        args=["users", "create", "chris@example.test", "--name", "Chris", "--role", "admin"], input="short\n"
    )
    assert result.exit_code != 0
    assert "at least 12 characters" in result.output
    assert accounts.find_user("chris@example.test") is None


def test_users_disable_unknown_email_fails(runner):
    result = runner.invoke(args=["users", "disable", "ghost@example.test"])
    assert result.exit_code != 0 and "No user has the email" in result.output


def test_roster_import_reports_bad_rows_and_imports_nothing(runner, tmp_path):
    path = tmp_path / "roster.csv"
    path.write_text(
        "employee_number,last_name,first_name,title,facility,hire_date\n"
        "400001,Ray,Ann,Officer,York CI,2012-01-01\n"
        "400002,,Bo,Officer,York CI,2013-02-30\n"
    )
    result = runner.invoke(args=["roster", "import", str(path)])
    assert result.exit_code != 0
    assert "roster.csv: line 3: last_name is empty" in result.output
    assert "roster.csv: line 3: hire date '2013-02-30' is not a date in the form YYYY-MM-DD" in result.output
    assert "nothing imported: 1 bad row(s)" in result.output
    assert db.session.scalar(select(func.count()).select_from(Employee)) == 0


def test_flask_packet_writes_the_pdf_and_records_the_printing(runner, world, tmp_path):
    import hashlib

    from project.models import AuditEvent
    from project.services import evidence

    case = world.approved(exhibit=True)
    exhibit = evidence.exhibits_of(case)[0]
    evidence.review_for_release(case, exhibit, "releasable", "Shows only the post.", world.actor(world.labor))
    out = tmp_path / "packet.pdf"
    result = runner.invoke(args=["packet", case.number, "--redacted", "-o", str(out)])
    assert result.exit_code != 0 and "Say who receives" in result.output  # a release names its recipient
    result = runner.invoke(args=["packet", case.number, "--redacted", "--recipient", "union, step 2", "-o", str(out)])
    assert result.exit_code == 0, result.output
    digest = hashlib.sha256(out.read_bytes()).hexdigest()
    assert f"SHA-256 {digest}" in result.output and "redacted" in result.output
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "packet.printed")).one()
    assert event.detail["sha256"] == digest and event.detail["via"] == "cli" and event.actor_id is None
    assert event.detail["recipient"] == "union, step 2"
    missing = runner.invoke(args=["packet", "SM-1999-0001", "-o", str(out)])
    assert missing.exit_code != 0 and "No case is numbered SM-1999-0001" in missing.output


def test_flask_letter_prints_a_notice_of_discipline(runner, world, tmp_path):
    import hashlib

    from project import clock

    case = world.approved_with_discipline(step="suspension", days=3)
    world.labor_record(
        case,
        decision_on=clock.local_today(),
        imposed_step="suspension",
        imposed_suspension_days=3,
        effective_on=clock.local_today(),
    )
    out = tmp_path / "letter.pdf"
    employee = case.subjects[0].employee.employee_number
    result = runner.invoke(
        args=["letter", case.number, employee, "notice_of_discipline", "--as", world.labor.email, "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert f"SHA-256 {hashlib.sha256(out.read_bytes()).hexdigest()}" in result.output
    refused = runner.invoke(
        args=["letter", case.number, employee, "notice_of_discipline", "--as", world.investigator.email, "-o", str(out)]
    )
    assert refused.exit_code != 0


def test_flask_evidence_verify_names_missing_altered_and_orphan_files(runner, world, app):
    import os

    from project.services.evidence import EvidenceStore

    first, second = world.open(exhibit=True), world.open(exhibit=True, text="Another post, another capture")
    world.add_screenshot(second, text="A third capture")
    good = runner.invoke(args=["evidence", "verify"])
    assert good.exit_code == 0 and "3 original(s) match their SHA-256" in good.output
    store = EvidenceStore(app.config["EVIDENCE_DIR"])
    from project.services.evidence import exhibits_of

    altered, missing = exhibits_of(first)[0], exhibits_of(second)[1]
    path = store.original_path(altered.sha256)
    os.chmod(path, 0o640)
    path.write_bytes(b"altered")
    os.remove(store.original_path(missing.sha256))
    orphan = store.original_path("ab" * 32)
    orphan.parent.mkdir(parents=True, exist_ok=True)
    orphan.write_bytes(b"left by a crash")
    bad = runner.invoke(args=["evidence", "verify"])
    assert bad.exit_code != 0
    assert f"{first.number} Exhibit 1: the original {altered.sha256} was altered" in bad.output
    assert f"{second.number} Exhibit 2: the original {missing.sha256} is missing" in bad.output
    assert "belongs to no exhibit" in bad.output


def test_flask_evidence_gc_removes_only_files_no_exhibit_refers_to(runner, world, app):
    from project.services.evidence import EvidenceStore, exhibits_of

    case = world.open(exhibit=True)
    store = EvidenceStore(app.config["EVIDENCE_DIR"])
    orphan = store.original_path("cd" * 32)
    orphan.parent.mkdir(parents=True, exist_ok=True)
    orphan.write_bytes(b"written, then the commit failed")
    result = runner.invoke(args=["evidence", "gc"])
    assert result.exit_code == 0 and "1 file(s) removed." in result.output
    assert not orphan.exists() and store.original_path(exhibits_of(case)[0].sha256).exists()
    assert runner.invoke(args=["evidence", "verify"]).exit_code == 0


def test_flask_evidence_gc_also_removes_derived_orphans_and_keeps_every_derived_file_in_use(runner, world, app):
    """A crash can leave a thumbnail, a redacted copy or a print rendition beside its original; verify names
    them and gc removes them, but never a file a committed exhibit or redaction uses, nor a temporary that
    may still be being written."""
    import os
    import time
    from pathlib import Path

    from project.services import evidence, packets
    from project.services.evidence import exhibits_of

    case = world.approved(exhibit=True)
    exhibit = exhibits_of(case)[0]
    copy = evidence.redact_exhibit(
        case,
        exhibit,
        evidence.RedactionInput([{"x": 0, "y": 0, "w": 50, "h": 20}], "Inmate names"),
        world.actor(world.investigator),
        app.config["EVIDENCE_DIR"],
    )
    evidence.review_for_release(case, exhibit, "redacted", "Checked the copy.", world.actor(world.labor))
    packets.render_packet(
        case, packets.PacketOrder("redacted", None), packets.PrintSettings(app.config["EVIDENCE_DIR"], "DOC-")
    )  # renders the copy
    root = Path(app.config["EVIDENCE_DIR"])
    in_use = sorted(p for p in root.rglob("*") if p.is_file() and "packets" not in p.parts and p.name != ".lock")
    assert f"{copy.redacted_sha256}.jpg" in [p.name for p in in_use]
    orphans = [
        root / "derived" / "thumbs" / f"{'ab' * 32}.png",
        root / "derived" / "redacted" / f"{'cd' * 32}.png",
        root / "derived" / "print" / evidence.RENDITION_VERSION / f"{'ef' * 32}-p0001.jpg",
        root / "derived" / "thumbs" / ".incoming-left-by-a-crash",
    ]
    for path in orphans:
        path.write_bytes(b"left by a crash")
    os.utime(orphans[-1], (time.time() - 3600, time.time() - 3600))
    in_flight = root / "derived" / "print" / evidence.RENDITION_VERSION / ".incoming-being-written"
    in_flight.write_bytes(b"a rendition being written now")
    verified = runner.invoke(args=["evidence", "verify"])
    assert verified.exit_code != 0 and "4 problem(s)" in verified.output
    assert all(f"file {path} belongs to no exhibit" in verified.output for path in orphans)
    collected = runner.invoke(args=["evidence", "gc"])
    assert collected.exit_code == 0 and "4 file(s) removed." in collected.output
    assert not any(path.exists() for path in orphans) and in_flight.exists()
    assert all(path.exists() for path in in_use)


def test_flask_packet_refuses_a_public_release_before_the_notice(runner, world, tmp_path):
    case = world.approved()
    out = tmp_path / "public.pdf"
    args = ["packet", case.number, "--variant", "public", "--recipient", "FOIA request 2026-114", "-o", str(out)]
    result = runner.invoke(args=args)
    assert result.exit_code != 0 and "record the notice to the employee and the union first" in result.output
    assert not out.exists()
