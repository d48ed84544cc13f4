from __future__ import annotations

import base64
import io
import json
import urllib.parse
import zipfile
from pathlib import Path

import pytest

from portal_bot.leaks import scan

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
