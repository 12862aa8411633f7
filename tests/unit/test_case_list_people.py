"""The case list by employee, its count, each case's age and next deadline (issue 16, item 2), and two
wording errors from the same issue. Each test runs on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

from project import clock
from project.services import casework, roster
from project.services.casework import work_queue

ROSTER = (
    "employee_number,last_name,first_name,title,facility\n"
    "100487,Kowalski,Terrence,Correction Officer,Osborn CI\n"
    "200311,Nguyen,Terry,Counselor,Osborn CI\n"
)


def listed(user, **filters) -> list[str]:
    return [case.number for case in casework.list_cases(user, casework.CaseFilters(mine=False, **filters)).cases]


def test_the_list_filters_by_a_subjects_name_or_number(world):
    roster.import_roster(ROSTER)
    kowalski, nguyen = (casework.find_employee(n) for n in ("100487", "200311"))
    his = world.open(title="His case")
    casework.link_subject(his, kowalski, world.actor(world.investigator))
    hers = world.open(title="Her case")
    casework.link_subject(hers, nguyen, world.actor(world.investigator))
    world.open(title="Nobody's yet")
    assert listed(world.supervisor, employee="100487") == [his.number]  # the dashboard's links
    assert listed(world.supervisor, employee="Kowalski") == [his.number]
    assert listed(world.supervisor, employee="kowalski, terrence") == [his.number]
    assert listed(world.supervisor, employee="Ter") == [hers.number, his.number]  # Terry, Terrence
    assert listed(world.supervisor, employee="Zbigniew") == []
    assert listed(world.investigator2, employee="Kowalski") == []  # never a case one cannot open


def test_the_count_is_exact_up_to_its_bound_then_says_more(world):
    for _ in range(3):
        world.open()
    everything = casework.CaseFilters(mine=False)
    assert casework.count_listed(world.supervisor, everything) == casework.ListCount(3, exact=True)
    assert casework.count_listed(world.supervisor, everything, bound=3) == casework.ListCount(3, exact=True)
    assert casework.count_listed(world.supervisor, everything, bound=2) == casework.ListCount(2, exact=False)
    assert str(casework.count_listed(world.supervisor, everything, bound=2)) == "more than 2 cases"
    assert str(casework.count_listed(world.supervisor, everything)) == "3 cases"
    assert casework.count_listed(world.investigator2, everything).count == 0  # assigned to someone else
    one = casework.CaseFilters(mine=False, text=world.intake(title="Lone keypad photo").number)
    assert str(casework.count_listed(world.supervisor, one)) == "1 case"


def test_each_listed_case_shows_its_age_and_next_deadline(world):
    today = clock.local_today()
    case = world.open()  # received two days ago
    world.with_subject(case)
    bare = world.intake()  # no subject yet: no clock runs
    facts = casework.list_facts([case, bare], today)
    assert facts[case.id].age_days == 2 and facts[bare.id].age_days == 2
    deadline = facts[case.id].next_deadline
    assert deadline is not None and deadline.rule.code == "investigation_target"
    received_on = case.received_at.astimezone(clock.zone()).date()
    assert deadline.on == received_on + timedelta(days=90)  # the department's 90-day target
    assert facts[bare.id].next_deadline is None


def test_a_met_investigation_clock_is_not_a_next_deadline(world):
    case = world.approved()
    facts = casework.list_facts([case], clock.local_today())
    assert facts[case.id].next_deadline is None or facts[case.id].next_deadline.rule.code != "investigation_target"


def test_the_home_page_counts_read_in_the_singular_for_one(world):
    world.in_review()
    labels = {item.count: item.label for item in work_queue(world.supervisor) if "review" in item.label}
    assert labels == {1: "case waiting for review"}
    world.in_review()
    labels = {item.count: item.label for item in work_queue(world.supervisor) if "review" in item.label}
    assert labels == {2: "cases waiting for review"}


def test_the_timeline_never_says_discipline_proposal_proposed(world):
    case = world.proposed()
    described = [entry.what for entry in casework.timeline(case)]
    assert "Discipline proposal proposed" not in described
    assert "Discipline step proposed" in described
