"""Delivering the e-mail outbox with smtplib: ``flask notifications send``, run by cron every few minutes.

The messages were written by ``project.services.notifications.inbox`` in the transaction of the event they tell of,
and hold no confidential case detail: the case number, what happened to it and a link to the case, whose content
stays behind sign-in. Each delivery is its own transaction. A delivered message gets ``sent_at``; a failed one
keeps its row, counts the attempt, keeps the error and waits (1, 2, 4 ... minutes, at most an hour) before it is
tried again, so a mail outage loses nothing: the messages wait in the database until the server answers.

When the server itself fails (refused connection, time-out, lost connection, failed sign-in) the run stops after
recording that failure on the message it was sending, and the rest wait for the next run. A message the server
refuses (its recipient, say) is recorded as failed and the run goes on. On PostgreSQL two runs at once skip each
other's rows (FOR UPDATE SKIP LOCKED). Delivery is at least once: a crash between the server's acceptance and the
commit sends that message again on the next run.
"""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from datetime import timedelta
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr
from typing import Any

from sqlalchemy import func, select

from project import clock
from project.extensions import db
from project.models import OutboxMessage
from project.transaction import committing

MAX_BACKOFF_MINUTES = 60
# The server answered and refused this one message: record it and go on with the next.
MESSAGE_REFUSED = (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused, smtplib.SMTPDataError)


@dataclass(frozen=True)
class MailSettings:
    host: str
    port: int
    sender: str
    username: str | None = None
    password: str | None = None
    starttls: bool = False
    timeout: float = 30.0

    @classmethod
    def from_config(cls, config: Any) -> MailSettings | None:
        """The app's SMTP settings, or None when e-mail is off (no SMTP_HOST)."""
        if not config.get("SMTP_HOST"):
            return None
        return cls(
            host=config["SMTP_HOST"],
            port=config["SMTP_PORT"],
            sender=config["MAIL_FROM"],
            username=config.get("SMTP_USERNAME"),
            password=config.get("SMTP_PASSWORD"),
            starttls=bool(config.get("SMTP_STARTTLS")),
        )


@dataclass(frozen=True)
class SendReport:
    sent: int
    failed: int
    waiting: int  # undelivered messages left in the outbox, due now or later
    last_error: str | None = None


def backoff(attempts: int) -> timedelta:
    """How long a message waits after its ``attempts``-th failure."""
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), MAX_BACKOFF_MINUTES))


def send_outbox(settings: MailSettings, limit: int = 500) -> SendReport:
    """Deliver the messages that are due, oldest first, at most ``limit`` of them."""
    connection: smtplib.SMTP | None = None
    sent = failed = 0
    last_error = None
    try:
        while sent + failed < limit:
            with committing("the outbox"):  # each message's row lock ends with its own commit or rollback
                message = _next_due()
                if message is None:
                    break
                try:
                    if connection is None:
                        connection = _connect(settings)
                    connection.send_message(_email(message, settings.sender))
                except (smtplib.SMTPException, OSError) as exc:
                    failed += 1
                    last_error = _failed(message, exc)
                    if not isinstance(exc, MESSAGE_REFUSED):
                        break
                    continue
                message.sent_at = clock.now()
            sent += 1
    finally:
        if connection is not None:
            _close(connection)
    return SendReport(sent, failed, _waiting(), last_error)


def _next_due() -> OutboxMessage | None:
    return db.session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.sent_at.is_(None), OutboxMessage.next_attempt_at <= clock.now())
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(1)
        .with_for_update(skip_locked=True)
    ).first()


def _waiting() -> int:
    unsent = select(func.count()).select_from(OutboxMessage).where(OutboxMessage.sent_at.is_(None))
    return db.session.scalar(unsent) or 0


def _failed(message: OutboxMessage, exc: BaseException) -> str:
    message.attempts += 1
    message.last_error = f"{type(exc).__name__}: {exc}"[:500]
    message.next_attempt_at = clock.now() + backoff(message.attempts)
    return message.last_error


def _connect(settings: MailSettings) -> smtplib.SMTP:
    connection = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
    try:
        if settings.starttls:
            connection.starttls(context=ssl.create_default_context())
        if settings.username:
            connection.login(settings.username, settings.password or "")
    except BaseException:
        connection.close()
        raise
    return connection


def _close(connection: smtplib.SMTP) -> None:
    try:
        connection.quit()
    except (smtplib.SMTPException, OSError):
        connection.close()


def _email(message: OutboxMessage, sender: str) -> EmailMessage:
    email = EmailMessage()
    email["From"] = sender
    email["To"] = message.to_address
    email["Subject"] = message.subject
    email["Date"] = format_datetime(message.created_at)
    email["Message-ID"] = make_msgid(f"outbox-{message.id}", domain=parseaddr(sender)[1].partition("@")[2] or None)
    email.set_content(message.body)
    return email
