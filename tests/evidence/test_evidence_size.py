"""Every seed flow's evidence folder fits in 2 MB (screenshots, events, report with its
embedded pictures, kept files), the unpaid Siigo run included: it pays, so it has the
most screens."""

from __future__ import annotations

import pytest

from tests.conftest import SEED_RUNS, DemoRuns, completed

LIMIT = 2_000_000


@pytest.mark.parametrize("name", sorted(SEED_RUNS))
def test_evidence_fits_in_two_megabytes(name: str, demo_runs: DemoRuns) -> None:
    folder = demo_runs(name)
    completed(folder)
    sizes = {p.relative_to(folder).as_posix(): p.stat().st_size
             for p in folder.rglob("*") if p.is_file()}  # fmt: skip
    total = sum(sizes.values())

    assert (folder / "report.html").is_file()
    biggest = sorted(sizes.items(), key=lambda item: -item[1])[:3]
    assert total <= LIMIT, f"{name}: {total / 1e6:.2f} MB; the largest: {biggest}"
