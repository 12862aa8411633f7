from __future__ import annotations

from collections.abc import Mapping

from wtforms import SelectField, SelectMultipleField, TextAreaField
from wtforms.validators import Length, Optional

from project.models import Allegation
from project.services import casework
from project.web.forms_common import Form, VersionField, coerce_id


class AllegationForm(Form):
    subject = SelectField("Subject employee", choices=[], coerce=str)
    post = SelectField("Post charged", choices=[], coerce=str, validate_choice=False)  # checked by the service
    citation = SelectField("Provision", choices=[], coerce=str)
    reasoning = TextAreaField("Reasoning", validators=[Optional(), Length(max=20000)])
    exhibits = SelectMultipleField("Supporting exhibits", choices=[], coerce=coerce_id, validate_choice=False)

    def entry(self) -> casework.AllegationInput:
        post = self.post.data or ""
        return casework.AllegationInput(
            self.citation.data,
            self.reasoning.data or "",
            self.exhibits.data or [],
            int(post) if post.isdigit() else None,
        )


class FindingForm(Form):
    finding = SelectField("Finding", choices=[], coerce=str)
    reasoning = TextAreaField("Reasoning", validators=[Optional(), Length(max=20000)])
    exhibits = SelectMultipleField("Supporting exhibits", choices=[], coerce=coerce_id, validate_choice=False)
    version = VersionField()

    def entry(self, answers: tuple[casework.ElementAnswer, ...] = ()) -> casework.FindingInput:
        return casework.FindingInput(self.finding.data, self.reasoning.data or "", self.exhibits.data or [], answers)


MET = {"met": True, "not_met": False}


def element_answers(data: Mapping[str, str], allegation: Allegation) -> tuple[casework.ElementAnswer, ...]:
    """The checklist's answers: ``element-<id>`` is ``met`` or ``not_met`` (else unanswered), with
    ``element-<id>-note``."""
    elements = allegation.clause.elements if allegation.clause is not None else []
    return tuple(
        casework.ElementAnswer(e.id, MET.get(data.get(f"element-{e.id}", "")), data.get(f"element-{e.id}-note", ""))
        for e in elements
    )


def shown_answers(
    answers: tuple[casework.ElementAnswer, ...] | None, allegation: Allegation
) -> dict[int, tuple[str, str]]:
    """What the checklist shows checked, by element id: the answers posted, else those recorded."""
    if answers is None:
        return {f.element_id: ("met" if f.met else "not_met", f.note) for f in allegation.element_findings}
    named = {True: "met", False: "not_met", None: ""}
    return {a.element_id: (named[a.met], a.note) for a in answers}
