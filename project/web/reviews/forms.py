from __future__ import annotations

from wtforms import RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from project.models import JustCauseAssessment
from project.services import casework
from project.web.forms_common import Form, coerce_id

DECISIONS = [
    ("approved", "Approve as submitted"),
    ("approved_with_modification", "Approve with modification (reason required)"),
    ("returned", "Return to the investigator (reasons required)"),
    ("closed_no_violation", "Close: no violation (no allegation sustained)"),
    ("closed_by_exception", "Close: covered by a Commissioner's written exception (AD 2.26 5.e)"),
]


class AssignForm(Form):
    investigator = SelectField("Investigator", choices=[], coerce=coerce_id, validate_choice=False)
    reason = TextAreaField("Reason (for a reassignment)", validators=[Optional(), Length(max=2000)])


class SubmitForm(Form):
    comment = TextAreaField("Comment for the reviewer", validators=[Optional(), Length(max=2000)])


class ReviewForm(Form):
    decision = RadioField("Decision", choices=DECISIONS, validators=[DataRequired(message="Choose a decision.")])
    reasons = TextAreaField("Reasons", validators=[Optional(), Length(max=5000)])
    speech_override = TextAreaField(
        "Your written override: why the sustained finding stands although the post is on a matter of public "
        "concern and no disruption was found (C.G.S. 31-51q)",
        validators=[Optional(), Length(max=5000)],
    )


class ReasonForm(Form):
    reason = TextAreaField("Reason", validators=[Optional(), Length(max=5000)])


YES_NO = [("yes", "Yes"), ("no", "No")]


class JustCauseForm(Form):
    """The seven tests of just cause as ``<test>`` (yes / no) and ``<test>_reason``, with the factors."""

    mitigating = TextAreaField("Mitigating factors (one per line)", validators=[Optional(), Length(max=10000)])
    aggravating = TextAreaField("Aggravating factors (one per line)", validators=[Optional(), Length(max=10000)])

    def entry(self) -> casework.JustCauseInput:
        answers = tuple(
            casework.TestAnswer(
                test, {"yes": True, "no": False}.get(self[test].data or ""), self[f"{test}_reason"].data or ""
            )
            for test in casework.JUST_CAUSE_TESTS
        )
        return casework.JustCauseInput(answers, self.mitigating.data or "", self.aggravating.data or "")

    def fill(self, recorded: JustCauseAssessment) -> None:
        for answer in recorded.answers:
            self[answer.test].data = "yes" if answer.met else "no"
            self[f"{answer.test}_reason"].data = answer.reason
        self.mitigating.data = recorded.mitigating
        self.aggravating.data = recorded.aggravating

    def fill_notice(self, met: bool | None, reason: str) -> None:
        self["notice"].data = {True: "yes", False: "no"}.get(met) if met is not None else None
        self["notice_reason"].data = reason


for _test, (_label, _question) in casework.JUST_CAUSE_TESTS.items():
    setattr(JustCauseForm, _test, RadioField(f"{_label}: {_question}", choices=YES_NO, validate_choice=False))
    setattr(JustCauseForm, f"{_test}_reason", StringField(f"Why ({_label.lower()})", validators=[Length(max=2000)]))
