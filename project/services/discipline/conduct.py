"""The date of the conduct: the day the suggestion is made on. Prior discipline is what was imposed before
it and still active on it, and the ladder is the one in force on it, whatever day the proposal is made."""

from __future__ import annotations

from project.models import CaseSubject
from project.services.casework import ConductDate, allegations_of, conduct_of


def conduct_date(subject: CaseSubject) -> ConductDate:
    """The conduct date of the posts the subject's allegations charge (all the case's reported posts when
    none names one), by the one rule of ``casework.conduct_of``."""
    charged = {a.post.id: a.post for a in allegations_of(subject) if a.post is not None}
    return conduct_of(list(charged.values()) or subject.case.posts, subject.case.received_at)
