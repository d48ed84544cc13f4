"""The wheel: what it holds, and that it works installed in a new environment.

The wheel is built from a copy of the working tree, so that the build neither writes
``build/`` and ``*.egg-info`` into the repository nor picks up stale files from an old
``build/lib``. The new environment gets the dependencies from this virtualenv's
site-packages through a ``.pth`` line (nothing is downloaded); portal-bot itself comes from
the wheel (a plain path line does not run this virtualenv's editable-install finder).
``scripts/check-wheel.sh`` does the same with a real ``pip install`` from PyPI.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "src" / "portal_bot"
NOT_SOURCES = (".git", ".venv", "build", "dist", "runs", "*.egg-info", "__pycache__", ".*_cache")
PIP = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
DEMO = ["--input", "ruc=20100066603", "--input", "usuario_sol=MODDATOS"]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("wheel")
    source = tmp / "source"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(*NOT_SOURCES), symlinks=True)
    subprocess.run(
        [*PIP, "wheel", "--no-deps", "--no-build-isolation", "-w", str(tmp / "dist"), str(source)],
        check=True,
        capture_output=True,
    )
    [built] = (tmp / "dist").glob("portal_bot-*.whl")
    return built


def test_wheel_holds_the_package_flows_and_assets_and_nothing_else(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())

    flows = {f"portal_bot/flows/{p.name}" for p in (ROOT / "flows").glob("*.yaml")}
    assert len(flows) == 4
    assert flows <= names
    # Every file of the package: modules, templates, the mocks' static files, py.typed.
    package = {
        f"portal_bot/{p.relative_to(PACKAGE).as_posix()}"
        for p in PACKAGE.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"
    }
    assert {"portal_bot/py.typed", "portal_bot/templates/report.html"} <= package
    assert any(n.startswith("portal_bot/mocks/sunat/templates/") for n in package)
    assert any(n.startswith("portal_bot/mocks/sii/static/") for n in package)
    assert package - names == set()

    [metadata] = {name.split("/")[0] for name in names} - {"portal_bot"}
    assert metadata.endswith(".dist-info")
    for name in names:
        assert "__pycache__" not in name and not name.endswith(".pyc"), name
        assert not name.startswith(("tests/", "benchmarks/", ".venv/", "flows/")), name
    entry_points = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
    text = zipfile.ZipFile(wheel).read(entry_points).decode()
    assert "[pytest11]\nportal_bot = portal_bot.pytest_plugin" in text
    assert "portal-bot = portal_bot.handover:main" in text


def test_installed_wheel_lists_the_flows_and_runs_the_demo(wheel: Path, tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    site = Path(
        subprocess.run(
            [python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    )
    (site / "repo-dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    subprocess.run(
        [*PIP, "--python", str(python), "install", "--no-deps", str(wheel)],
        check=True,
        capture_output=True,
    )

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("PORTAL_BOT_SECRET_", "PYTHON", "VIRTUAL_ENV"))
    }
    env |= {"PATH": f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}", "COLUMNS": "200"}

    def run(*args: str | Path, **extra: str) -> str:
        done = subprocess.run(
            args, cwd=elsewhere, env=env | extra, capture_output=True, text=True, timeout=120
        )
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout

    where = run(python, "-c", "import portal_bot.cli as c; print(c.__file__, *c.flow_dirs())")
    module, *dirs = where.split()
    assert Path(module).is_relative_to(site)
    assert dirs == [str(site / "portal_bot" / "flows")]

    listed = run(venv / "bin" / "portal-bot", "flows")
    for path in (ROOT / "flows").glob("*.yaml"):
        assert path.stem in listed

    evidence = tmp_path / "evidencia"
    out = run(
        venv / "bin" / "portal-bot",
        "run",
        "pe-sunat-pse-alta",
        "--mock",
        "--yes",
        *DEMO,
        "--evidence",
        str(evidence),
        PORTAL_BOT_SECRET_CLAVE_SOL="moddatos",
    )
    assert "Flujo completado" in out
    assert (evidence / "report.html").is_file()
