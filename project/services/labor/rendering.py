"""Rendering a letter: its filled wording as PDF through WeasyPrint, with a URL fetcher that refuses
everything (letters need no images or styles from outside); a letter whose rendering asked for anything is
not printed."""

from __future__ import annotations

import logging
import re
from datetime import date

from flask import current_app

from project.models import Case, LetterTemplate
from project.services.catalogue import KIND_LABELS, fill
from project.services.errors import CaseworkError
from project.services.labor.letter_values import long_date

log = logging.getLogger(__name__)

PDF_TEMPLATE = "pdf/letter.html"


def paragraphs(text: str) -> list[str]:
    """Plain text as paragraphs (split at blank lines); single line breaks are kept inside a paragraph."""
    return [p.strip() for p in re.split(r"\n[ \t]*\n", text.replace("\r\n", "\n")) if p.strip()]


def render_pdf(html: str) -> bytes:
    """WeasyPrint with the refusing fetcher; a document that asked for any outside resource is refused."""
    from project import pdf_engine  # WeasyPrint loads on first use, not at start-up

    fetcher = pdf_engine.RefusingFetcher()
    pdf = pdf_engine.HTML(string=html, base_url="about:blank", url_fetcher=fetcher).write_pdf()
    if fetcher.refused:
        log.warning("letter rendering asked for outside resources, refused: %s", fetcher.refused)
        raise CaseworkError(
            "The letter asked for an outside resource, which letters never use: nothing was "
            "printed. Report this to an administrator."
        )
    assert pdf is not None
    return pdf


def render_letter(case: Case, template: LetterTemplate, values: dict[str, str], letter_date: date) -> bytes:
    """The letter as PDF bytes: letterhead, then the filled wording, every piece of it escaped as text."""
    html = current_app.jinja_env.get_template(PDF_TEMPLATE).render(
        case_number=case.number,
        letter_date=long_date(letter_date),
        kind_label=KIND_LABELS[template.kind],
        title=fill(template.title, values),
        paragraphs=paragraphs(fill(template.body, values)),
    )
    return render_pdf(html)
