"""When the protected-speech screen is needed, and what it asks of a finding and of an approval (the screen
itself: ``speech_screen``)."""

from __future__ import annotations

from sqlalchemy import select

from project.extensions import db
from project.models import Allegation, SpeechScreen
from project.services.errors import InvalidInput


def needs_speech_screen(allegation: Allegation) -> bool:
    """An allegation under AD 2.26 section 5.b (off duty and personal use of social media)."""
    clause = allegation.clause
    return clause is not None and (clause.number == "5.b" or clause.number.startswith("5.b."))


def screen_of(allegation: Allegation) -> SpeechScreen | None:
    return db.session.scalars(select(SpeechScreen).where(SpeechScreen.allegation_id == allegation.id)).first()


def check_screened(allegation: Allegation) -> None:
    """Refuse a finding on a 5.b allegation whose protected-speech screen is not complete."""
    if needs_speech_screen(allegation) and screen_of(allegation) is None:
        raise InvalidInput(
            {
                "finding": "Complete the protected-speech screen for this off-duty post (AD 2.26 section 5.b) "
                "before recording a finding: public concern, private citizen, union activity, the disruption "
                "factors and how the content was obtained."
            }
        )


def overrides_needed(allegations: list[Allegation]) -> list[Allegation]:
    """The sustained 5.b allegations whose screen found a matter of public concern and no disruption: approving
    them needs the supervisor's written override."""
    needed = []
    for allegation in allegations:
        if allegation.finding is None or not allegation.finding.supports_discipline:
            continue
        screen = screen_of(allegation) if needs_speech_screen(allegation) else None
        if screen is not None and screen.needs_override:
            needed.append(allegation)
    return needed
