"""Intake and the case record: logging a complaint with its reported posts, numbering the case, and
editing what the complaint says. Subjects are linked in ``subjects``."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlsplit

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from project import clock, permissions
from project.extensions import db
from project.models import (
    Case,
    CaseNumberCounter,
    CaseState,
    CaseTransition,
    ComplaintSource,
    Platform,
    ReportedPost,
)
from project.services import submissions
from project.services.audit import Actor, record_for
from project.services.casework.intake.post_keys import handle_key, url_key
from project.services.casework.intake.seen_before import seen_before
from project.services.casework.review.life_cycle import content_changed
from project.services.errors import InvalidInput, StaleEdit, check_version
from project.transaction import committing


@dataclass
class ComplaintInput:
    title: str
    complaint_source: str
    received_at: datetime
    narrative: str = ""
    reporter_name: str | None = None
    reporter_contact: str | None = None
    facility: str | None = None


@dataclass
class PostInput:
    platform: str
    url: str | None = None
    account_handle: str | None = None
    display_name: str | None = None
    posted_at: datetime | None = None
    first_seen_at: datetime | None = None
    text: str = ""
    identified_as_doc: bool | None = None
    on_duty: bool | None = None
    doc_insignia: bool | None = None
    attribution: str = ""
    errors: dict[str, str] = field(default_factory=dict, repr=False)


def allocate_case_number(year: int) -> tuple[str, int]:
    """The next ``SM-YYYY-NNNN``: the counter row is written first, so concurrent openings queue on its lock
    (PostgreSQL row lock, SQLite write lock) and never share a number."""
    dialect = db.session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    db.session.execute(insert(CaseNumberCounter).values(year=year, last_value=0).on_conflict_do_nothing())
    db.session.execute(
        update(CaseNumberCounter)
        .where(CaseNumberCounter.year == year)
        .values(last_value=CaseNumberCounter.last_value + 1)
        .execution_options(synchronize_session=False)
    )
    sequence = db.session.scalar(select(CaseNumberCounter.last_value).where(CaseNumberCounter.year == year))
    assert sequence is not None
    return f"SM-{year:04d}-{sequence:04d}", sequence


def _check_complaint(data: ComplaintInput) -> dict[str, str]:
    errors = {}
    if not data.title.strip():
        errors["title"] = "Give the case a short title."
    elif len(data.title.strip()) > 200:
        errors["title"] = "The title must be at most 200 characters."
    if data.complaint_source not in {s.value for s in ComplaintSource}:
        errors["complaint_source"] = "Choose how the complaint came in."
    if data.received_at > clock.now():
        errors["received_at"] = "The complaint cannot have been received in the future."
    return errors


def _check_post(post: PostInput, prefix: str = "") -> dict[str, str]:
    errors = {}
    if post.platform not in {p.value for p in Platform}:
        errors[prefix + "platform"] = "Choose the platform."
    if post.url:
        parts = urlsplit(post.url.strip())
        if parts.scheme not in ("http", "https") or not parts.netloc:
            errors[prefix + "url"] = "The post URL must start with http:// or https://."
    now = clock.now()
    for name in ("posted_at", "first_seen_at"):
        value = getattr(post, name)
        if value is not None and value > now:
            errors[prefix + name] = "This time is in the future."
    if post.posted_at and post.first_seen_at and post.first_seen_at < post.posted_at:
        errors[prefix + "first_seen_at"] = "The post cannot have been seen before it was posted."
    if not (post.text.strip() or post.url):
        errors[prefix + "text"] = "Transcribe the post, or give its URL."
    return errors


def _post_values(post: PostInput) -> dict[str, object]:
    return {
        "platform": post.platform,
        "url": (post.url or "").strip() or None,
        "account_handle": (post.account_handle or "").strip() or None,
        "display_name": (post.display_name or "").strip() or None,
        "posted_at": post.posted_at,
        "first_seen_at": post.first_seen_at,
        "text": post.text.strip(),
        "identified_as_doc": post.identified_as_doc,
        "on_duty": post.on_duty,
        "doc_insignia": post.doc_insignia,
        "attribution": post.attribution.strip(),
        "url_key": url_key(post.url),
        "handle_key": handle_key(post.account_handle),
    }


def _seen_before_detail(posts: list[PostInput], actor: Actor, case: Case) -> dict[str, object]:
    """For the audit event of a saved post: the earlier cases it matched, as the person was told of them."""
    found = [seen_before(p.platform, p.url, p.account_handle, actor.user, case) for p in posts]
    if not any(found):
        return {}
    return {"seen_before": [f.audit_detail() for f in found if f]}


def log_complaint(data: ComplaintInput, posts: list[PostInput], actor: Actor, form_token: str | None = None) -> Case:
    """Open a case in intake for a complaint and its reported posts. All of it is saved, or none. A
    ``form_token`` already used for a complaint returns that case: a retried submit opens one case."""
    permissions.require(permissions.can_log_complaint(actor.user), "Only investigators and supervisors log complaints.")
    if (earlier := submissions.logged_case(form_token, actor)) is not None:
        return earlier
    try:
        return _log(data, posts, actor, form_token)
    except StaleEdit:  # the same form, submitted twice at once: the other submit opened the case
        if (earlier := submissions.logged_case(form_token, actor)) is None:
            raise
        return earlier


def _log(data: ComplaintInput, posts: list[PostInput], actor: Actor, form_token: str | None) -> Case:
    errors = _check_complaint(data)
    if not posts:
        errors["posts"] = "Record at least one reported post."
    for index, post in enumerate(posts):
        errors |= _check_post(post, prefix="" if index == 0 else f"posts-{index}-")
    if errors:
        raise InvalidInput(errors)
    with committing("this case", duplicate_is_conflict=form_token is not None):
        number, sequence = allocate_case_number(clock.local_today().year)
        now = clock.now()
        case = Case(
            number=number,
            year=int(number[3:7]),
            sequence=sequence,
            state=CaseState.INTAKE.value,
            title=data.title.strip(),
            narrative=data.narrative.strip(),
            complaint_source=data.complaint_source,
            received_at=data.received_at,
            reporter_name=(data.reporter_name or "").strip() or None,
            reporter_contact=(data.reporter_contact or "").strip() or None,
            facility=(data.facility or "").strip() or None,
            created_by_id=actor.user.id,
            created_at=now,
            updated_at=now,
            content_changed_at=now,
        )
        db.session.add(case)
        db.session.flush()
        for post in posts:
            db.session.add(
                ReportedPost(case_id=case.id, created_by_id=actor.user.id, created_at=now, **_post_values(post))
            )
        db.session.add(
            CaseTransition(
                case_id=case.id,
                from_state=None,
                to_state=CaseState.INTAKE.value,
                action="logged",
                actor_id=actor.user.id,
                occurred_at=now,
                content_version=1,
            )
        )
        record_for(
            actor,
            "case.logged",
            case_id=case.id,
            object_type="case",
            object_id=case.id,
            detail={"number": number, "posts": len(posts), "source": data.complaint_source}
            | _seen_before_detail(posts, actor, case),
        )
        submissions.claim(form_token, "complaint", case.id, case.id, actor)
    return case


def update_complaint(case: Case, data: ComplaintInput, actor: Actor, expected_version: int | None) -> None:
    permissions.require(permissions.can_edit_case(actor.user, case))
    check_version(case.row_version, expected_version, f"case {case.number}")
    errors = _check_complaint(data)
    if errors:
        raise InvalidInput(errors)
    with committing(f"case {case.number}"):
        before = {"title": case.title, "narrative": case.narrative, "facility": case.facility}
        case.title, case.narrative = data.title.strip(), data.narrative.strip()
        case.complaint_source, case.received_at = data.complaint_source, data.received_at
        if permissions.can_see_reporter(actor.user, case):  # others never see the reporter, so never change it
            case.reporter_name = (data.reporter_name or "").strip() or None
            case.reporter_contact = (data.reporter_contact or "").strip() or None
        case.facility = (data.facility or "").strip() or None
        content_changed(case, actor, "complaint edited")
        record_for(
            actor,
            "case.edited",
            case_id=case.id,
            object_type="case",
            object_id=case.id,
            detail={
                "before": before,
                "after": {"title": case.title, "narrative": case.narrative, "facility": case.facility},
            },
        )


def add_post(case: Case, post: PostInput, actor: Actor) -> ReportedPost:
    permissions.require(permissions.can_edit_case(actor.user, case))
    errors = _check_post(post)
    if errors:
        raise InvalidInput(errors)
    with committing(f"case {case.number}"):
        row = ReportedPost(case_id=case.id, created_by_id=actor.user.id, created_at=clock.now(), **_post_values(post))
        db.session.add(row)
        db.session.flush()
        content_changed(case, actor, "reported post added")
        record_for(
            actor,
            "post.added",
            case_id=case.id,
            object_type="post",
            object_id=row.id,
            detail=_seen_before_detail([post], actor, case),
        )
    return row


def update_post(case: Case, row: ReportedPost, post: PostInput, actor: Actor, expected_version: int | None) -> None:
    permissions.require(permissions.can_edit_case(actor.user, case) and row.case_id == case.id)
    check_version(row.row_version, expected_version, "this post")
    errors = _check_post(post)
    if errors:
        raise InvalidInput(errors)
    with committing("this post"):
        values = _post_values(post)
        before = {key: str(getattr(row, key)) for key in values}
        for key, value in values.items():
            setattr(row, key, value)
        content_changed(case, actor, "reported post edited")
        record_for(
            actor,
            "post.edited",
            case_id=case.id,
            object_type="post",
            object_id=row.id,
            detail={"before": before, "after": {key: str(value) for key, value in values.items()}},
        )


def find_case(number: str) -> Case | None:
    """The case of this number; None for anything no case number can be (too long, control characters)."""
    number = number.strip()
    if not number or len(number) > 32 or not number.isprintable():
        return None
    return db.session.scalars(select(Case).where(Case.number == number)).first()


def case_by_id(case_id: int) -> Case | None:
    return db.session.get(Case, case_id)


def post_of_case(case: Case, post_id: int) -> ReportedPost | None:
    post = db.session.get(ReportedPost, post_id)
    return post if post is not None and post.case_id == case.id else None
