from __future__ import annotations

import base64
import io
import json
import urllib.parse
import zipfile
from pathlib import Path

import pytest

from portal_bot.leaks import encodings, scan

SECRET = "Clave con espacio&ñ"


def _zip(data: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("trace/network.json", data)
    return buffer.getvalue()


ENCODED = {
    "raw": SECRET.encode(),
    "url-percent": urllib.parse.quote(SECRET).encode(),
    "url-plus": urllib.parse.quote_plus(SECRET).encode(),
    "json": json.dumps({"v": SECRET}).encode(),
    "html-entities": "".join(f"&#{ord(c)};" for c in SECRET).encode(),
    "utf16": SECRET.encode("utf-16-le"),
    "base64-0": base64.b64encode(SECRET.encode()),
    "base64-1": base64.b64encode(b"x" + SECRET.encode()),
    "base64-2": base64.b64encode(b"xy" + SECRET.encode()),
    "zip": _zip(b"password=" + SECRET.encode()),
}


@pytest.mark.parametrize("form", list(ENCODED))
def test_each_encoding_is_found_and_the_file_removed(form: str, tmp_path: Path) -> None:
    leaky = tmp_path / "shots" / "001.bin"
    leaky.parent.mkdir()
    leaky.write_bytes(b"prefix " + ENCODED[form] + b" suffix")
    (tmp_path / "clean.txt").write_text("nada que ver")

    leaks = scan(tmp_path, {"clave_sol": SECRET})

    assert [(leak.file, leak.secret) for leak in leaks] == [("shots/001.bin", "clave_sol")]
    assert not leaky.exists()
    assert (tmp_path / "clean.txt").exists()


def test_clean_folder_has_no_hits(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("•••")
    assert scan(tmp_path, {"clave_sol": SECRET}) == []


def test_an_embedded_picture_is_searched_as_its_bytes_not_as_base64_text(tmp_path: Path) -> None:
    """The report embeds the run's pictures; their base64 text holds, by chance, a short
    secret's base64 forms («aWlpa» for ZZZZZZ). A secret inside the picture's bytes is
    still found; a secret beside it in the page too."""
    innocent = b"\x00\x01" + b"iiiiiii" + b"\x02"  # its base64 text holds «aWlpaWlp»
    page = tmp_path / "report.html"
    page.write_bytes(b'<img src="data:image/webp;base64,' + base64.b64encode(innocent) + b'">')
    inside = tmp_path / "inside.html"
    picture = base64.b64encode(b"\x00ZZZZZZ")
    inside.write_bytes(b'<img src="data:image/png;base64,' + picture + b'">')
    beside = tmp_path / "beside.html"
    beside.write_bytes(b'<img src="data:image/png;base64,AAAA"><p>' + base64.b64encode(b"ZZZZZZ"))

    assert any(form in base64.b64encode(innocent) for form in encodings("ZZZZZZ"))
    leaks = scan(tmp_path, {"codigo": "ZZZZZZ"})

    assert sorted(leak.file for leak in leaks) == ["beside.html", "inside.html"]
    assert page.exists()
