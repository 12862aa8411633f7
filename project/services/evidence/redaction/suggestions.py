"""Assisted redaction: rectangles proposed on an exhibit image, for a person to accept or reject on the
redaction page. Nothing here redacts: an accepted proposal is only a rectangle the person then submits.

Two detectors, each optional at run time; when one cannot run, the answer says it is off and why:

- **text**: Tesseract's word boxes (``pytesseract.image_to_data``, the ``tesseract`` program of Debian's
  ``tesseract-ocr``), joined into the lines and paragraphs Tesseract found; each paragraph's text is matched
  against the protected identifiers with ``masking.find``, and a match proposes the union box of its words,
  one rectangle per printed line.
- **face**: OpenCV's Haar cascades for frontal faces and profiles, which ship inside the
  ``opencv-python-headless`` wheel (``cv2.data.haarcascades``); nothing is downloaded.

Rectangles are ``{"x", "y", "w", "h"}`` in upright original pixels, as ``redact_exhibit`` takes them. A
proposal names its kind ("text" with the kind of identifier matched, or "face"), never the matched value.
"""

from __future__ import annotations

import importlib
import os
import shutil
from collections.abc import Iterable
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

from PIL import Image

from project import metrics, permissions
from project.models import Case, Exhibit
from project.permissions import require
from project.services.audit import Actor
from project.services.errors import InvalidInput
from project.services.evidence.custody import view_original
from project.services.evidence.redaction.copies import _decoded_upright
from project.services.masking import Identifier, find

OCR_TIMEOUT_SECONDS = 120
FACE_MAX_SIDE = 1600  # larger images are scaled down for face detection, and the boxes scaled back
TEXT_LABELS = {
    "name": "a protected name",
    "email": "a protected email address",
    "phone": "a protected phone number",
    "number": "a protected number",
    "text": "protected text",
}


@dataclass(frozen=True)
class Detector:
    """One detector and whether it runs here: ``why`` says what it looks for, or why it is off."""

    kind: str  # "text" or "face"
    on: bool
    why: str


@dataclass(frozen=True)
class Proposal:
    """A proposed rectangle: ``kind`` "text" (``matched`` the identifier's kind) or "face"."""

    kind: str
    matched: str | None
    label: str
    x: int
    y: int
    w: int
    h: int

    @property
    def region(self) -> dict[str, int]:
        return {"x": self.x, "y": self.y, "w": self.w, "h": self.h}

    @property
    def coordinates(self) -> str:
        """``x,y,w,h``, the way a person types a rectangle on the redaction page."""
        return f"{self.x},{self.y},{self.w},{self.h}"


@dataclass(frozen=True)
class Suggestions:
    proposals: list[Proposal]
    detectors: list[Detector]
    size: tuple[int, int]  # (width, height) of the upright image the rectangles refer to


@dataclass(frozen=True)
class SuggestionInput:
    """Where the originals are, whose identity must not go out, and the Tesseract program to run."""

    evidence_dir: str
    identifiers: tuple[Identifier, ...] = ()
    tesseract_cmd: str = "tesseract"


# Which detectors can run ----------------------------------------------------------------------------------


def _module(name: str) -> ModuleType | None:
    """The module, or None when it cannot be imported (a loaded module is Python's own cached one)."""
    try:
        return importlib.import_module(name)
    except Exception:  # not installed, or a shared library missing: the detector is off, the app runs
        return None


def _face_cascades() -> tuple[ModuleType | None, list[str], str]:
    cv2 = _module("cv2")
    if cv2 is None or not hasattr(cv2, "CascadeClassifier"):
        return None, [], "OpenCV (the opencv-python-headless package, version 4) could not be loaded."
    folder = getattr(getattr(cv2, "data", None), "haarcascades", "")
    names = ["haarcascade_frontalface_default.xml", "haarcascade_profileface.xml"]
    paths = [folder + name for name in names]
    if not folder or not all(os.path.exists(path) for path in paths):
        return None, [], "OpenCV's face models (cv2.data.haarcascades) are not in the installed package."
    return cv2, paths, ""


