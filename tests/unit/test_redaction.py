"""Redacting exhibit images: the pixels really replaced, no metadata carried over, the original untouched,
every refusal writing nothing, and the redacted copy's own hash checked whenever it is read."""

from __future__ import annotations

import io
import struct
from datetime import timedelta
from pathlib import Path

import pytest
from PIL import Image, ImageOps
from sqlalchemy import func, select

from project import clock
from project.extensions import db
from project.models import AuditEvent, Exhibit, ExhibitRedaction
from project.services import casework, evidence
from project.services.errors import InvalidInput
from project.services.evidence import sha256_of

HEADER = {"x": 0, "y": 0, "w": 200, "h": 44}  # the coloured band across the top of a drawn screenshot
TEXT = {"x": 20, "y": 130, "w": 300, "h": 40}


# Helpers -------------------------------------------------------------------------------------------------


def evidence_dir(app) -> str:
    return app.config["EVIDENCE_DIR"]


def add_file(app, world, case, data: bytes, name: str = "capture.jpg") -> Exhibit:
    return evidence.add_exhibit(
        case,
        evidence.ExhibitInput(data, name, "A capture", None, clock.now() - timedelta(hours=1), "Ivy", "Phone camera"),
        world.actor(world.investigator),
        evidence.EvidenceSettings(
            evidence_dir(app), app.config["EVIDENCE_MAX_BYTES"], app.config["EVIDENCE_MAX_PIXELS"]
        ),
    )


def redact(app, world, case, exhibit, regions, user=None, reason="Inmate names (FOIA release)"):
    return evidence.redact_exhibit(
        case,
        exhibit,
        evidence.RedactionInput(regions, reason),
        world.actor(user or world.investigator),
        evidence_dir(app),
    )


def decoded(data: bytes) -> Image.Image:
    with Image.open(io.BytesIO(data)) as image:
        image.load()
        upright = ImageOps.exif_transpose(image)
        return upright.convert("RGBA" if "A" in upright.getbands() else "RGB")


def with_black(image: Image.Image, regions: list[dict[str, int]]) -> Image.Image:
    expected = image.copy()
    for r in regions:
        expected.paste(
            (0, 0, 0, 255) if image.mode == "RGBA" else (0, 0, 0), (r["x"], r["y"], r["x"] + r["w"], r["y"] + r["h"])
        )
    return expected


def png_chunks(data: bytes) -> list[bytes]:
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    chunks, at = [], 8
    while at < len(data):
        length, kind = struct.unpack(">I4s", data[at : at + 8])
        chunks.append(kind)
        at += 12 + length
    return chunks


def jpeg_with_gps(size: tuple[int, int] = (64, 48), orientation: int | None = None) -> bytes:
    """A JPEG as a phone saves it: EXIF with the camera, the GPS position and maybe an orientation, and an
    ICC profile."""
    image = Image.new("RGB", size, (200, 120, 40))
    for x in range(0, size[0], 8):  # some structure, so misplaced rectangles would show
        image.paste((30, 90, 200), (x, 0, x + 4, size[1]))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "Model X"
    if orientation:
        exif[0x0112] = orientation
    exif.get_ifd(0x8825).update({1: "N", 2: (41.0, 33.0, 12.5), 3: "W", 4: (72.0, 55.0, 3.25)})  # GPS
    out = io.BytesIO()
    image.save(out, "JPEG", quality=95, exif=exif, icc_profile=b"ICC-PROFILE-WITH-A-SECRET" * 8)
    data = out.getvalue()
    assert b"GPS" in data or b"PhoneMaker" in data  # the metadata really is in the original
    return data


def redaction_count() -> int:
    return db.session.scalar(select(func.count()).select_from(ExhibitRedaction)) or 0


def redacted_files(app) -> list[Path]:
    folder = Path(evidence_dir(app), "derived", "redacted")
    return sorted(p for p in folder.iterdir() if not p.name.startswith(".")) if folder.exists() else []


def events(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)))


# The redacted copy ---------------------------------------------------------------------------------------


def test_pixels_inside_the_rectangles_are_black_and_every_other_pixel_is_unchanged(app, world):
    case = world.open()
    exhibit = world.add_screenshot(case)
    original = decoded(evidence.open_original(exhibit, evidence_dir(app)))
    assert original.getpixel((10, 10)) != (0, 0, 0) and original.getpixel((40, 140)) != (0, 0, 0)

    made = redact(app, world, case, exhibit, [HEADER, TEXT])

    copy = decoded(evidence.redacted_bytes(made, evidence_dir(app)))
    assert copy.size == original.size
    assert copy.getpixel((0, 0)) == copy.getpixel((199, 43)) == copy.getpixel((40, 140)) == (0, 0, 0)
    assert copy.getpixel((200, 10)) == original.getpixel((200, 10)) != (0, 0, 0)  # just right of the band
    assert copy.tobytes() == with_black(original, [HEADER, TEXT]).tobytes()  # every pixel, in and out


