"""The lines of the review snapshot (``review_history.content_snapshot``): the helpers every snapshot line uses,
and the interviews and protected-speech screens of a case, so a reviewer sees what changed in them between one
submission and the next. Names are kept as written: the review page masks every protected identifier of the
case when it shows the lines."""

from __future__ import annotations

from datetime import datetime

from project.models import Case, Interview, InterviewKind, SpeechScreen

DISRUPTION_WORDS = {
    "operations": "operations",
    "relationships": "working relationships",
    "discipline": "discipline",
    "public_trust": "public trust",
}


def yes_no(value: bool | None) -> str:
    return "unknown" if value is None else ("yes" if value else "no")


def when(moment: datetime | None) -> str:
    return f"{moment:%Y-%m-%d %H:%M} UTC" if moment else "date unknown"


def block(label: str, text: str, indent: str = "  ") -> list[str]:
    """A labelled multi-line text, one snapshot line per line of text, so a diff shows the line that changed."""
    lines = (text or "").strip().splitlines() or [""]
    return [f"{indent}{label}: {lines[0]}"] + [f"{indent}  {line}" for line in lines[1:]]


def _who(interview: Interview) -> str:
    if interview.subject is not None:
        return f"{interview.subject.employee.display_name} (subject)"
    person = interview.person
    return f"{person.name} ({person.role_label.lower()})" if person is not None else "unknown"


def interview_lines(case: Case) -> list[str]:
    """Each interview: who, kind, when, where, by whom, Garrity or the referral, Weingarten, the summary and the
    recordings by exhibit number."""
    # it imports the life cycle, which imports us
    from project.services.casework.investigation.interviews import interviews_of

    lines = ["Interviews"]
    for number, interview in enumerate(interviews_of(case), start=1):
        kind = InterviewKind(interview.kind)
        lines.append(f"Interview {number}: {_who(interview)}, {kind.label}, {when(interview.held_at)}")
        interviewers = ", ".join(user.name for user in interview.interviewers) or "none named"
        lines.append(f"  Place: {interview.place}; interviewers: {interviewers}")
        if kind is InterviewKind.ADMINISTRATIVE:
            given = "given" if interview.garrity_given else "not given"
            acknowledged = "acknowledged" if interview.garrity_acknowledged else "not acknowledged"
            lines.append(f"  Garrity: warning {given}, {acknowledged}; form {interview.garrity_form_version or 'none'}")
        if kind is InterviewKind.CRIMINAL:
            lines.append(f"  Referred to {interview.referred_to or 'unknown'} on {interview.referred_on or 'unknown'}")
        if interview.representation == "requested":
            rep = f"{interview.representative_name} ({interview.representative_union})"
            lines.append(f"  Union representative: requested, {rep}")
        elif interview.representation == "waived":
            lines.append("  Union representative: waived")
        lines += block("Summary", interview.summary)
        recordings = ", ".join(str(e.number) for e in interview.recordings) or "none"
        lines.append(f"  Recordings: {recordings}")
    return lines


def screen_lines(screen: SpeechScreen | None, indent: str = "    ") -> list[str]:
    """A 5.b allegation's protected-speech screen: the threshold answers, the disruption factors, how the content
    was obtained."""
    if screen is None:
        return []
    disruption = "; ".join(
        f"{words} {yes_no(getattr(screen, f'disrupts_{factor}'))}" for factor, words in DISRUPTION_WORDS.items()
    )
    return [
        f"{indent}Protected-speech screen: public concern {yes_no(screen.public_concern)}; "
        f"private citizen {yes_no(screen.private_citizen)}; union activity {yes_no(screen.union_activity)}",
        f"{indent}  Disruption: {disruption}",
        f"{indent}  Obtained: {screen.obtained_how}{': ' + screen.obtained_detail if screen.obtained_detail else ''}",
    ]
