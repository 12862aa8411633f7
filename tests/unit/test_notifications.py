"""Notifications: who hears of each move (and only they), in the move's transaction; the daily deadline notices,
once each; e-mail queued in the outbox and delivered by a real SMTP server, surviving an outage.

The frozen clock starts on Monday 2026-03-02 (09:30 in Connecticut): a case approved then has its written notice
of discipline due 7 days later, Monday 2026-03-09."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from project.config import ConfigurationError, build_config
from project.extensions import db
from project.models import DeadlineRule, Notification, OutboxMessage, User
from project.services import accounts, casework, notifications
from project.services.notifications import MailSettings
from tests.local_smtp import LocalSMTPServer, unused_port


def notified() -> list[tuple[str, str]]:
    """(email, kind) of every notification, in the order made."""
    rows = db.session.execute(
        select(User.email, Notification.kind).join(User, User.id == Notification.user_id).order_by(Notification.id)
    )
    return [tuple(row) for row in rows]  # type: ignore[misc]


def mail_on(app, port: int = 25) -> None:
    app.config.update(
        SMTP_HOST="127.0.0.1",
        SMTP_PORT=port,
        MAIL_FROM="casefile@doc.example",
        PUBLIC_URL="https://casefile.doc.example",
    )


def settings(port: int) -> MailSettings:
    return MailSettings(host="127.0.0.1", port=port, sender="casefile@doc.example", timeout=5)


# The moves ------------------------------------------------------------------------------------------------


def test_assigning_tells_the_investigator_assigned_and_nobody_else(world):
    case = world.open()
    assert notified() == [("inv1@example.test", "assigned")]
    [notice] = db.session.scalars(select(Notification)).all()
    assert notice.message == f"{case.number} was assigned to you by Sue Supervisor."
    assert (notice.link, notice.case_id, notice.read_at) == (f"/cases/{case.number}", case.id, None)


def test_submitting_tells_only_the_supervisors_who_may_review_it(world):
    case = world.ready_for_review()
    dual = world.users.make("supervisor", "investigator", email="dual@example.test")
    casework.assign_investigator(case, dual, world.actor(world.supervisor))  # dual investigated it: may not review
    casework.assign_investigator(case, world.investigator, world.actor(world.supervisor))
    world.users.make(
        "supervisor", email="subject.sup@example.test", employee_number=case.subjects[0].employee.employee_number
    )  # the case is about them
    world.users.make("supervisor", email="gone.sup@example.test")
    accounts.disable_user("gone.sup@example.test")
    world.users.make("supervisor", email="other.sup@example.test")
    db.session.execute(db.delete(Notification))
    casework.submit_for_review(case, world.actor(world.investigator))
    assert sorted(notified()) == [("other.sup@example.test", "submitted"), ("sup@example.test", "submitted")]


def test_returning_tells_the_assigned_investigator(world):
    case = world.in_review()
    db.session.execute(db.delete(Notification))
    casework.return_to_investigator(case, world.actor(world.supervisor), "Interview the reporter.")
    assert notified() == [("inv1@example.test", "returned")]
    assert "the reasons are on the case" in db.session.scalars(select(Notification.message)).one()


def test_approval_tells_the_investigator_and_labor_relations_who_may_see_the_case(world):
    case = world.in_review()
    world.users.make(
        "labor_relations", email="subject.lr@example.test", employee_number=case.subjects[0].employee.employee_number
    )
    both = world.users.make("supervisor", "labor_relations", email="sup.lr@example.test")
    db.session.execute(db.delete(Notification))
    casework.approve_outcome(case, world.actor(both), "Agreed.")  # the approver is not told of their own move
    assert sorted(notified()) == [("inv1@example.test", "approved"), ("lr@example.test", "approved")]


def test_the_other_moves_tell_nobody(world):
    case = world.closed()
    db.session.execute(db.delete(Notification))
    casework.reopen_case(case, world.actor(world.supervisor), "New evidence.")
    assert notified() == []


def test_a_move_that_rolls_back_leaves_no_notification_and_no_mail(app, world, monkeypatch):
    mail_on(app)
    case = world.ready_for_review()
    before = (
        db.session.scalar(select(db.func.count(Notification.id))),
        db.session.scalar(select(db.func.count(OutboxMessage.id))),
    )

    def fail(*args, **kwargs):
        raise RuntimeError("injected fault at commit")

    monkeypatch.setattr("project.services.audit.chain.row_hash", fail)
    with pytest.raises(RuntimeError, match="injected fault"):
        casework.submit_for_review(case, world.actor(world.investigator))
    monkeypatch.undo()
    assert before == (1, 1)  # the assignment's
    assert notified() == [("inv1@example.test", "assigned")]
    assert db.session.scalar(select(db.func.count(OutboxMessage.id))) == 1


# E-mail ----------------------------------------------------------------------------------------------------


def test_with_email_on_each_notice_queues_a_mail_with_only_the_case_number_and_a_link(app, world):
    assert world.open() and db.session.scalar(select(db.func.count(OutboxMessage.id))) == 0  # e-mail off: no mail
    mail_on(app)
    case = world.in_review()
    casework.approve_outcome(case, world.actor(world.supervisor), "Agreed.")
    mails = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
    approvals = [m for m in mails if "approved" in m.subject]
    assert sorted(m.to_address for m in approvals) == ["inv1@example.test", "lr@example.test"]
    mail = approvals[0]
    assert mail.subject == f"Casefile: case {case.number} was approved"
    assert f"https://casefile.doc.example/cases/{case.number}" in mail.body
    subject_name = case.subjects[0].employee.last_name
    for secret in (case.title, "Officer R. Reporter", "555-0100", subject_name, "Sue Supervisor", "Agreed."):
        assert secret not in mail.body and secret not in mail.subject
    assert (mail.sent_at, mail.attempts) == (None, 0)


def test_the_outbox_survives_an_smtp_outage_and_is_delivered_on_the_next_run(app, world, runner, frozen_clock):
    down = unused_port()
    mail_on(app, down)
    world.open()
    world.open(title="A second case")
    assert db.session.scalar(select(db.func.count(OutboxMessage.id))) == 2
    result = runner.invoke(args=["notifications", "send"])
    assert result.exit_code == 1 and "0 sent, 1 failed, 2 waiting" in result.output
    assert "ConnectionRefusedError" in result.output
    first, second = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
    db.session.refresh(first)
    assert (first.attempts, first.sent_at, second.attempts) == (1, None, 0)
    assert "ConnectionRefusedError" in (first.last_error or "")
    assert first.next_attempt_at == frozen_clock.current + notifications.backoff(1)
    outage_ends = frozen_clock.current
    with LocalSMTPServer() as smtp:
        assert notifications.send_outbox(settings(smtp.port)) == notifications.SendReport(
            1, 0, 1
        )  # the first waits its backoff
        frozen_clock.advance(minutes=1)
        assert notifications.send_outbox(settings(smtp.port)) == notifications.SendReport(1, 0, 0)
        assert notifications.send_outbox(settings(smtp.port)) == notifications.SendReport(0, 0, 0)  # nothing twice
    assert [(r.sender, r.recipients) for r in smtp.received] == [("casefile@doc.example", ["inv1@example.test"])] * 2
    mail = smtp.received[1].message
    assert mail["To"] == "inv1@example.test" and mail["Subject"].endswith("was assigned to you")
    assert "https://casefile.doc.example/cases/" in mail.get_payload()
    for message in (first, second):
        db.session.refresh(message)
    assert (second.sent_at, first.sent_at, first.attempts) == (outage_ends, frozen_clock.current, 1)


def test_a_refused_recipient_is_kept_for_later_and_the_others_are_delivered(app, world, frozen_clock):
    mail_on(app)
    case = world.in_review()
    db.session.execute(db.delete(OutboxMessage))
    db.session.commit()
    casework.approve_outcome(case, world.actor(world.supervisor), "Agreed.")
    with LocalSMTPServer(refuse={"inv1@example.test"}) as smtp:
        report = notifications.send_outbox(settings(smtp.port))
    assert (report.sent, report.failed, report.waiting) == (1, 1, 1)
    assert [r.recipients for r in smtp.received] == [["lr@example.test"]]
    kept = db.session.scalars(select(OutboxMessage).where(OutboxMessage.sent_at.is_(None))).one()
    assert kept.to_address == "inv1@example.test" and "SMTPRecipientsRefused" in (kept.last_error or "")


def test_sending_with_email_off_says_so_and_sends_nothing(runner):
    result = runner.invoke(args=["notifications", "send"])
    assert result.exit_code == 0 and "E-mail is off" in result.output


def test_the_smtp_settings_come_from_the_environment(tmp_path):
    env = {
        "APP_ENV": "testing",
        "SMTP_HOST": "mail.doc.example",
        "SMTP_PORT": "587",
        "SMTP_USERNAME": "casefile",
        "SMTP_PASSWORD": "pw",
        "SMTP_STARTTLS": "1",
        "MAIL_FROM": "casefile@doc.example",
        "PUBLIC_URL": "https://casefile.doc.example/",
    }
    config = build_config(str(tmp_path), env)
    assert MailSettings.from_config(config) == MailSettings(
        "mail.doc.example", 587, "casefile@doc.example", "casefile", "pw", True
    )
    assert config["PUBLIC_URL"] == "https://casefile.doc.example"
    assert MailSettings.from_config(build_config(str(tmp_path), {"APP_ENV": "testing"})) is None
    with pytest.raises(ConfigurationError, match="MAIL_FROM"):
        build_config(str(tmp_path), {"APP_ENV": "testing", "SMTP_HOST": "mail.doc.example"})
    with pytest.raises(ConfigurationError, match="SMTP_STARTTLS"):
        build_config(str(tmp_path), env | {"SMTP_STARTTLS": "0"})


# Deadlines -------------------------------------------------------------------------------------------------


def at(frozen_clock, day: date) -> None:
    frozen_clock.current = frozen_clock.current.replace(year=day.year, month=day.month, day=day.day)


def test_the_deadline_command_tells_labor_relations_once_when_due_within_the_warning_days_and_once_overdue(
    world, runner, frozen_clock
):
    case = world.approved_with_discipline(step="suspension", days=5)  # written notice due Monday 2026-03-09
    written_notice = db.session.scalars(select(DeadlineRule).where(DeadlineRule.code == "written_notice")).one()
    written_notice.warn_days = 2  # the rule's warning: due soon from Saturday 2026-03-07
    world.users.make(
        "labor_relations", email="subject.lr@example.test", employee_number=case.subjects[0].employee.employee_number
    )
    db.session.execute(db.delete(Notification))
    db.session.commit()

    def run() -> str:
        result = runner.invoke(args=["notifications", "deadlines"])
        assert result.exit_code == 0, result.output
        return result.output.strip()

    at(frozen_clock, date(2026, 3, 6))  # Friday: due in 3 days, not yet within the 2 days' warning
    assert run() == "Deadline notices: 0 added."
    at(frozen_clock, date(2026, 3, 7))  # Saturday: 2 days ahead is Monday 03-09
    assert (run(), run()) == ("Deadline notices: 1 added.", "Deadline notices: 0 added.")
    at(frozen_clock, date(2026, 3, 9))
    assert run() == "Deadline notices: 0 added."  # still due on the same date: told already
    at(frozen_clock, date(2026, 3, 10))
    assert (run(), run()) == ("Deadline notices: 1 added.", "Deadline notices: 0 added.")
    assert notified() == [("lr@example.test", "deadline_due"), ("lr@example.test", "deadline_overdue")]
    due, overdue = db.session.scalars(select(Notification).order_by(Notification.id)).all()
    name = case.subjects[0].employee.display_name
    assert due.message == f"{case.number}: Written notice of discipline ({name}) is due 2026-03-09."
    assert overdue.message == f"{case.number}: Written notice of discipline ({name}) was due 2026-03-09 and is overdue."
    assert due.link == f"/cases/{case.number}#labor"
    assert notifications.deadline_notices(date(2026, 3, 10)) == 0
