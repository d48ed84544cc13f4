"""Checking a run folder against its manifest, its event chain and the ticket's seal.

What can be told apart: a changed file, an added file (a nested ``manifest.json`` too), a
symbolic link or anything else that is not a plain file, a deleted file, a renamed file
(same content under another name), a broken chain (a line edited, inserted or removed in
the middle of events.jsonl) and events cut off at the end (the chain is whole but stops
before the hash the manifest recorded).

The hash given to the ticket is the SHA-256 of ``manifest.json``, which lists the SHA-256
of every file and the chain's last hash: a folder rebuilt with a rewritten manifest,
however consistent, does not match it.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from portal_bot.evidence import (
    EVENTS,
    GENESIS,
    MANIFEST,
    REPORT,
    line_hash,
    listed_files,
    sha256_file,
)

REQUIRED = (EVENTS, REPORT)


@dataclass(frozen=True)
class Problem:
    kind: str
    message: str


def verify(folder: Path, expected_seal: str | None = None) -> list[Problem]:
    """Every problem found; an empty list means the folder is as it was written."""
    manifest_path = folder / MANIFEST
    if manifest_path.is_symlink() or not manifest_path.is_file():
        return [Problem("manifest", f"falta {MANIFEST}: no se puede comprobar la carpeta")]
    problems: list[Problem] = []
    if expected_seal is not None and expected_seal.strip().lower() != sha256_file(manifest_path):
        problems.append(
            Problem(
                "ticket",
                "el sello del ticket no es el de esta carpeta: algún archivo o el manifiesto "
                "fue cambiado, quitado o añadido, o la carpeta fue rehecha",
            )
        )
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        recorded = {str(k): str(v) for k, v in dict(manifest["files"]).items()}
        chain_recorded = str(manifest["chain"])
    except (ValueError, KeyError, TypeError, AttributeError):
        return [*problems, Problem("manifest", f"{MANIFEST} está dañado o no es un manifiesto")]
    problems += _strange(folder)
    problems += _files(folder, recorded)
    problems += [
        Problem("deleted", f"archivo borrado: {name}")
        for name in REQUIRED
        if name not in recorded and not (folder / name).is_file()
    ]
    problems += _chain(folder, chain_recorded)
    return problems


def _strange(folder: Path) -> list[Problem]:
    """Symbolic links and anything that is neither a plain file nor a folder."""
    found: list[Problem] = []
    for parent, dirs, files in os.walk(folder):
        for name in sorted(dirs + files):
            path = Path(parent) / name
            relative = path.relative_to(folder).as_posix()
            if path.is_symlink():
                found.append(Problem("added", f"enlace simbólico añadido: {relative}"))
            elif not (path.is_file() or path.is_dir()):
                found.append(Problem("added", f"archivo especial añadido: {relative}"))
    return found


def _files(folder: Path, recorded: dict[str, str]) -> list[Problem]:
    present = {name: sha256_file(folder / name) for name in listed_files(folder)}
    missing = {name: digest for name, digest in recorded.items() if name not in present}
    added = {name: digest for name, digest in present.items() if name not in recorded}
    problems: list[Problem] = []
    for old, digest in list(missing.items()):
        new = next((n for n, d in added.items() if d == digest), None)
        if new is not None:
            problems.append(Problem("renamed", f"archivo renombrado: {old} → {new}"))
            del missing[old]
            del added[new]
    problems += [Problem("deleted", f"archivo borrado: {name}") for name in missing]
    problems += [Problem("added", f"archivo añadido: {name}") for name in added]
    problems += [
        Problem("changed", f"archivo modificado: {name}")
        for name, digest in present.items()
        if name in recorded and recorded[name] != digest
    ]
    return problems


def _chain(folder: Path, recorded: str) -> list[Problem]:
    path = folder / EVENTS
    if path.is_symlink() or not path.is_file():
        return []  # already reported as a deleted file or a link
    chain = GENESIS
    lines = [line for line in path.read_bytes().splitlines() if line.strip()]
    for number, line in enumerate(lines, start=1):
        try:
            record = json.loads(line)
        except ValueError:
            return [Problem("chain", f"{EVENTS}: la línea {number} no es JSON válido")]
        if not isinstance(record, dict):
            return [Problem("chain", f"{EVENTS}: la línea {number} no es un evento")]
        if record.get("prev") != chain:
            return [
                Problem("chain", f"{EVENTS}: la cadena se rompe en la línea {number} "
                        "(una línea anterior fue cambiada, quitada o insertada)")
            ]  # fmt: skip
        chain = line_hash(line)
    if chain != recorded:
        return [
            Problem(
                "truncated",
                f"{EVENTS}: los eventos están recortados al final: la cadena termina en la "
                f"línea {len(lines)} sin llegar al hash registrado",
            )
        ]
    return []
