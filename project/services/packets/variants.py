"""The packet variants, as data: who may print each, what it attaches, what it masks and what it checks.

The codes "full" and "redacted" are those stored on every printing, print job and cached packet since the
first release; they stay the codes of the internal packet and of the employee / union copy (only the labels
changed), so no stored row, cached file or saved link changes meaning. "public" is the copy released under
Connecticut's Freedom of Information Act, after the notice of C.G.S. 1-214."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from project import permissions
from project.models import Case

Allowed = Callable[[Any, Case], bool]


@dataclass(frozen=True)
class Variant:
    """One kind of packet and its rules. ``masks_identifiers`` masks the case's protected people (the
    reporter, witnesses, inmates, other employees) in every printed field, the post text included; the other
    ``masks_*`` say what else is left out."""

    code: str
    label: str
    masks: str  # one line, for the print page: what this variant leaves out
    may_print: Allowed
    attaches_originals: bool
    masks_identifiers: bool
    masks_employee_numbers: bool
    masks_prior_discipline: bool  # every subject's prior discipline (public); False keeps it
    masks_other_subjects: bool  # another subject's discipline and identity (the employee's own file)
    needs_recipient: bool
    needs_release_review: bool  # every exhibit reviewed for release (redacted, as it is, or withheld)
    checks_leaks: bool
    needs_release_notice: bool  # the C.G.S. 1-214 notice recorded and its objection window passed

    @property
    def is_release(self) -> bool:
        return self.needs_recipient


INTERNAL = Variant(
    code="full",
    label="Internal packet (full)",
    masks=(
        "Masks nothing: names the reporter and every protected person, attaches the original files. Only for "
        "those who may see the reporter."
    ),
    may_print=lambda user, case: permissions.can_print_internal_packet(user, case),
    attaches_originals=True,
    masks_identifiers=False,
    masks_employee_numbers=False,
    masks_prior_discipline=False,
    masks_other_subjects=False,
    needs_recipient=False,
    needs_release_review=False,
    checks_leaks=False,
    needs_release_notice=False,
)
EMPLOYEE = Variant(
    code="redacted",
    label="Employee / union copy",
    masks=(
        "The employee's own file: masks the reporter and every protected person, and leaves out any other "
        "subject's identity and discipline. The employee's own prior discipline stays. Redacted exhibits."
    ),
    may_print=lambda user, case: permissions.can_print_packet(user, case),
    attaches_originals=False,
    masks_identifiers=True,
    masks_employee_numbers=False,
    masks_prior_discipline=False,
    masks_other_subjects=True,
    needs_recipient=True,
    needs_release_review=True,
    checks_leaks=True,
    needs_release_notice=False,
)
PUBLIC = Variant(
    code="public",
    label="Public release (FOIA)",
    masks=(
        "Masks the reporter, every protected person and other employees wherever they appear (post text too), "
        "every employee number and all prior discipline. Redacted exhibits. Only after the C.G.S. 1-214 notice "
        "to the employee and the union and its objection window."
    ),
    may_print=lambda user, case: permissions.can_print_packet(user, case),
    attaches_originals=False,
    masks_identifiers=True,
    masks_employee_numbers=True,
    masks_prior_discipline=True,
    masks_other_subjects=False,
    needs_recipient=True,
    needs_release_review=True,
    checks_leaks=True,
    needs_release_notice=True,
)

VARIANTS: dict[str, Variant] = {v.code: v for v in (INTERNAL, EMPLOYEE, PUBLIC)}


def variant_named(code: str) -> Variant | None:
    return VARIANTS.get(code)


def variants_for(user: Any, case: Case) -> list[Variant]:
    """The variants this person may print of this case, in the order the print page offers them."""
    return [v for v in VARIANTS.values() if v.may_print(user, case)]


def variants_for_any(user: Any, cases: list[Case]) -> list[Variant]:
    """The variants this person may print of every one of these cases (the batch page)."""
    return [v for v in VARIANTS.values() if cases and all(v.may_print(user, c) for c in cases)]
