"""Auditing refused requests without letting a flood of them swamp the audit trail (issue 15, F6).

A refusal is a request for a case the person may not see, an action their role or the case's state does not
allow, a form posted without a valid CSRF token, or an upload over the size limit. The first refusal of a kind
by one person (or, signed out, one address) in a minute writes an ``access.refused`` audit event naming the
path; every refusal, the first included, is counted in that minute's ``refusal_tallies`` row. So 2,000 refused
requests in a minute add one audit row and a count of 2,000.

The refusal is written in a transaction of its own, after anything the failed request left pending is rolled
back, and a failure to write it is logged, never turned into an error page of its own.
"""

from __future__ import annotations

import logging

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from project import clock
from project.extensions import db
from project.models import RefusalTally, User
from project.services import audit
from project.transaction import committing

KINDS = frozenset({"case_hidden", "forbidden", "csrf", "upload_too_large", "upload_refused"})
log = logging.getLogger(__name__)


def record_refusal(
    kind: str, *, user: User | None, remote_addr: str | None, path: str, case_id: int | None = None
) -> None:
    """Count a refused request; audit it when it is the first of its kind by this person this minute."""
    assert kind in KINDS, kind
    who = f"user:{user.id}" if user is not None else f"address:{remote_addr or 'unknown'}"
    minute = clock.now().replace(second=0, microsecond=0)
    try:
        db.session.rollback()  # nothing of the refused request is saved with its refusal
        for _ in range(2):  # a parallel first refusal may insert the row between our update and insert
            try:
                if _count(who, kind, minute):
                    return
                with committing("the audit trail"):
                    db.session.add(RefusalTally(who=who, kind=kind, minute=minute, count=1))
                    db.session.flush()
                    audit.record(
                        "access.refused",
                        actor=user,
                        remote_addr=remote_addr,
                        case_id=case_id,
                        detail={"kind": kind, "path": path[:300]},
                    )
                return
            except IntegrityError:
                continue
    except SQLAlchemyError:
        log.exception("could not audit a refused request (%s %s)", kind, path[:300])


def _count(who: str, kind: str, minute: object) -> bool:
    with committing("the audit trail"):
        counted = db.session.execute(
            update(RefusalTally)
            .where(RefusalTally.who == who, RefusalTally.kind == kind, RefusalTally.minute == minute)
            .values(count=RefusalTally.count + 1)
            .execution_options(synchronize_session=False)
        )
    return getattr(counted, "rowcount", 0) == 1
