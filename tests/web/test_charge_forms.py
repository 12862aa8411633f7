"""The allegation and finding forms for charges that hold: the post charged and the prohibitions in force on its
date, the elements as an accessible checklist, and numbers inferred from the OCR copy shown where cited."""

from __future__ import annotations

import re

from sqlalchemy import select

from project.extensions import db
from project.models import Clause
from project.services import casework
from tests.factories import PASSWORD


def options(page: str) -> dict[str, str]:
    found = re.findall(r'<option(?: selected)? value="([^"]*)"[^>]*>([^<]*)</option>', page)
    return {label: value for value, label in found}


def frame(world, case, number: str):
    clause = next(c for c in casework.citable_clauses() if c.number == number)
    entry = casework.AllegationInput(f"clause:{clause.id}", "", [])
    return casework.frame_allegation(case, case.subjects[0], entry, world.actor(world.investigator))


def test_the_allegation_form_offers_the_post_and_only_the_prohibitions_in_force(client, world, sign_in, frozen_clock):
    case = world.open()
    world.with_subject(case)
    sign_in(client, world.investigator.email, PASSWORD)
    page = client.get(f"/cases/{case.number}/allegations/new").get_data(as_text=True)
    labels = list(options(page))
    cited = [label.split()[2] for label in labels if label.startswith("AD 2.26 ")]
    assert cited == ["1.a", "5.a", "5.a.iii"] + [f"5.b.i.{n}" for n in range(1, 9)] + ["5.c"]
    assert any(label.startswith("Facebook @co_pat, posted 2026-02-27") for label in labels)
    assert "section number inferred from the OCR copy" in next(label for label in labels if " 5.c " in label)
    assert "in force on 2026-02-27" in page


def test_a_clause_that_is_not_offered_is_refused_and_nothing_is_framed(client, world, sign_in, post_form):
    case = world.open()
    subject = world.with_subject(case)
    definition = db.session.scalars(select(Clause).where(Clause.number == "5.a.i")).one()
    sign_in(client, world.investigator.email, PASSWORD)
    response = post_form(
        client,
        f"/cases/{case.number}/allegations/new",
        {"subject": str(subject.id), "post": str(case.posts[0].id), "citation": f"clause:{definition.id}"},
    )
    assert response.status_code == 400
    assert casework.allegations_of(subject) == []


def test_framing_through_the_form_records_the_post(client, world, sign_in, post_form):
    case = world.open()
    subject = world.with_subject(case)
    sign_in(client, world.investigator.email, PASSWORD)
    url = f"/cases/{case.number}/allegations/new"
    page = client.get(url).get_data(as_text=True)
    citation = next(value for label, value in options(page).items() if label.startswith("AD 2.26 1.a "))
    response = post_form(client, url, {"subject": str(subject.id), "post": str(case.posts[0].id), "citation": citation})
    assert response.status_code == 302
    (allegation,) = casework.allegations_of(subject)
    assert (allegation.clause.number, allegation.post_id) == ("1.a", case.posts[0].id)


def test_the_finding_form_shows_the_elements_as_a_checklist(client, world, sign_in, frozen_clock):
    case = world.open()
    world.with_subject(case)
    allegation = frame(world, case, "5.c")
    sign_in(client, world.investigator.email, PASSWORD)
    page = client.get(f"/cases/{case.number}/allegations/{allegation.id}").get_data(as_text=True)
    for element in allegation.clause.elements:
        assert f"<legend>{element.text.replace(chr(39), '&#39;')}</legend>" in page
        for value in ("met", "not_met"):
            assert re.search(
                rf'<input type="radio" id="element-{element.id}-{value}" name="element-{element.id}"', page
            )
            assert f'<label for="element-{element.id}-{value}">' in page
        assert f'<label for="element-{element.id}-note">' in page
    assert "section number inferred from the OCR copy" in page


def test_a_sustained_finding_through_the_form_needs_every_element_met(client, world, sign_in, post_form):
    case = world.open()
    world.with_subject(case)
    allegation = frame(world, case, "5.c")
    insignia, effect = allegation.clause.elements
    sign_in(client, world.investigator.email, PASSWORD)
    url = f"/cases/{case.number}/allegations/{allegation.id}"
    data = {
        "finding": "sustained",
        "reasoning": "The patch is shown and the post mocks an inmate.",
        "version": str(allegation.row_version),
        f"element-{insignia.id}": "met",
        f"element-{insignia.id}-note": "The DOC shoulder patch is in the photo.",
        f"element-{effect.id}": "not_met",
    }
    response = post_form(client, url, data)
    assert response.status_code == 400
    assert "needs every element of 5.c met" in response.get_data(as_text=True)
    assert allegation.finding is None and allegation.element_findings == []

    response = post_form(client, url, data | {f"element-{effect.id}": "met"})
    assert response.status_code == 302
    db.session.refresh(allegation)
    assert allegation.finding.code == "sustained"
    notes = {f.element.code: (f.met, f.note) for f in allegation.element_findings}
    assert notes == {"insignia": (True, "The DOC shoulder patch is in the photo."), "effect": (True, "")}
    page = client.get(url).get_data(as_text=True)
    assert re.search(rf'id="element-{effect.id}-met" name="element-{effect.id}" value="met" checked', page)


def test_the_form_says_when_the_post_contradicts_an_element(client, world, sign_in, post_form):
    case = world.open()
    world.with_subject(case)
    post = case.posts[0]
    post.identified_as_doc = False
    db.session.flush()
    allegation = frame(world, case, "5.b.i.4")
    sign_in(client, world.investigator.email, PASSWORD)
    data = {"finding": "sustained", "reasoning": "Discloses leave.", "version": str(allegation.row_version)}
    data |= {f"element-{e.id}": "met" for e in allegation.clause.elements}
    response = post_form(client, f"/cases/{case.number}/allegations/{allegation.id}", data)
    assert response.status_code == 400
    assert (
        "The post is recorded as not identifying the poster as DOC personnel; 5.b.i.4 requires it. "
        "Correct the post&#39;s facts first if that is wrong."
    ) in response.get_data(as_text=True)


def test_the_catalogue_marks_inferred_numbers_and_what_can_be_charged(client, world, sign_in):
    sign_in(client, world.investigator.email, PASSWORD)
    page = client.get("/catalogue/2.26").get_data(as_text=True)

    def item(number: str) -> str:
        return page.split(f'id="clause-{number}"')[1].split('id="clause-')[0]

    item_5c = item("5.c")
    assert "section number inferred from the OCR copy" in item_5c and "Prohibition: can be charged" in item_5c
    assert "public confidence" in item_5c.split("Elements")[1]
    definition = item("5.a.i")
    assert "Definition: not charged" in definition and "inferred" not in definition
    assert "1. Departmental Public Relations" in item("2.d").split("OCR copy:")[1]


def test_the_case_page_marks_a_cited_clause_whose_number_was_inferred(client, world, sign_in):
    case = world.open()
    world.with_subject(case)
    frame(world, case, "5.c")
    sign_in(client, world.investigator.email, PASSWORD)
    page = client.get(f"/cases/{case.number}").get_data(as_text=True)
    assert "AD 2.26 section 5.c" in page and "section number inferred from the OCR copy" in page
