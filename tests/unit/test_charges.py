"""Charges that hold: only prohibitions are charged, the version in force on the post's date applies, and a
finding answers each element of the clause it cites (issue 14, part 3)."""

from __future__ import annotations

import re
import shutil
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from project import clock
from project.commands import SEED_DIR
from project.extensions import db
from project.models import (
    Allegation,
    AuditEvent,
    Case,
    Clause,
    ClauseElement,
    Directive,
    DirectiveVersion,
    ReportedPost,
)
from project.services import casework, catalogue
from project.services.errors import InvalidInput
from tests.factories import screen_speech

CHARGEABLE = ["1.a", "5.a", "5.a.iii"] + [f"5.b.i.{n}" for n in range(1, 9)] + ["5.c"]


def ad_2_26_clause(number: str, effective: date = date(2018, 12, 3)) -> Clause:
    return db.session.scalars(
        select(Clause)
        .join(DirectiveVersion)
        .join(Directive)
        .where(Directive.number == "2.26", DirectiveVersion.effective_date == effective, Clause.number == number)
    ).one()


def frame(world, case: Case, number: str, post_id: int | None = None):
    clause = ad_2_26_clause(number)
    entry = casework.AllegationInput(f"clause:{clause.id}", "", [], post_id)
    return casework.frame_allegation(case, case.subjects[0], entry, world.actor(world.investigator))


def answers(allegation, met: bool = True, **by_code: bool) -> tuple[casework.ElementAnswer, ...]:
    return tuple(
        casework.ElementAnswer(e.id, by_code.get(e.code, met), f"{e.code} checked") for e in allegation.clause.elements
    )


def find(world, case, allegation, finding: str, given) -> None:
    entry = casework.FindingInput(finding, "Reasoning on the evidence.", [], given)
    screen_speech(case, allegation, world.actor(world.investigator))
    casework.record_finding(case, allegation, entry, world.actor(world.investigator), allegation.row_version)


def set_post(world, case: Case, **facts: object) -> None:
    post = case.posts[0]
    values = {
        name: getattr(post, name)
        for name in ("platform", "url", "account_handle", "display_name", "posted_at", "first_seen_at", "text")
    } | {name: getattr(post, name) for name in ("identified_as_doc", "on_duty", "doc_insignia", "attribution")}
    casework.update_post(
        case, post, casework.PostInput(**(values | facts)), world.actor(world.investigator), post.row_version
    )


def test_only_the_prohibitions_of_ad_2_26_are_chargeable(world, frozen_clock):
    kinds = {c.number: c.kind for c in db.session.scalars(select(Clause))}
    assert sorted(n for n, kind in kinds.items() if kind == "prohibition") == sorted(CHARGEABLE)
    assert (kinds["4.a"], kinds["4.b"], kinds["5.b.ii"], kinds["5.b.i"]) == (
        "responsibility",
        "responsibility",
        "guidance",
        "lead_in",
    )
    assert all(c.kind_reason for c in db.session.scalars(select(Clause)) if c.text)
    assert sorted(c.number for c in casework.citable_clauses()) == sorted(CHARGEABLE)


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("5.a.i", "5.a.i is a definition, not a prohibition: cite the prohibition it defines, 5.a"),
        ("4.c", "4.c is a reminder, not a prohibition: cite the prohibition the content breaches"),
        ("5.a.ii", "5.a.ii is a reminder, not a prohibition: cite 5.a for personal use while on duty"),
        ("5.b.i", "5.b.i is a lead-in, not a prohibition: cite the subject it lists that the post discusses"),
        ("5.d", "5.d is a procedure, not a prohibition: cite the prohibition violated"),
        ("3.j", "3.j is a definition, not a prohibition: cite the prohibition of AD 2.26 that the conduct breaches"),
        ("2.a", "2.a is an authority, not a prohibition"),
        ("4.a", "4.a is a statement of responsibility, not a prohibition: cite the prohibition the content"),
        ("5.b.ii", "5.b.ii is guidance, not a prohibition: cite the prohibition the post breaches"),
    ],
)
def test_a_clause_that_is_not_a_prohibition_is_refused_with_what_to_cite(world, frozen_clock, number, message):
    case = world.open()
    world.with_subject(case)
    with pytest.raises(InvalidInput) as refused:
        frame(world, case, number)
    assert refused.value.errors["citation"].startswith(message)
    assert casework.allegations_of(case.subjects[0]) == []


