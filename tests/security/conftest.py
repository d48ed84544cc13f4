"""The security cases of issue 15 share the evidence tests' pristine SUNAT run."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from tests.evidence.conftest import pristine  # noqa: F401  (a shared session fixture)


def seal(folder: Path) -> str:
    """The hash a ticket holds: the SHA-256 of the folder's manifest.json."""
    return hashlib.sha256((folder / "manifest.json").read_bytes()).hexdigest()


@pytest.fixture
def copy(pristine: Path, tmp_path: Path) -> Path:  # noqa: F811
    """A copy of the pristine run folder to tamper with."""
    folder = tmp_path / "run"
    shutil.copytree(pristine, folder, symlinks=True)
    return folder
