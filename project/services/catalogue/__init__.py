"""The catalogue: AD 2.26 and its versions and clauses, the department's discipline settings for
applying AD 2.6 (ladder, look-backs, title rules, matrix), findings, deadline rules and the state holidays,
loaded from seed_data/ and read by the rest.

Other code imports only the names below; the modules of the package are its own."""

from __future__ import annotations

from project.services.catalogue.letter_wording import (
    KIND_LABELS,
    PLACEHOLDERS,
    REQUIRED,
    check_letter_kind,
    fill,
    latest_template,
    may_edit_templates,
    save_template,
    template_editors,
    template_versions,
)
from project.services.catalogue.loading import (
    clause,
    current_ladder,
    directive_by_number,
    directives,
    displayed_version,
    load_catalogue,
    version_in_force,
)
from project.services.catalogue.reference import reference_lists
from project.services.catalogue.seed_files import SeedDataError

__all__ = [
    "KIND_LABELS",
    "PLACEHOLDERS",
    "REQUIRED",
    "SeedDataError",
    "check_letter_kind",
    "clause",
    "current_ladder",
    "directive_by_number",
    "directives",
    "displayed_version",
    "fill",
    "latest_template",
    "load_catalogue",
    "may_edit_templates",
    "reference_lists",
    "save_template",
    "template_editors",
    "template_versions",
    "version_in_force",
]