def detectors(tesseract_cmd: str = "tesseract") -> list[Detector]:
    """Which detectors can run on this server, and if not why: cheap enough for every page view."""
    found = []
    if _module("pytesseract") is None:
        found.append(Detector("text", False, "The pytesseract package is not installed."))
    elif shutil.which(tesseract_cmd) is None:
        found.append(
            Detector(
                "text",
                False,
                f"Tesseract OCR is not installed on this server (no {tesseract_cmd!r} program); "
                "install Debian's tesseract-ocr package to turn text suggestions on.",
            )
        )
    else:
        found.append(Detector("text", True, "Words read by Tesseract OCR that match a protected identifier."))
    cv2, _, problem = _face_cascades()
    found.append(Detector("face", cv2 is not None, problem or "Faces found by OpenCV's Haar cascades."))
    return found


# Proposing rectangles -------------------------------------------------------------------------------------


def suggest_regions(case: Case, exhibit: Exhibit, actor: Actor, wanted: SuggestionInput) -> Suggestions:
    """Rectangles to propose on an image exhibit: text matching ``wanted.identifiers`` and faces.

    Only someone who may redact the case may ask. The original is read through the verified read, with the
    ``exhibit.viewed`` custody event a view gets; nothing else is written. A detector that cannot run is
    reported off, with why, and the other still runs."""
    require(
        exhibit.case_id == case.id and permissions.can_redact(actor.user, case),
        "Only the assigned investigator, a supervisor or labor relations may redact this case's exhibits.",
    )
    if not exhibit.is_image:
        raise InvalidInput({"regions": f"{exhibit.label} is a PDF: only images can be redacted here."})
    image = _decoded_upright(view_original(case, exhibit, actor, wanted.evidence_dir), exhibit).convert("RGB")
    proposals: list[Proposal] = []
    ran: list[Detector] = []
    for detector in detectors(wanted.tesseract_cmd):
        if not detector.on:
            ran.append(detector)
            continue
        try:
            if detector.kind == "text":
                proposals += text_proposals(image, wanted.identifiers, wanted.tesseract_cmd)
            else:
                proposals += face_proposals(image)
            ran.append(detector)
        except Exception as failure:  # the detector failed on this image: say so, keep the other's proposals
            ran.append(Detector(detector.kind, False, f"It failed on this image ({_short(failure)})."))
    return Suggestions(proposals, ran, image.size)


def _short(failure: Exception) -> str:
    text = " ".join(str(failure).split()) or type(failure).__name__
    return text[:200]


# Text ---------------------------------------------------------------------------------------------------


@dataclass
class _Word:
    text: str
    left: int
    top: int
    width: int
    height: int
    line: tuple[int, int, int]  # (block, paragraph, line) as Tesseract numbers them
    start: int = 0  # where the word starts in its paragraph's joined text
    end: int = 0


@dataclass
class _Paragraph:
    words: list[_Word] = field(default_factory=list)
    text: str = ""

    def add(self, word: _Word) -> None:
        if self.text:
            self.text += " "
        word.start = len(self.text)
        self.text += word.text
        word.end = len(self.text)
        self.words.append(word)


def ocr_words(image: Image.Image, tesseract_cmd: str = "tesseract") -> list[_Word]:
    """Tesseract's words with their boxes, in reading order (empty and whitespace entries dropped)."""
    pytesseract: Any = _module("pytesseract")
    pytesseract.pytesseract.tesseract_cmd = tesseract_cmd
    # Tesseract's OpenMP threads spin against each other and the web workers on a small server: one thread
    # read a 1920x1080 screenshot about 3x faster on 2 busy cores (bench/suggestions.py). An operator's own
    # OMP_THREAD_LIMIT is kept; the program inherits the environment.
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    with metrics.timing_ocr():
        data = pytesseract.image_to_data(
            image.convert("L"), output_type=pytesseract.Output.DICT, timeout=OCR_TIMEOUT_SECONDS
        )
    words = []
    for index, text in enumerate(data["text"]):
        text = (text or "").strip()
        if not text:
            continue
        words.append(
            _Word(
                text,
                int(data["left"][index]),
                int(data["top"][index]),
                int(data["width"][index]),
                int(data["height"][index]),
                (int(data["block_num"][index]), int(data["par_num"][index]), int(data["line_num"][index])),
            )
        )
    return words


