"""The one way a use case ends its transaction.

A use case writes its changes and its audit events inside ``with committing("what it saves"):``; leaving the
block commits them together. Any failure inside the block, or at the commit itself, rolls all of it back
and is raised again, so the database never keeps half of a use case. Nothing else in the services commits
or rolls back.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from project.extensions import db
from project.services.errors import StaleEdit


@contextmanager
def committing(what: str = "this record", *, duplicate_is_conflict: bool = False) -> Iterator[None]:
    """Commit the block's changes, or roll all of them back.

    A concurrent save of the same row (its version moved on) becomes ``StaleEdit`` naming ``what``. With
    ``duplicate_is_conflict``, so does a unique constraint refusing a second "one per subject" row created
    by someone else at the same moment. Every other failure is raised unchanged, after the rollback.
    """
    conflicts: tuple[type[Exception], ...] = (
        (StaleDataError, IntegrityError) if duplicate_is_conflict else (StaleDataError,)
    )
    try:
        yield
        db.session.commit()
    except conflicts as exc:
        db.session.rollback()
        raise StaleEdit(what) from exc
    except BaseException:
        db.session.rollback()
        raise