def test_the_redacted_png_carries_no_exif_gps_icc_or_text_even_from_a_phone_jpeg(app, world):
    case = world.open()
    exhibit = add_file(app, world, case, jpeg_with_gps())
    made = redact(app, world, case, exhibit, [{"x": 0, "y": 0, "w": 10, "h": 10}])

    png = evidence.redacted_bytes(made, evidence_dir(app))
    assert png_chunks(png) == [b"IHDR"] + [b"IDAT"] * (len(png_chunks(png)) - 2) + [b"IEND"]
    for secret in (b"GPS", b"PhoneMaker", b"Model X", b"Exif", b"ICC-PROFILE"):
        assert secret not in png
    with Image.open(io.BytesIO(png)) as image:
        assert dict(image.getexif()) == {} and "icc_profile" not in image.info and "exif" not in image.info
    assert redacted_files(app) == [Path(evidence_dir(app), "derived", "redacted", f"{made.redacted_sha256}.png")]
    assert sha256_of(png) == made.redacted_sha256


def test_coordinates_are_in_the_upright_image_when_the_jpeg_has_an_orientation_tag(app, world):
    case = world.open()
    data = jpeg_with_gps(size=(64, 48), orientation=6)  # stored 64 x 48, shown turned a quarter: 48 x 64
    exhibit = add_file(app, world, case, data)
    assert (exhibit.width, exhibit.height) == (64, 48)
    assert evidence.upright_size(case, exhibit, world.actor(world.investigator), evidence_dir(app)) == (48, 64)
    with pytest.raises(InvalidInput) as refused:  # inside the stored frame but past the upright one's edge
        redact(app, world, case, exhibit, [{"x": 50, "y": 0, "w": 10, "h": 10}])
    assert "48 x 64 pixels" in refused.value.errors["regions"]

    regions = [{"x": 0, "y": 50, "w": 48, "h": 14}]  # the bottom of the image as a person sees it
    made = redact(app, world, case, exhibit, regions)
    copy = decoded(evidence.redacted_bytes(made, evidence_dir(app)))
    upright = decoded(data)  # as browsers show it (exif_transpose)
    assert copy.size == upright.size == (48, 64)
    assert copy.tobytes() == with_black(upright, regions).tobytes()


def test_transparent_pngs_get_opaque_black_and_keep_their_alpha_elsewhere(app, world):
    case = world.open()
    image = Image.new("RGBA", (40, 30), (10, 200, 10, 0))
    image.paste((255, 0, 0, 128), (0, 0, 20, 30))
    out = io.BytesIO()
    image.save(out, "PNG")
    exhibit = add_file(app, world, case, out.getvalue(), "clear.png")
    made = redact(app, world, case, exhibit, [{"x": 15, "y": 5, "w": 10, "h": 10}])
    copy = decoded(evidence.redacted_bytes(made, evidence_dir(app)))
    assert copy.mode == "RGBA"
    assert copy.getpixel((15, 5)) == copy.getpixel((24, 14)) == (0, 0, 0, 255)
    assert copy.getpixel((5, 5)) == (255, 0, 0, 128) and copy.getpixel((35, 25)) == (10, 200, 10, 0)


