from __future__ import annotations

from collections.abc import Mapping

from wtforms import BooleanField, RadioField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import Length, Optional

from project.models import Allegation, SpeechScreen
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


YES_NO = [("yes", "Yes"), ("no", "No")]
ANSWERED = {"yes": True, "no": False}


class SpeechScreenForm(Form):
    """The protected-speech screen: each question of ``casework.QUESTIONS`` as ``<name>`` (yes / no) and
    ``<name>_reason``; the service says what is missing, next to its field."""

    obtained_how = RadioField(
        "How was the content obtained?", choices=list(casework.OBTAINED_LABELS.items()), validate_choice=False
    )
    obtained_detail = TextAreaField("How, in a few words (required for Other)", validators=[Length(max=2000)])
    no_credentials_demanded = BooleanField(
        "I attest that no one demanded the employee's user name, password or other access to a personal "
        "account to obtain this content (C.G.S. 31-40x)."
    )
    version = VersionField()

    def entry(self) -> casework.SpeechScreenInput:
        values: dict[str, object] = {}
        for name in casework.QUESTIONS:
            values[name] = ANSWERED.get(self[name].data or "")
            values[f"{name}_reason"] = self[f"{name}_reason"].data or ""
        return casework.SpeechScreenInput(
            **values,  # type: ignore[arg-type]
            obtained_how=self.obtained_how.data or "",
            obtained_detail=self.obtained_detail.data or "",
            no_credentials_demanded=bool(self.no_credentials_demanded.data),
        )

    def fill(self, screen: SpeechScreen) -> None:
        for name in casework.QUESTIONS:
            self[name].data = "yes" if getattr(screen, name) else "no"
            self[f"{name}_reason"].data = getattr(screen, f"{name}_reason")
        self.obtained_how.data = screen.obtained_how
        self.obtained_detail.data = screen.obtained_detail
        self.no_credentials_demanded.data = screen.no_credentials_demanded
        self.version.data = str(screen.row_version)


for _name, _question in casework.QUESTIONS.items():
    setattr(SpeechScreenForm, _name, RadioField(_question, choices=YES_NO, validate_choice=False))
    setattr(SpeechScreenForm, f"{_name}_reason", StringField("Why", validators=[Length(max=2000)]))