def test_1a_is_charged_through_its_prohibition_sentence(world, frozen_clock):
    case = world.open()
    world.with_subject(case)
    allegation = frame(world, case, "1.a")
    facts = casework.charge_facts(allegation)
    assert facts.charged_text == (
        "Speech that threatens the safety and security of the agency, its personnel, the public, and those in its "
        "custody and under its supervision is prohibited."
    )
    assert facts.citation == "AD 2.26 section 1.a"
    assert facts.directive_title == "Social Media"
    assert casework.charge_facts(frame(world, case, "5.b.i.4")).charged_text == (
        "Confidential information related to any employee."
    )


def test_numbers_inferred_from_the_ocr_copy_are_marked(world, frozen_clock):
    inferred = sorted(c.number for c in db.session.scalars(select(Clause).where(Clause.number_inferred)))
    assert inferred == ["5.b.i.4", "5.c", "5.d", "5.e"]
    assert all(ad_2_26_clause(n).inferred_note for n in inferred)
    assert "1. Departmental Public Relations" in ad_2_26_clause("2.d").inferred_note
    assert ad_2_26_clause("5.b.i.2").inferred_note == ""


def test_each_chargeable_clause_has_its_elements_as_data(world, frozen_clock):
    def elements(number: str) -> list[tuple[str, str | None]]:
        return [(e.code, e.post_fact) for e in ad_2_26_clause(number).elements]

    assert elements("5.b.i.4") == [("identified", "identified_as_doc"), ("posted", None), ("confidential", None)]
    assert elements("5.b.i.7") == [("identified", "identified_as_doc"), ("posted", None)]
    assert elements("5.c") == [("insignia", "doc_insignia"), ("effect", None)]
    assert elements("5.a") == [("personal_use", None), ("on_duty", "on_duty")]
    assert "public confidence" in ad_2_26_clause("5.c").elements[1].text
    assert all(ad_2_26_clause(n).elements for n in CHARGEABLE)
    assert db.session.scalars(select(ClauseElement).join(Clause).where(Clause.kind != "prohibition")).all() == []


def test_a_sustained_finding_needs_every_element_met_and_records_the_answers(world, frozen_clock):
    case = world.open()
    world.with_subject(case)
    allegation = frame(world, case, "5.c")
    with pytest.raises(InvalidInput) as refused:
        find(world, case, allegation, "sustained", answers(allegation, effect=False))
    assert "5.c" in refused.value.errors["elements"] and "not met" in refused.value.errors["elements"]
    with pytest.raises(InvalidInput) as unanswered:
        find(world, case, allegation, "sustained", answers(allegation)[:1])
    assert "Answer every element" in unanswered.value.errors["elements"]
    assert allegation.finding is None and allegation.element_findings == []

    find(world, case, allegation, "sustained", answers(allegation))
    assert allegation.finding.code == "sustained"
    assert [
        (f.element.code, f.met, f.note) for f in sorted(allegation.element_findings, key=lambda f: f.element.position)
    ] == [
        ("insignia", True, "insignia checked"),
        ("effect", True, "effect checked"),
    ]
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "allegation.finding_recorded")).one()
    assert event.detail["after"]["elements"] == {"insignia": True, "effect": True}


def test_an_element_the_post_records_as_false_cannot_be_met(world, frozen_clock):
    case = world.open()
    world.with_subject(case)
    set_post(world, case, identified_as_doc=False)
    allegation = frame(world, case, "5.b.i.4")
    with pytest.raises(InvalidInput) as refused:
        find(world, case, allegation, "sustained", answers(allegation))
    assert refused.value.errors["elements"] == (
        "The post is recorded as not identifying the poster as DOC personnel; 5.b.i.4 requires it. "
        "Correct the post's facts first if that is wrong."
    )
    find(world, case, allegation, "not_sustained", answers(allegation, identified=False))
    assert allegation.finding.code == "not_sustained"


def test_a_finding_that_does_not_sustain_still_answers_every_element(world, frozen_clock):
    case = world.open()
    world.with_subject(case)
    allegation = frame(world, case, "5.b.i.2")
    with pytest.raises(InvalidInput):
        find(world, case, allegation, "exonerated", ())
    find(world, case, allegation, "exonerated", answers(allegation, met=False))
    assert {f.met for f in allegation.element_findings} == {False}
    find(world, case, allegation, "", ())  # no finding yet: the answers are kept as they were
    assert allegation.finding is None and len(allegation.element_findings) == 3