def test_sixteen_bit_grey_is_scaled_to_eight_bits_not_clipped_to_white(app, world):
    case = world.open()
    image = Image.new("I;16", (30, 10))
    for x in range(30):
        for y in range(10):
            image.putpixel((x, y), x * 2000)
    out = io.BytesIO()
    image.save(out, "PNG")
    exhibit = add_file(app, world, case, out.getvalue(), "grey16.png")
    made = redact(app, world, case, exhibit, [{"x": 0, "y": 0, "w": 5, "h": 10}])
    copy = decoded(evidence.redacted_bytes(made, evidence_dir(app)))
    assert copy.getpixel((2, 2)) == (0, 0, 0)
    assert [copy.getpixel((x, 0))[0] for x in (10, 20, 29)] == [20000 // 257, 40000 // 257, 58000 // 257]


def test_the_original_keeps_its_bytes_hash_and_verified_read(app, world):
    case = world.open()
    exhibit = world.add_screenshot(case)
    path = Path(evidence_dir(app), "originals", exhibit.sha256[:2], exhibit.sha256)
    before, mode = path.read_bytes(), path.stat().st_mode
    redact(app, world, case, exhibit, [HEADER])
    db.session.refresh(exhibit)
    assert path.read_bytes() == before and sha256_of(before) == exhibit.sha256 and path.stat().st_mode == mode
    assert evidence.open_original(exhibit, evidence_dir(app)) == before


def test_a_redaction_is_audited_and_leaves_the_case_version_and_its_approval_alone(app, world):
    case = world.approved(exhibit=True)
    exhibit = evidence.exhibit_of(case, 1)
    version, approval = case.content_version, casework.standing_approval(case)
    assert approval is not None

    made = redact(app, world, case, exhibit, [HEADER, TEXT], user=world.labor, reason="  Release to the union  ")

    db.session.refresh(case)
    assert case.content_version == version and case.state == "approved"
    assert casework.standing_approval(case) == approval  # a working copy voids no approval
    assert (made.exhibit_id, made.created_by_id, made.reason) == (exhibit.id, world.labor.id, "Release to the union")
    assert made.regions == [HEADER, TEXT]
    [event] = events("exhibit.redacted")
    assert (event.actor_id, event.case_id, event.object_type, event.object_id, event.remote_addr) == (
        world.labor.id,
        case.id,
        "exhibit",
        str(exhibit.id),
        "192.0.2.10",
    )
    assert event.detail == {
        "sha256": exhibit.sha256,
        "number": 1,
        "redaction_id": made.id,
        "redacted_sha256": made.redacted_sha256,
        "region_count": 2,
        "reason": "Release to the union",
    }
    assert evidence.custody_log(exhibit)[-1].action == "exhibit.redacted"


def test_the_newest_redaction_is_current_and_the_same_redaction_reuses_its_file(app, world, frozen_clock):
    case = world.open()
    exhibit = world.add_screenshot(case)
    assert evidence.current_redaction(exhibit) is None
    first = redact(app, world, case, exhibit, [HEADER])
    frozen_clock.advance(minutes=5)
    second = redact(app, world, case, exhibit, [HEADER, TEXT])
    frozen_clock.advance(minutes=5)
    third = redact(app, world, case, exhibit, [HEADER], reason="Same rectangles again")

    assert evidence.current_redaction(exhibit) == third
    assert evidence.redactions_of(exhibit) == [third, second, first]
    assert third.redacted_sha256 == first.redacted_sha256 != second.redacted_sha256
    assert len(redacted_files(app)) == 2


# Refusals write nothing ----------------------------------------------------------------------------------


BAD_REGIONS = [
    ([], "at least one rectangle"),
    ("0,0,10,10", "at least one rectangle"),
    ([{"x": -1, "y": 0, "w": 10, "h": 10}], "x and y must be 0 or more"),
    ([{"x": 0, "y": 0, "w": 0, "h": 10}], "at least 1 x 1 pixel"),
    ([{"x": 0, "y": 0, "w": 10, "h": -3}], "at least 1 x 1 pixel"),
    ([{"x": 1.5, "y": 0, "w": 10, "h": 10}], "whole numbers"),
    ([{"x": "1", "y": 0, "w": 10, "h": 10}], "whole numbers"),
    ([{"x": True, "y": 0, "w": 10, "h": 10}], "whole numbers"),
    ([{"x": 0, "y": 0, "w": 10}], "exactly x, y, w and h"),
    ([{"x": 0, "y": 0, "w": 10, "h": 10, "colour": "white"}], "exactly x, y, w and h"),
    ([[0, 0, 10, 10]], "exactly x, y, w and h"),
    ([{"x": 700, "y": 0, "w": 21, "h": 10}], "goes past its edge"),  # the screenshot is 720 wide
    ([{"x": 0, "y": 240, "w": 10, "h": 11}], "goes past its edge"),  # ... and 250 high
    ([HEADER] * 201, "At most 200 rectangles"),
]


# Who may redact ------------------------------------------------------------------------------------------


# Reading the copy back -----------------------------------------------------------------------------------


# Reading typed and drawn regions (no database) -----------------------------------------------------------


def test_typed_lines_become_regions_and_bad_lines_are_named():
    assert evidence.regions_from_lines("10,20,30,40\n\n 1 , 2 , 3 , 4 \r\n") == [
        {"x": 10, "y": 20, "w": 30, "h": 40},
        {"x": 1, "y": 2, "w": 3, "h": 4},
    ]
    assert evidence.regions_from_lines("") == []
    assert evidence.regions_from_lines("-5,0,1,1") == [{"x": -5, "y": 0, "w": 1, "h": 1}]  # range: the service
    with pytest.raises(InvalidInput) as refused:
        evidence.regions_from_lines("10,20,30\n1,2,3,4\nten,0,1,1\n1.5,0,1,1")
    message = refused.value.errors["typed_regions"]
    assert "line 1 ('10,20,30')" in message and "line 3" in message and "line 4" in message
    assert "line 2" not in message


def test_drawn_regions_must_be_a_json_list_of_objects():
    assert evidence.regions_from_json('[{"x":1,"y":2,"w":3,"h":4}]') == [{"x": 1, "y": 2, "w": 3, "h": 4}]
    assert evidence.regions_from_json("  ") == []
    for junk in ("{", '{"x":1}', "[1,2]", "null", '"text"'):
        with pytest.raises(InvalidInput) as refused:
            evidence.regions_from_json(junk)
        assert "could not be read" in refused.value.errors["regions"]
