"""Checking a run folder against its manifest and its event chain.

What can be told apart: a changed file, an added file, a deleted file, a renamed file
(same content under another name), a broken chain (a line edited, inserted or removed in
the middle of events.jsonl) and events cut off at the end (the chain is whole but stops
before the hash the manifest, or the ticket, recorded).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from portal_bot.evidence import EVENTS, GENESIS, MANIFEST, line_hash, sha256_file


@dataclass(frozen=True)
class Problem:
    kind: str
    message: str


def verify(folder: Path, expected_chain: str | None = None) -> list[Problem]:
    """Every problem found; an empty list means the folder is as it was written."""
    manifest_path = folder / MANIFEST
    if not manifest_path.is_file():
        return [Problem("manifest", f"falta {MANIFEST}: no se puede comprobar la carpeta")]
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        recorded: dict[str, str] = dict(manifest["files"])
        chain_recorded = str(manifest["chain"])
    except (ValueError, KeyError, TypeError):
        return [Problem("manifest", f"{MANIFEST} está dañado o no es un manifiesto")]
    problems = _files(folder, recorded)
    problems += _chain(folder, chain_recorded)
    if expected_chain is not None and expected_chain != chain_recorded:
        problems.append(
            Problem(
                "ticket",
                "el hash final del manifiesto no es el del ticket: la carpeta entera "
                "(manifiesto incluido) fue rehecha",
            )
        )
    return problems


def _files(folder: Path, recorded: dict[str, str]) -> list[Problem]:
    present = {
        p.relative_to(folder).as_posix(): sha256_file(p)
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != MANIFEST
    }
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
    if not path.is_file():
        return []  # already reported as a deleted file
    chain = GENESIS
    lines = [line for line in path.read_bytes().splitlines() if line.strip()]
    for number, line in enumerate(lines, start=1):
        try:
            previous = json.loads(line).get("prev")
        except ValueError:
            return [Problem("chain", f"{EVENTS}: la línea {number} no es JSON válido")]
        if previous != chain:
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
