"""Comparable cases on the pages (issue 17, item 7): the review, labor-relations and discipline pages show the
counts per step and list (and link) only the past cases the viewer may open; a proposal well above its
comparables is refused on the page without a reason, which is then shown escaped at review."""

from __future__ import annotations

import re

import pytest

from project.services import casework, discipline
from tests.comparable_world import past_cases
from tests.factories import PASSWORD


@pytest.fixture()
def past(world, app, monkeypatch, frozen_clock):
    return past_cases(world, app, monkeypatch)


def linked(html: str) -> set[str]:
    return set(re.findall(r'<a href="/cases/(SM-\d{4}-\d{4})">', html))


def test_the_review_page_counts_per_step_and_links_the_cases_the_supervisor_may_open(client, world, past, sign_in):
    case = world.sustained()
    reason = "<script>alert(1)</script> none of them named the code"
    discipline.propose_discipline(
        case,
        case.subjects[0],
        discipline.ProposalInput("suspension", 3, "Security breach.", reason),
        world.actor(world.investigator),
        None,
    )
    world.interviewed(case, case.subjects[0])  # a sustained finding needs the interview first
    casework.submit_for_review(case, world.actor(world.investigator))
    # a supervisor who is the subject of one of the past cases never sees that one named
    viewer = world.users.make("supervisor", employee_number=past[0].subjects[0].employee.employee_number)
    sign_in(client, viewer.email, PASSWORD)
    page = client.get(f"/cases/{case.number}/review")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Comparable cases" in html and "Median step: <strong>Oral reprimand</strong>" in html
    assert '<th scope="row">Oral reprimand</th><td>3</td>' in html
    assert '<th scope="row">Written reprimand</th><td>2</td>' in html
    assert linked(html) >= {p.number for p in past[1:]} and past[0].number not in html
    assert "1 comparable case you may not open is counted above and not listed." in html
    assert "Reason for departing from the comparable cases: &lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)</script>" not in html


def test_the_labor_page_shows_the_comparison_to_labor_relations(client, world, past, sign_in):
    case = world.approved_with_discipline(step="oral_reprimand")
    sign_in(client, world.labor.email, PASSWORD)
    page = client.get(f"/cases/{case.number}/subjects/{case.subjects[0].id}/labor")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Comparable cases" in html
    assert {p.number for p in past} <= linked(html)
    assert "department settings" in html


def test_an_investigator_sees_counts_but_no_case_of_another_investigator(client, world, past, sign_in):
    case = world.sustained()
    casework.assign_investigator(case, world.investigator2, world.actor(world.supervisor))
    sign_in(client, world.investigator2.email, PASSWORD)
    html = client.get(f"/cases/{case.number}/subjects/{case.subjects[0].id}/discipline").get_data(as_text=True)
    assert '<th scope="row">Oral reprimand</th><td>3</td>' in html
    assert not any(p.number in html for p in past)
    assert "5 comparable cases you may not open are counted above and not listed." in html


def test_a_proposal_well_above_its_comparables_is_refused_on_the_page_without_a_reason(
    client, world, past, sign_in, post_form
):
    case = world.sustained()
    subject = case.subjects[0]
    url = f"/cases/{case.number}/subjects/{subject.id}/discipline"
    sign_in(client, world.investigator.email, PASSWORD)
    refused = post_form(client, url, {"step": "dismissal", "justification": "Security breach."})
    html = refused.get_data(as_text=True)
    assert refused.status_code == 400
    assert "Dismissal is 4 steps of the ladder above oral reprimand" in html
    assert "Give the reason for departing from the comparable cases." in html
    assert casework.proposal_of(subject) is None
    done = post_form(
        client,
        url,
        {"step": "dismissal", "justification": "Security breach.", "comparables_reason": "Posted the keypad code."},
    )
    assert done.status_code == 302
    assert casework.proposal_of(subject).comparables_reason == "Posted the keypad code."
