"""What a charge stands on: the reported post it charges, the date of the conduct, the directive version in
force on that date, whether the cited clause can be charged at all, and the facts a letter states."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from project import clock
from project.extensions import db
from project.models import Allegation, Case, Clause, Directive, DirectiveVersion, ReportedPost
from project.services import catalogue
from project.services.casework.findings.conduct import conduct_of
from project.services.errors import InvalidInput

KIND_LABELS = {
    "definition": "a definition",
    "reminder": "a reminder",
    "guidance": "guidance",
    "policy": "a policy statement",
    "authority": "an authority",
    "procedure": "a procedure",
    "lead_in": "a lead-in",
    "heading": "a heading",
    "responsibility": "a statement of responsibility",
    "unclassified": "not yet classified",
}
SUMMARY_LENGTH = 200


def posted_on(post: ReportedPost | None) -> date | None:
    """The local date the post was made, when known."""
    return clock.local_date(post.posted_at) if post is not None and post.posted_at is not None else None


def post_conduct_date(case: Case, post: ReportedPost | None) -> date:
    """The date of the conduct one charge stands on (``conduct.conduct_of`` of its post)."""
    return conduct_of([post] if post is not None else [], case.received_at).day


def charged_post(case: Case, post_id: int | None) -> ReportedPost | None:
    """The post an allegation charges: the one chosen, or the case's only post; none when the case has none."""
    if post_id is None:
        if len(case.posts) > 1:
            raise InvalidInput({"post": "Choose the post this allegation charges."})
        return case.posts[0] if case.posts else None
    post = db.session.get(ReportedPost, post_id)
    if post is None or post.case_id != case.id:
        raise InvalidInput({"post": "Choose a post of this case."})
    return post


def check_chargeable(case: Case, clause: Clause, post: ReportedPost | None) -> None:
    """Refuse a clause that is not a prohibition, or that is not of the version in force on the post's date."""
    if not clause.chargeable:
        label = KIND_LABELS.get(clause.kind, clause.kind)
        number = clause.version.directive.number
        hint = clause.cite_instead or f"cite the prohibition of AD {number} that the conduct breaches"
        raise InvalidInput({"citation": f"{clause.number} is {label}, not a prohibition: {hint}"})
    directive = clause.version.directive
    on = post_conduct_date(case, post)
    in_force = catalogue.version_in_force(directive, on)
    if in_force is None:
        first = min(v.effective_date for v in directive.versions)
        raise InvalidInput(
            {
                "citation": f"AD {directive.number} took effect on {first.isoformat()}; this post of "
                f"{on.isoformat()} was made before it, so AD {directive.number} cannot be charged for it"
            }
        )
    if in_force.id != clause.version_id:
        raise InvalidInput(
            {
                "citation": f"{clause.number} is from the version of AD {directive.number} effective "
                f"{clause.version.effective_date.isoformat()}; on {on.isoformat()}, the post's date, the version "
                f"effective {in_force.effective_date.isoformat()} was in force: cite its clause."
            }
        )


def chargeable_clauses(post: ReportedPost | None, case: Case | None = None) -> list[Clause]:
    """The prohibitions an allegation about ``post`` may cite: of each directive, the version in force on the
    post's date (all versions' when there is no post and no case)."""
    clauses = list(
        db.session.scalars(
            select(Clause)
            .join(DirectiveVersion)
            .where(Clause.kind == "prohibition")
            .order_by(DirectiveVersion.directive_id, DirectiveVersion.effective_date, Clause.position)
        )
    )
    owner = case or (post.case if post is not None else None)
    if owner is None:
        return clauses
    on = post_conduct_date(owner, post)
    in_force: dict[int, int | None] = {}
    for c in clauses:
        directive = c.version.directive
        if directive.id not in in_force:
            version = catalogue.version_in_force(directive, on)
            in_force[directive.id] = version.id if version else None
    return [c for c in clauses if in_force[c.version.directive_id] == c.version_id]


@dataclass(frozen=True)
class ChargeFacts:
    """What a letter states of one charge: the post (date, platform, account, a one-line summary), the
    citation, the text charged and the directive's title."""

    post_date: date | None
    platform: str
    account_handle: str
    summary: str
    citation: str
    charged_text: str
    directive_title: str
    number_inferred: bool = False


def summarize(text: str, length: int = SUMMARY_LENGTH) -> str:
    """The text on one line, cut at a word boundary near ``length`` characters, with "…" when cut."""
    line = " ".join(text.split())
    if len(line) <= length:
        return line
    cut = line[:length].rsplit(" ", 1)[0] if " " in line[:length] else line[:length]
    return cut.rstrip(" ,;:.") + "…"


def charged_directive(allegation: Allegation) -> Directive:
    """The directive an allegation charges: its clause's, or the directive it names without a clause."""
    if allegation.clause is not None:
        return allegation.clause.version.directive
    assert allegation.directive is not None, "an allegation cites a clause or a directive"
    return allegation.directive


def charge_facts(allegation: Allegation) -> ChargeFacts:
    post = allegation.post
    clause = allegation.clause
    text, inferred = (clause.charged_text, clause.number_inferred) if clause is not None else ("", False)
    title = charged_directive(allegation).title
    return ChargeFacts(
        post_date=posted_on(post),
        platform=post.platform_label if post is not None else "",
        account_handle=(post.account_handle or "") if post is not None else "",
        summary=summarize(post.text) if post is not None else "",
        citation=allegation.citation,
        charged_text=text,
        directive_title=title,
        number_inferred=inferred,
    )
