"""HEIC/HEIF photos, the iPhone's default (issue 16, item 6): accepted, kept unchanged and served as HEIC, shown
and printed from their decoded, upright pixels; refused with a clear reason when damaged, too large, or when
HEIC support (pillow-heif) is off. The photos are made here with pillow-heif: no binary is committed."""

from __future__ import annotations

import hashlib
import io
import sys

import pillow_heif
import pytest
from flask import current_app
from PIL import Image
from pypdf import PdfReader

from project.services import evidence, packets
from tests.evidence_files import add, refusal

BLUE, RED = (0, 0, 255), (200, 10, 10)
ORIENTATION = 0x0112


def heic_bytes(size: tuple[int, int] = (80, 40), orientation: int | None = None) -> bytes:
    """A HEIC photo, red with a blue band down its left quarter; ``orientation`` is the camera's EXIF tag
    (6: the phone was held upright, so the stored pixels are turned 90 degrees clockwise to be shown)."""
    image = Image.new("RGB", size, RED)
    image.paste(BLUE, (0, 0, size[0] // 4, size[1]))
    exif = Image.Exif()
    if orientation:
        exif[ORIENTATION] = orientation
    out = io.BytesIO()
    pillow_heif.from_pillow(image).save(out, quality=90, exif=exif.tobytes())
    return out.getvalue()


def close_to(pixel: tuple[int, ...], colour: tuple[int, int, int], tolerance: int = 40) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(pixel[:3], colour, strict=True))


def upload_page(case) -> str:
    return f"/cases/{case.number}/exhibits/new"


# Accepted, kept and served as HEIC ------------------------------------------------------------------------


def test_an_iphone_photo_is_accepted_and_its_original_served_unchanged_as_heic(app, client, world, sign_in, post_form):
    case = world.open()
    data = heic_bytes()
    sign_in(client, "inv1@example.test")
    form = {
        "description": "Photo of the post on the complainant's iPhone",
        "captured_by": "Ivy Investigator",
        "capture_method": "iPhone 15 camera",
        "file": (io.BytesIO(data), "IMG_0412.HEIC"),
    }
    response = post_form(client, upload_page(case), form, content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "image/heic, 80 x 40 pixels" in page

    original = client.get(f"/cases/{case.number}/exhibits/1/original")
    assert original.data == data and original.headers["Content-Type"] == "image/heic"
    assert original.headers["Content-Disposition"] == f"inline; filename={case.number}-exhibit-1.heic"
    download = client.get(f"/cases/{case.number}/exhibits/1/download")
    assert download.data == data and download.headers["Content-Type"] == "image/heic"
    assert download.headers["Content-Disposition"] == f"attachment; filename={case.number}-exhibit-1.heic"
    thumbnail = client.get(f"/cases/{case.number}/exhibits/1/thumbnail")
    assert thumbnail.headers["Content-Type"] == "image/png" and Image.open(io.BytesIO(thumbnail.data)).size == (80, 40)
    stored = evidence.exhibits_of(case)[0]
    assert stored.sha256 == hashlib.sha256(data).hexdigest() and stored.original_filename == "IMG_0412.HEIC"


def test_the_thumbnail_and_the_print_copy_are_upright_decoded_pixels(app, world):
    data = heic_bytes(orientation=6)  # held upright: shown 40 wide, 80 high, the blue band on top
    case = world.open()
    exhibit = add(app, world, case, data, filename="IMG_0413.HEIC")
    assert (exhibit.media_type, exhibit.width, exhibit.height) == ("image/heic", 40, 80)

    evidence_dir = app.config["EVIDENCE_DIR"]
    thumbnail = Image.open(
        io.BytesIO(evidence.view_thumbnail(case, exhibit, world.actor(world.investigator), evidence_dir) or b"")
    )
    rendition = Image.open(io.BytesIO(evidence.image_rendition(evidence_dir, exhibit.sha256, data)))
    assert rendition.format == "JPEG"
    for picture in (thumbnail.convert("RGB"), rendition.convert("RGB")):
        assert picture.size == (40, 80)
        assert close_to(picture.getpixel((20, 5)), BLUE) and close_to(picture.getpixel((20, 70)), RED)


def test_a_packet_prints_the_photo_and_attaches_the_heic_original(app, world):
    case = world.open()
    data = heic_bytes()
    add(app, world, case, data, filename="IMG_0414.HEIC")
    world.approved_not_sustained(case)
    config = current_app.config
    packet = packets.render_packet(
        case, packets.PacketOrder("full", None), packets.PrintSettings(config["EVIDENCE_DIR"], "DOC-")
    )
    reader = PdfReader(io.BytesIO(packet.pdf))
    sha = hashlib.sha256(data).hexdigest()
    assert reader.attachments[f"{sha}.heic"] == [data]
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "could not be rendered" not in text
    assert any(image.image.format == "JPEG" for page in reader.pages for image in page.images)


# Refused, with the reason ---------------------------------------------------------------------------------


@pytest.mark.parametrize("cut", [0.5, 0.9], ids=["half", "last-tenth-missing"])
def test_a_damaged_heic_is_refused_and_nothing_kept(app, world, cut):
    data = heic_bytes()
    errors = refusal(app, world, world.open(), data[: int(len(data) * cut)], filename="IMG_0415.HEIC")
    assert errors["file"] == "The HEIC image is damaged or incomplete and cannot be read. Capture or export it again."


def test_a_heic_over_the_pixel_limit_is_refused_before_decoding(app, world):
    errors = refusal(app, world, world.open(), heic_bytes((200, 100)), max_pixels=10_000)
    assert errors["file"].startswith("The image is too large (200 x 100 pixels): the limit is 10,000 pixels")


def test_without_pillow_heif_a_heic_is_refused_saying_heic_support_is_off(app, world, monkeypatch):
    data = heic_bytes()
    monkeypatch.setitem(sys.modules, "pillow_heif", None)  # as on a server where it is not installed
    errors = refusal(app, world, world.open(), data, filename="IMG_0416.HEIC")
    assert "HEIC support is off on this server" in errors["file"]
    assert "Settings > Camera > Formats > Most Compatible" in errors["file"]
    # the other types are still taken
    png = io.BytesIO()
    Image.new("RGB", (10, 10)).save(png, "PNG")
    assert add(app, world, world.open(), png.getvalue()).media_type == "image/png"


def brand_box(major: bytes, *compatible: bytes) -> bytes:
    body = b"ftyp" + major + b"\0\0\0\0" + b"".join(compatible)
    return (len(body) + 4).to_bytes(4, "big") + body + bytes(64)


@pytest.mark.parametrize(
    ("data", "media_type"),
    [
        (brand_box(b"heic", b"mif1", b"heic"), "image/heic"),
        (brand_box(b"mif1", b"heic", b"miaf"), "image/heic"),
        (brand_box(b"heix", b"mif1"), "image/heic"),
        (brand_box(b"msf1", b"hevc"), "image/heic"),
        (brand_box(b"avif", b"mif1", b"miaf"), None),  # AVIF shares mif1: not taken for HEIC
        (brand_box(b"isom", b"iso2", b"mp41"), "video/mp4"),  # an MP4 video (issue 17), never taken for HEIC
        (b"\0\0\0\x18ftyp", None),  # too short to name a brand
    ],
    ids=["heic", "mif1-heic", "heix", "msf1-sequence", "avif", "mp4", "truncated-box"],
)
def test_heic_is_recognised_by_its_brand_not_by_any_iso_media_file(data, media_type):
    assert evidence.sniff_media_type(data) == media_type


def test_a_heic_with_another_name_is_still_read_as_heic(app, world):
    exhibit = add(app, world, world.open(), heic_bytes(), filename="photo.jpg")
    assert exhibit.media_type == "image/heic" and exhibit.original_filename == "photo.jpg"


# The upload form ------------------------------------------------------------------------------------------


def test_the_upload_form_offers_heic_and_gives_the_browser_the_size_limit(app, client, world, sign_in):
    case = world.open()
    sign_in(client, "inv1@example.test")
    page = " ".join(client.get(upload_page(case)).get_data(as_text=True).split())
    assert "HEIC photos (the iPhone's default; printed from a converted copy)" in page
    assert 'accept="image/png,image/jpeg,image/webp,image/heic,image/heif,.heic,.heif,application/pdf,.pdf,' in page
    assert f'data-max-bytes="{app.config["EVIDENCE_MAX_BYTES"]}"' in page and 'data-limit="25 MB"' in page
    assert "/static/js/upload.js" in page


def test_a_body_over_the_request_limit_gets_a_page_that_names_the_exhibit_limit(app, client, world, sign_in):
    case = world.open()
    sign_in(client, "inv1@example.test")
    app.config["MAX_CONTENT_LENGTH"] = 1024
    response = client.post(
        upload_page(case),
        data={"file": (io.BytesIO(bytes(4096)), "big.heic")},
        content_type="multipart/form-data",
        headers={"Referer": f"http://localhost{upload_page(case)}"},
    )
    page = " ".join(response.get_data(as_text=True).split())
    assert response.status_code == 413
    assert "the limit is 25 MB for one exhibit" in page and "Nothing was saved" in page
    assert f'href="http://localhost{upload_page(case)}"' in page
