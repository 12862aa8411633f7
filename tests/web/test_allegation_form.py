"""The allegation form: each provision shows its text cut at a word, never mid-word at 90 characters, and
the supporting exhibits are checkboxes, not a list that needs Ctrl-click to choose several (issue 16)."""

from __future__ import annotations

import html
import re

from sqlalchemy import select

from project.extensions import db
from project.models import Allegation
from project.services import casework
from tests.factories import PASSWORD

OPTION = re.compile(r'<option value="clause:(\d+)">([^<]*)</option>')


def test_each_provision_is_cut_at_a_word_and_the_full_text_is_a_link_away(client, world, sign_in):
    case = world.open()
    world.with_subject(case)
    sign_in(client, world.investigator.email, PASSWORD)
    page = client.get(f"/cases/{case.number}/allegations/new").get_data(as_text=True)
    options = OPTION.findall(page)
    assert len(options) > 5
    clauses = {str(c.id): c for c in casework.citable_clauses()}
    cut = 0
    for clause_id, label in options:
        label, text = html.unescape(label), " ".join(clauses[clause_id].charged_text.split())
        start = label.find(text[:24])
        assert start > 0, (label, text)
        shown = label[start:]
        if shown.endswith("…"):
            cut += 1
            kept = shown[:-1]
            assert text.startswith(kept) and text[len(kept)] in " ,;:.", (label, text)  # ends at a word
        else:
            assert shown.endswith(text), label
    assert cut > 0  # the long clauses are shortened
    assert 'href="/catalogue/2.26"' in page and "Read AD 2.26 in full" in page


def test_supporting_exhibits_are_checkboxes_and_several_can_be_chosen(client, world, sign_in, post_form):
    case = world.open()
    subject = world.with_subject(case)
    first, second = world.add_screenshot(case), world.add_screenshot(case, text="Another capture")
    sign_in(client, world.investigator.email, PASSWORD)
    url = f"/cases/{case.number}/allegations/new"
    page = client.get(url).get_data(as_text=True)
    assert '<select id="exhibits"' not in page and "multiple" not in page.split('id="citation"')[1].split("</form>")[0]
    assert page.count('type="checkbox" name="exhibits"') == 2
    clause = next(c for c in casework.citable_clauses() if c.number == "5.b.i.2")
    response = post_form(
        client, url, {"subject": str(subject.id), "citation": f"clause:{clause.id}", "exhibits": [first.id, second.id]}
    )
    assert response.status_code == 302
    allegation = db.session.scalars(select(Allegation)).one()
    assert sorted(e.id for e in allegation.exhibits) == sorted([first.id, second.id])


def test_the_finding_form_shows_the_cited_exhibits_checked(client, world, sign_in):
    case = world.open()
    subject = world.with_subject(case)
    cited, other = world.add_screenshot(case), world.add_screenshot(case, text="Another capture")
    clause = next(c for c in casework.citable_clauses() if c.number == "5.b.i.2")
    allegation = casework.frame_allegation(
        case, subject, casework.AllegationInput(f"clause:{clause.id}", "", [cited.id]), world.actor(world.investigator)
    )
    sign_in(client, world.investigator.email, PASSWORD)
    response = client.get(f"/cases/{case.number}/allegations/{allegation.id}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f'name="exhibits" id="exhibits-1" value="{cited.id}" checked>' in page
    assert f'name="exhibits" id="exhibits-2" value="{other.id}">' in page