def test_a_post_made_before_ad_2_26_took_effect_cannot_be_charged(world, frozen_clock):
    case = world.open()
    world.with_subject(case)
    set_post(world, case, posted_at=datetime(2017, 5, 1, 16, 0, tzinfo=UTC))
    with pytest.raises(InvalidInput) as refused:
        frame(world, case, "5.b.i.2")
    assert refused.value.errors["citation"] == (
        "AD 2.26 took effect on 2018-12-03; this post of 2017-05-01 was made before it, "
        "so AD 2.26 cannot be charged for it"
    )


def test_the_version_in_force_on_the_posts_date_is_the_one_charged(world, frozen_clock):
    directive = db.session.scalars(select(Directive).where(Directive.number == "2.26")).one()
    revision = DirectiveVersion(directive_id=directive.id, effective_date=date(2026, 2, 1), source="test revision")
    db.session.add(revision)
    db.session.flush()
    revised = Clause(version_id=revision.id, number="5.b.i.2", text="Revised text.", position=1, kind="prohibition")
    revised.elements = [ClauseElement(position=1, code="posted", text="Posted it.")]
    db.session.add(revised)
    db.session.flush()

    case = world.open()  # the post is of 2026-02-27, after the revision
    world.with_subject(case)
    assert casework.post_conduct_date(case, case.posts[0]) == date(2026, 2, 27)
    with pytest.raises(InvalidInput) as refused:
        frame(world, case, "5.b.i.2")
    assert refused.value.errors["citation"] == (
        "5.b.i.2 is from the version of AD 2.26 effective 2018-12-03; on 2026-02-27, the post's date, the "
        "version effective 2026-02-01 was in force: cite its clause."
    )
    assert [c.id for c in casework.chargeable_clauses(case.posts[0])] == [revised.id]
    entry = casework.AllegationInput(f"clause:{revised.id}", "", [], case.posts[0].id)
    allegation = casework.frame_allegation(case, case.subjects[0], entry, world.actor(world.investigator))
    assert allegation.post_id == case.posts[0].id

    older = world.open()
    world.with_subject(older)
    set_post(world, older, posted_at=datetime(2025, 6, 1, 16, 0, tzinfo=UTC))
    assert {c.version.effective_date for c in casework.chargeable_clauses(older.posts[0])} == {date(2018, 12, 3)}
    assert frame(world, older, "5.b.i.2").clause.version.effective_date == date(2018, 12, 3)


def test_the_post_is_the_only_one_or_must_be_chosen(world, frozen_clock):
    case = world.open()
    world.with_subject(case)
    assert frame(world, case, "5.b.i.2").post_id == case.posts[0].id
    casework.add_post(case, casework.PostInput(platform="x", text="another"), world.actor(world.investigator))
    with pytest.raises(InvalidInput) as refused:
        frame(world, case, "5.b.i.3")
    assert refused.value.errors["post"] == "Choose the post this allegation charges."
    other = world.open()
    with pytest.raises(InvalidInput):
        frame(world, case, "5.b.i.3", post_id=other.posts[0].id)
    assert frame(world, case, "5.b.i.3", post_id=case.posts[1].id).post_id == case.posts[1].id


def test_the_conduct_date_is_the_posting_date_else_first_seen_else_received(world, frozen_clock):
    case = world.open()
    post = case.posts[0]
    assert casework.post_conduct_date(case, post) == date(2026, 2, 27)
    set_post(world, case, posted_at=None, first_seen_at=clock.now() - timedelta(days=1))
    assert casework.post_conduct_date(case, post) == date(2026, 3, 1)
    set_post(world, case, posted_at=None, first_seen_at=None)
    assert casework.post_conduct_date(case, post) == case.received_at.astimezone(clock.zone()).date()


def test_charge_facts_give_the_posts_date_platform_account_and_summary(world, frozen_clock):
    case = world.open()
    world.with_subject(case)
    text = "Look   at these keys\n\nlol " + "and more words " * 30
    set_post(world, case, text=text)
    facts = casework.charge_facts(frame(world, case, "5.b.i.2"))
    assert (facts.post_date, facts.platform, facts.account_handle) == (date(2026, 2, 27), "Facebook", "@co_pat")
    assert facts.summary.startswith("Look at these keys lol and more words")
    assert facts.summary.endswith("…") and len(facts.summary) <= 201
    assert not facts.summary[:-1].endswith(" ") and facts.summary[:-1].split()[-1] in ("and", "more", "words")
    assert facts.citation == "AD 2.26 section 5.b.i.2"
    assert facts.charged_text.startswith("Confidential information related to DOC internal reports")


