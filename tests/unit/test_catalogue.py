"""The policy catalogue loaded from seed_data/: exact clause text, versions, ladder, findings, deadlines."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from project.commands import SEED_DIR
from project.extensions import db
from project.models import Clause, DeadlineRule, Directive, DirectiveVersion, FindingCategory
from project.services import catalogue

RELATED = {
    "1.5": "Public Information and News Media Relations",
    "1.10": "Investigations",
    "1.13": "Code of Ethics",
    "2.1": "Equal Employment Opportunity and Affirmative Action",
    "2.2": "Sexual Harassment",
    "2.6": "Employee Discipline",
    "2.17": "Employee Conduct",
    "2.22": "Workplace Violence Prevention Policy",
    "4.6": "Use of Computers and Related Technologies",
}


def ad_2_26_clauses() -> dict[str, Clause]:
    directive = catalogue.directive_by_number("2.26")
    version = catalogue.version_in_force(directive, date(2019, 1, 1))
    return {c.number: c for c in version.clauses}


def test_ad_2_26_is_loaded_with_every_addressable_clause(seeded_catalogue):
    directive = db.session.scalars(select(Directive).where(Directive.number == "2.26")).one()
    assert directive.title == "Social Media"
    assert [v.effective_date for v in directive.versions] == [date(2018, 12, 3)]
    clauses = ad_2_26_clauses()
    expected = (
        ["1.a", "4.a", "4.b", "4.c", "5.a", "5.a.i", "5.a.ii", "5.a.iii", "5.b.ii", "5.c", "5.d", "5.e"]
        + [f"3.{letter}" for letter in "abcdefghijk"]
        + [f"5.b.i.{n}" for n in range(1, 9)]
    )
    assert set(expected) <= set(clauses)
    assert clauses["5.b.i.4"].text == "Confidential information related to any employee."


def test_definitions_are_in_order_with_their_terms(seeded_catalogue):
    clauses = ad_2_26_clauses()
    terms = [clauses[f"3.{letter}"].heading for letter in "abcdefghijk"]
    assert terms == [
        "Blog.",
        "Electronic Devices.",
        "Employee Conduct.",
        "Personal Social Media Use.",
        "Post.",
        "Privacy Settings.",
        "Profile.",
        "Social Media.",
        "Social Networks.",
        "Speech.",
        "Wiki.",
    ]
    assert [clauses[f"3.b.{n}"].text for n in ("i", "ii", "iii", "iv", "v")] == [
        "Cellphone;",
        "Pager;",
        "Blackberry;",
        "Personal digital assistant (PDA); or",
        "Smart watch.",
    ]


def test_ocr_errors_are_corrected_and_page_furniture_removed(seeded_catalogue):
    every_text = " ".join(c.heading + " " + c.text for c in ad_2_26_clauses().values())
    for ocr_error in ("1aws", "1laws", "Devises", "Blackberry:;", "=Y", "anbwe", "Page 2 of 3"):
        assert ocr_error not in every_text
    clauses = ad_2_26_clauses()
    assert "all applicable Local, State and Federal laws and regulations" in clauses["5.b.i"].text
    assert clauses["5.c"].heading == "Use of Official Images."
    assert clauses["5.e"].text == (
        "Any exceptions to the procedures in this Administrative Directive shall require prior written "
        "approval from the Commissioner."
    )
    assert all("\n" not in c.text.replace("\n\n", "") for c in clauses.values())


def test_every_clause_has_its_parent(seeded_catalogue):
    clauses = ad_2_26_clauses()
    for number, clause in clauses.items():
        if clause.parent_number:
            assert clause.parent_number in clauses, number


def test_section_2_directives_are_citable_with_their_titles(seeded_catalogue):
    version = catalogue_version()
    cited = {ref.directive.number: ref.directive.title for ref in version.references}
    assert cited == RELATED


def catalogue_version() -> DirectiveVersion:
    return catalogue.version_in_force(catalogue.directive_by_number("2.26"), date(2020, 6, 1))


def test_discipline_ladder_in_order_with_the_suspension_cap(seeded_catalogue):
    ladder = catalogue.current_ladder(date(2026, 1, 1))
    assert [step.name for step in ladder.steps] == [
        "Counseling",
        "Oral reprimand",
        "Written reprimand",
        "Suspension",
        "Demotion",
        "Dismissal",
    ]
    assert ladder.suspension_cap_days == 60
    counseling, *discipline = ladder.steps
    assert not counseling.is_discipline and counseling.active_months is None
    assert all(step.is_discipline for step in discipline)
    assert [s.code for s in ladder.steps if s.takes_days] == ["suspension"]


def test_finding_categories_and_deadline_rules(seeded_catalogue):
    names = db.session.scalars(select(FindingCategory.name).order_by(FindingCategory.position)).all()
    assert names == ["Sustained", "Not Sustained", "Exonerated", "Unfounded", "Policy Failure"]
    rules = {r.code: r for r in db.session.scalars(select(DeadlineRule))}
    assert (rules["written_notice"].days, rules["written_notice"].day_count) == (7, "calendar")
    assert rules["written_notice"].applies_to_steps == ["suspension", "demotion", "dismissal"]
    assert (rules["effective_after_notice"].days, rules["effective_after_notice"].kind) == (14, "not_before")
    assert (rules["copy_to_employee"].days, rules["copy_to_employee"].day_count) == (1, "business")


def snapshot() -> dict[str, list[tuple]]:
    return {
        table.name: sorted(tuple(str(v) for v in row) for row in db.session.execute(table.select()))
        for table in db.metadata.sorted_tables
    }


def test_loading_twice_changes_nothing(seeded_catalogue):
    before = snapshot()
    report = catalogue.load_catalogue(SEED_DIR)
    assert not report.changed
    assert snapshot() == before


def test_a_revised_version_leaves_the_old_clauses_alone(seeded_catalogue, tmp_path: Path):
    seed = tmp_path / "seed"
    shutil.copytree(SEED_DIR, seed)
    original = (seed / "directives" / "ad_2_26.toml").read_text()
    revised = original.replace("effective_date = 2018-12-03", "effective_date = 2025-07-01").replace(
        "Confidential information related to any employee.", "Confidential information about any employee."
    )
    (seed / "directives" / "ad_2_26_2025.toml").write_text(revised)
    catalogue.load_catalogue(seed)
    directive = catalogue.directive_by_number("2.26")
    old = catalogue.version_in_force(directive, date(2024, 12, 31))
    new = catalogue.version_in_force(directive, date(2025, 7, 1))
    assert old.effective_date == date(2018, 12, 3) and new.effective_date == date(2025, 7, 1)
    assert catalogue.clause(old, "5.b.i.4").text == "Confidential information related to any employee."
    assert catalogue.clause(new, "5.b.i.4").text == "Confidential information about any employee."
    assert catalogue.version_in_force(directive, date(2018, 12, 2)) is None


def test_a_malformed_file_loads_nothing(empty_catalogue, tmp_path: Path):
    seed = tmp_path / "seed"
    shutil.copytree(SEED_DIR, seed)
    path = seed / "directives" / "ad_2_26.toml"
    path.write_text(path.read_text().replace('number = "5.b.i"\n', 'number = "5.b.x"\n', 1))
    with pytest.raises(catalogue.SeedDataError, match="5.b.i.1 comes before its parent 5.b.i"):
        catalogue.load_catalogue(seed)
    assert db.session.scalars(select(Directive)).all() == []


OCR_SOURCE = Path(__file__).resolve().parents[2].parent / "shared" / "seeds" / "000_1ed05c6328ee1709.txt"
# The corrections made to the OCR copy: every other word of every clause is as printed.
OCR_CORRECTIONS = {"1laws": "laws", "Devises": "Devices", "Blackberry:;": "Blackberry;"}


@pytest.mark.skipif(not OCR_SOURCE.exists(), reason="the OCR copy of AD 2.26 (shared/seeds) is not here")
def test_every_clause_text_stands_in_the_ocr_copy_word_for_word(seeded_catalogue):
    source = OCR_SOURCE.read_text(encoding="utf-8")
    for wrong, right in OCR_CORRECTIONS.items():
        source = source.replace(wrong, right)
    flat = " ".join(source.split())
    for number, clause in ad_2_26_clauses().items():
        for paragraph in clause.text.split("\n\n"):
            if paragraph:
                assert " ".join(paragraph.split()) in flat, f"clause {number} differs from the source"
        if clause.heading:
            assert clause.heading.rstrip(".") in flat, f"heading of {number} differs from the source"


def test_a_clause_inserted_into_a_version_moves_the_others_down(seeded_catalogue, tmp_path: Path):
    seed = tmp_path / "seed"
    shutil.copytree(SEED_DIR, seed)
    path = seed / "directives" / "ad_2_26.toml"
    path.write_text(
        path.read_text().replace(
            '[[clauses]]\nnumber = "5.e"',
            '[[clauses]]\nnumber = "5.d.i"\nheading = ""\ntext = """\nAn inserted clause."""\n\n'
            '[[clauses]]\nnumber = "5.e"',
        )
    )
    catalogue.load_catalogue(seed)
    numbers = [c.number for c in ad_2_26_clauses().values()]
    assert numbers[-3:] == ["5.d", "5.d.i", "5.e"]


def test_the_text_of_a_clause_cited_by_a_case_cannot_change_in_place(world, tmp_path: Path):
    world.ready_for_review()  # cites 5.b.i.2
    seed = tmp_path / "seed"
    shutil.copytree(SEED_DIR, seed)
    path = seed / "directives" / "ad_2_26.toml"
    path.write_text(path.read_text().replace("security procedures, facility procedures", "security procedures"))
    with pytest.raises(catalogue.SeedDataError, match="5.b.i.2 .* is cited by cases"):
        catalogue.load_catalogue(seed)
    assert "facility procedures" in ad_2_26_clauses()["5.b.i.2"].text


def test_directives_are_listed_in_the_natural_order_of_their_numbers(seeded_catalogue):
    """The catalogue page listed AD 1.10 before AD 1.5 (issue 16): numbers sort as numbers."""
    numbers = [directive.number for directive in catalogue.directives()]
    assert {"1.5", "1.10", "2.6", "2.26"} <= set(numbers)
    assert numbers.index("1.5") < numbers.index("1.10") < numbers.index("2.6") < numbers.index("2.26")
    assert numbers == sorted(numbers, key=lambda n: [int(part) for part in n.split(".")])
