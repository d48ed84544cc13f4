"""Pictures as they are kept: Chromium's PNG made into a WebP, and written by the evidence
folder's writer thread before the folder closes."""

from __future__ import annotations

import errno
import io
from pathlib import Path

import pytest
from PIL import Image

from portal_bot.evidence import Evidence, EvidenceWriteError
from portal_bot.shots import WEBP_MAX_SIDE, to_webp


def png(width: int, height: int, mode: str = "RGBA") -> bytes:
    data = io.BytesIO()
    Image.new(mode, (width, height), "white").save(data, "PNG")
    return data.getvalue()


def test_a_png_is_kept_as_an_opaque_webp_of_the_same_size() -> None:
    with Image.open(io.BytesIO(to_webp(png(960, 600)))) as kept:
        assert (kept.format, kept.size, kept.mode) == ("WEBP", (960, 600), "RGB")


def test_a_whole_page_taller_than_a_webp_can_be_is_kept_scaled_down() -> None:
    with Image.open(io.BytesIO(to_webp(png(1280, 20_000, "RGB")))) as kept:
        assert kept.size[1] == WEBP_MAX_SIDE
        assert kept.size[0] == round(1280 * WEBP_MAX_SIDE / 20_000)


def test_pictures_made_on_the_writer_thread_are_all_in_the_folder_once_it_closes(
    tmp_path: Path,
) -> None:
    evidence = Evidence(tmp_path / "ev")
    names = [
        evidence.screenshot(n, "paso", lambda: to_webp(png(960, 600)), suffix="webp")
        for n in range(1, 6)
    ]
    evidence.close()
    for name in names:
        with Image.open(evidence.folder / name) as kept:
            assert kept.format == "WEBP"


def test_a_picture_that_could_not_be_made_leaves_the_rest_and_the_folder_closes(
    tmp_path: Path,
) -> None:
    def broken() -> bytes:
        raise OSError("disco lleno")

    evidence = Evidence(tmp_path / "ev")
    kept = evidence.screenshot(1, "bien", lambda: to_webp(png(10, 10)), suffix="webp")
    evidence.screenshot(2, "roto", broken, suffix="webp")
    assert evidence.close() == evidence.chain
    assert (evidence.folder / kept).is_file()
    assert not list((evidence.folder / "shots").glob("002-*"))


def test_a_picture_the_disk_had_no_room_for_is_an_evidence_error_before_the_run_ends(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """However late the writer thread gets to it (here, after everything else)."""
    real_write = Path.write_bytes

    def full_for_the_second(self: Path, data: bytes) -> int:
        if self.name.startswith("002-"):
            raise OSError(errno.ENOSPC, "No space left on device", str(self))
        return real_write(self, data)

    monkeypatch.setattr(Path, "write_bytes", full_for_the_second)
    evidence = Evidence(tmp_path / "ev")
    kept = evidence.screenshot(1, "bien", lambda: to_webp(png(10, 10)), suffix="webp")
    evidence.screenshot(2, "sin-sitio", lambda: to_webp(png(10, 10)), suffix="webp")

    with pytest.raises(EvidenceWriteError, match="no queda espacio en el disco"):
        evidence.written()
    evidence.written()  # told once
    evidence.close()
    assert (evidence.folder / kept).is_file()
    assert not list((evidence.folder / "shots").glob("002-*"))