def test_every_demo_finding_answers_its_elements_and_agrees_with_its_post(runner):
    result = runner.invoke(args=["seed", "--demo"])
    assert result.exit_code == 0, result.output
    allegations = db.session.scalars(select(Allegation).where(Allegation.finding_id.is_not(None))).all()
    assert {a.clause.number for a in allegations} >= {"5.b.i.4", "5.c"}
    for allegation in allegations:
        answered = {f.element_id: f.met for f in allegation.element_findings}
        assert set(answered) == {e.id for e in allegation.clause.elements}, allegation.citation
        if allegation.finding.supports_discipline:
            assert all(answered.values()), allegation.citation
        for element in allegation.clause.elements:
            if answered[element.id] and element.post_fact:
                assert getattr(allegation.post, element.post_fact) is not False, allegation.citation
    disclosure = next(a for a in allegations if a.clause.number == "5.b.i.4")
    assert disclosure.post.identified_as_doc is True and "CT DOC" in disclosure.post.attribution
    assert all(a.clause.chargeable for a in db.session.scalars(select(Allegation)))
    posts = db.session.scalars(select(ReportedPost)).all()
    assert sum(p.posted_at is None for p in posts) == 1  # the platform has not given that comment's date yet
    assert all(p.posted_at is None or p.posted_at < p.case.received_at for p in posts)


@pytest.mark.parametrize(
    ("before", "after", "message"),
    [
        ('kind = "definition"\nkind_reason = "Defines', 'kind = "rule"\nkind_reason = "Defines', "unknown kind 'rule'"),
        ('number = "4.c"\nheading = ""', 'number = "4.c"\ncharge_text = "x"\nheading = ""', "only a prohibition"),
        ('code = "effect"', 'code = "insignia"', "element code is listed twice"),
        ('post_fact = "doc_insignia"', 'post_fact = "in_uniform"', "unknown post_fact 'in_uniform'"),
        ('charge_text = "Speech that threatens', 'charge_text = "Speech that menaces', "quoted from the clause"),
    ],
)
def test_a_malformed_charging_entry_loads_nothing(empty_catalogue, tmp_path: Path, before, after, message):
    seed = tmp_path / "seed"
    shutil.copytree(SEED_DIR, seed)
    path = seed / "directives" / "ad_2_26.toml"
    assert before in path.read_text()
    path.write_text(path.read_text().replace(before, after, 1))
    with pytest.raises(catalogue.SeedDataError, match=re.escape(message)):
        catalogue.load_catalogue(seed)
    assert db.session.scalars(select(Directive)).all() == []


OCR_SOURCE = Path(__file__).resolve().parents[2].parent / "shared" / "seeds" / "000_1ed05c6328ee1709.txt"


@pytest.mark.skipif(not OCR_SOURCE.exists(), reason="the OCR copy of AD 2.26 (shared/seeds) is not here")
def test_the_numbers_marked_inferred_are_the_markers_the_ocr_copy_lost():
    lines = [line.strip() for line in OCR_SOURCE.read_text(encoding="utf-8").splitlines()]
    starts = {
        "5.b.i.4": "Confidential information related to any employee.",
        "5.c": "Use of Official Images.",
        "5.d": "Staff Discipline.",
        "5.e": "Exceptions.",
    }
    for number, opening in starts.items():
        line = next(line for line in lines if line.startswith(opening) or f" {opening}" in line)
        assert line.startswith(opening), f"{number} has a marker in the OCR copy: {line}"
    assert "Administrative Directives 1.5, Public Information and News Media Relations; 1." in lines
    assert "3. Confidential information related to any inmate." in lines


def test_a_finding_the_post_no_longer_supports_stops_the_submission(world, frozen_clock):
    case = world.sustained("5.b.i.2")
    assert casework.submission_problems(case) == [
        "Propose a discipline step for " + case.subjects[0].employee.display_name + "."
    ]
    set_post(world, case, identified_as_doc=False)
    assert (
        "The finding under AD 2.26 section 5.b.i.2 meets an element the post is now recorded as not identifying "
        "the poster as DOC personnel; correct the finding or the post."
    ) in casework.submission_problems(case)
    (allegation,) = casework.allegations_of(case.subjects[0])
    allegation.element_findings.clear()
    db.session.flush()
    assert "The finding under AD 2.26 section 5.b.i.2 does not answer every element of 5.b.i.2." in (
        casework.submission_problems(case)
    )