def _paragraphs(words: Iterable[_Word]) -> list[_Paragraph]:
    """Words joined with single spaces into Tesseract's paragraphs, so a name wrapped over two lines is found."""
    paragraphs: dict[tuple[int, int], _Paragraph] = {}
    for word in words:
        paragraphs.setdefault(word.line[:2], _Paragraph()).add(word)
    return list(paragraphs.values())


def text_proposals(
    image: Image.Image, identifiers: Iterable[Identifier], tesseract_cmd: str = "tesseract"
) -> list[Proposal]:
    """One rectangle per printed line of each match of an identifier in the OCR text."""
    identifiers = tuple(identifiers)
    if not identifiers:
        return []
    proposals: list[Proposal] = []
    for paragraph in _paragraphs(ocr_words(image, tesseract_cmd)):
        for match in find(paragraph.text, identifiers):
            hit = [word for word in paragraph.words if word.start < match.end and match.start < word.end]
            by_line: dict[tuple[int, int, int], list[_Word]] = {}
            for word in hit:
                by_line.setdefault(word.line, []).append(word)
            label = "Text: " + TEXT_LABELS.get(match.identifier.kind, "protected text")
            for line in by_line.values():
                box = _padded(_union(line), image.size, max(2, max(w.height for w in line) // 5))
                proposal = Proposal("text", match.identifier.kind, label, *box)
                if proposal not in proposals:
                    proposals.append(proposal)
    return proposals


def _union(words: list[_Word]) -> tuple[int, int, int, int]:
    left = min(w.left for w in words)
    top = min(w.top for w in words)
    right = max(w.left + w.width for w in words)
    bottom = max(w.top + w.height for w in words)
    return left, top, right - left, bottom - top


def _padded(box: tuple[int, int, int, int], size: tuple[int, int], pad: int) -> tuple[int, int, int, int]:
    """The box grown by ``pad`` on every side, kept inside the image."""
    x, y, w, h = box
    left, top = max(0, x - pad), max(0, y - pad)
    right, bottom = min(size[0], x + w + pad), min(size[1], y + h + pad)
    return left, top, max(1, right - left), max(1, bottom - top)


# Faces --------------------------------------------------------------------------------------------------


def face_proposals(image: Image.Image) -> list[Proposal]:
    """Faces (frontal, and profiles facing either way), each grown by a fifth so hair and chin are covered."""
    cv2: Any
    cv2, paths, problem = _face_cascades()
    if cv2 is None:
        raise RuntimeError(problem)
    import numpy

    scale = min(1.0, FACE_MAX_SIDE / max(image.size))
    small = image if scale == 1.0 else image.resize((round(image.width * scale), round(image.height * scale)))
    grey = cv2.equalizeHist(cv2.cvtColor(numpy.asarray(small.convert("RGB")), cv2.COLOR_RGB2GRAY))
    found: list[tuple[int, int, int, int]] = []
    for path in paths:
        cascade = cv2.CascadeClassifier(path)
        for flipped in (False, True) if "profile" in path else (False,):
            seen = cv2.flip(grey, 1) if flipped else grey
            for x, y, w, h in cascade.detectMultiScale(seen, scaleFactor=1.1, minNeighbors=5, minSize=(24, 24)):
                x = grey.shape[1] - x - w if flipped else x
                found.append((int(x), int(y), int(w), int(h)))
    proposals: list[Proposal] = []
    for x, y, w, h in _without_overlaps(found):
        box = (int(x / scale), int(y / scale), round(w / scale), round(h / scale))
        proposals.append(Proposal("face", None, "Face", *_padded(box, image.size, max(2, box[2] // 5))))
    return proposals


def _without_overlaps(boxes: list[tuple[int, int, int, int]]) -> list[tuple[int, int, int, int]]:
    """Largest first; a box mostly inside one already kept (the same face seen by two cascades) is dropped."""
    kept: list[tuple[int, int, int, int]] = []
    for box in sorted(boxes, key=lambda b: b[2] * b[3], reverse=True):
        if all(_overlap(box, other) < 0.5 * box[2] * box[3] for other in kept):
            kept.append(box)
    return sorted(kept, key=lambda b: (b[1], b[0]))


def _overlap(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> int:
    width = min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0])
    height = min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1])
    return max(0, width) * max(0, height)


# Whose identity: the default source until the case keeps its own list -------------------------------------
