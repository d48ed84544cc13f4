"""The run folder: the only place a run writes to.

::

    runs/20261121T140000Z-pe-sunat-pse-alta/
      events.jsonl      one event a line; each line carries the SHA-256 of the line before
      shots/NNN-….webp  a screenshot per executed step
      files/…           files the portal gave (e.g. a downloaded letter)
      report.html       made from events.jsonl
      manifest.json     SHA-256 of every file, and the last chain hash

File names are made here from step numbers and safe slugs, never taken from a flow or a
portal as they are.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import re
import unicodedata
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from portal_bot import interrupts
from portal_bot.errors import UsageError
from portal_bot.events import Event

GENESIS = "0" * 64
EVENTS = "events.jsonl"
MANIFEST = "manifest.json"
REPORT = "report.html"


def default_folder(flow_id: str, root: Path = Path("runs")) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    return root / f"{stamp}-{flow_id}"


def claim_folder(flow_id: str, root: Path = Path("runs")) -> Path:
    """A new, empty folder for a run without ``--evidence``: ``default_folder``, or
    ``…-2``, ``…-3`` when another run of the same flow started in the same second.
    ``mkdir`` is atomic, so two processes never get the same one."""
    base = default_folder(flow_id, root)
    root.mkdir(parents=True, exist_ok=True)
    for n in range(1, 1000):
        folder = base if n == 1 else base.with_name(f"{base.name}-{n}")
        try:
            folder.mkdir()
        except FileExistsError:
            continue
        return folder
    raise UsageError(f"Ya hay demasiadas carpetas {base}-N; indique una con --evidence.")


def safe_slug(text: str, limit: int = 40, empty: str = "paso") -> str:
    """A file-name part made only of a-z, 0-9 and dashes, whatever ``text`` holds
    (``empty`` when nothing of it is left)."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")[:limit].strip("-")
    return slug or empty


def line_hash(line: bytes) -> str:
    return hashlib.sha256(line).hexdigest()


def event_line(event: Event, prev: str) -> bytes:
    """An event as one line of ``events.jsonl`` (without the newline), chained to the
    hash ``prev`` of the line before."""
    record: dict[str, Any] = event.model_dump(mode="json")
    record["prev"] = prev
    return json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


class EvidenceWriteError(UsageError):
    """The evidence folder cannot be written (a full disk, a read-only file system)."""


_WHY = {
    errno.ENOSPC: "no queda espacio en el disco",
    errno.EDQUOT: "se acabó la cuota de disco",
    errno.EROFS: "el sistema de archivos es de solo lectura",
    errno.EACCES: "no tiene permiso para escribir ahí",
    errno.EPERM: "no tiene permiso para escribir ahí",
    errno.ENOTDIR: "es un archivo, no una carpeta",
    errno.EEXIST: "ya existe un archivo con ese nombre",
}


def evidence_error(folder: Path, exc: OSError) -> EvidenceWriteError:
    why = _WHY.get(exc.errno or 0, exc.strerror or type(exc).__name__)
    return EvidenceWriteError(
        f"No se puede escribir la evidencia en {folder}: {why}. Indique otra carpeta con "
        "--evidence (o libere espacio) y vuelva a ejecutar."
    )


def _system_folder(folder: Path) -> bool:
    """/proc, /sys and /dev hold no files a run may write."""
    resolved = folder.resolve()
    return any(resolved == Path(s) or Path(s) in resolved.parents for s in SYSTEM_DIRS)


SYSTEM_DIRS = ("/proc", "/sys", "/dev")


class Evidence:
    """An evidence folder being written; listens to events and stores files."""

    def __init__(self, folder: Path) -> None:
        if _system_folder(folder):
            raise EvidenceWriteError(
                f"{folder} es del sistema, no una carpeta para evidencias; indique otra con "
                "--evidence."
            )
        try:
            if folder.exists() and not folder.is_dir():
                raise NotADirectoryError(errno.ENOTDIR, "no es una carpeta", str(folder))
            if folder.exists() and any(folder.iterdir()):
                raise UsageError(
                    f"La carpeta de evidencia {folder} ya existe y no está vacía; "
                    "indique otra con --evidence para no mezclar ni perder evidencias."
                )
            folder.mkdir(parents=True, exist_ok=True)
            self.folder = folder.resolve()
            self._events = (self.folder / EVENTS).open("ab")
        except OSError as exc:
            raise evidence_error(folder, exc) from None
        self.chain = GENESIS
        self.closed = False
        self._writer: ThreadPoolExecutor | None = None
        self._pending: list[Future[str]] = []

    # events ----------------------------------------------------------------------------

    def __call__(self, event: Event) -> None:
        line = event_line(event, self.chain)
        with interrupts.uncut():  # the line and the hash the next line names go together
            try:
                self._events.write(line + b"\n")
                self._events.flush()
            except OSError as exc:
                raise evidence_error(self.folder, exc) from None
            self.chain = line_hash(line)

    # files -----------------------------------------------------------------------------

    def _write(self, relative: str, data: bytes) -> str:
        target = (self.folder / relative).resolve()
        if self.folder not in target.parents:
            raise UsageError(f"ruta de evidencia fuera de la carpeta: {relative}")
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        except OSError as exc:
            target.unlink(missing_ok=True)  # no half-written file left behind
            raise evidence_error(self.folder, exc) from None
        return relative

    def screenshot(
        self, index: int, name: str, data: bytes | Callable[[], bytes], suffix: str = "jpg"
    ) -> str:
        """Store a picture; return its path in the folder. ``data`` may be what makes the
        bytes (a picture still to encode): it runs on the folder's one writer thread, in
        order, while the run goes on. A write that failed there raises at the next picture,
        or at :meth:`written`, as a write here would."""
        relative = f"shots/{index:03d}-{safe_slug(name)}.{suffix}"
        if not callable(data):
            return self._write(relative, data)
        for done in [future for future in self._pending if future.done()]:
            self._pending.remove(done)
            done.result()
        if self._writer is None:
            self._writer = ThreadPoolExecutor(1, thread_name_prefix="portal-bot-evidencia")
        self._pending.append(self._writer.submit(lambda: self._write(relative, data())))
        return relative

    def written(self) -> None:
        """Wait for every picture still being made; raise the first that could not be
        written (:class:`EvidenceWriteError` for a full disk). A run is not called done
        before this: a picture the disk had no room for is a failed run, not a gap
        nobody was told of."""
        pending, self._pending = self._pending, []
        failures = [future.exception() for future in pending]
        first = next((failure for failure in failures if failure is not None), None)
        if first is not None:
            raise first

    def keep_file(self, index: int, name: str, original: str, data: bytes) -> str:
        extension = safe_slug(Path(original).suffix.lstrip("."), 8, empty="bin")
        return self._write(f"files/{index:03d}-{safe_slug(name)}.{extension}", data)

    def trace_part(self, number: int) -> Path:
        """Where the ``number``-th part of a ``--trace`` recording goes."""
        target = self.folder / "trace" / f"parte-{number:02d}.zip"
        target.parent.mkdir(exist_ok=True)
        return target

    # closing ---------------------------------------------------------------------------

    def close(self) -> str:
        """Stop taking events, once every picture is written; return the final chain
        hash."""
        if not self.closed:
            self.closed = True
            with interrupts.uncut():  # a Ctrl-C now would leave pictures unwritten
                # A picture that could not be written (a full disk) is missing from the
                # folder; the rest of the folder is closed all the same.
                with contextlib.suppress(Exception):
                    self.written()
                if self._writer is not None:
                    self._writer.shutdown()
            # A full disk: what could not be flushed is lost, not the rest of the folder.
            with contextlib.suppress(OSError):
                self._events.close()
        return self.chain


def listed_files(folder: Path) -> list[str]:
    """Every regular file under ``folder`` but the top manifest, as relative POSIX paths
    (symbolic links are not followed: ``verify`` reports them)."""
    found: list[str] = []
    for parent, dirs, files in os.walk(folder):
        here = Path(parent)
        for name in files:
            path = here / name
            if path.is_symlink() or not path.is_file():
                continue
            relative = path.relative_to(folder).as_posix()
            if relative != MANIFEST:
                found.append(relative)
        dirs.sort()
    return sorted(found)


def write_manifest(folder: Path, chain: str) -> str:
    """Write manifest.json (the SHA-256 of every file, and the last chain hash); return the
    SHA-256 of the manifest itself: the seal printed for the ticket, which commits to every
    file of the folder."""
    files = {name: sha256_file(folder / name) for name in listed_files(folder)}
    manifest = {"chain": chain, "files": files}
    data = (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    (folder / MANIFEST).write_bytes(data)
    return hashlib.sha256(data).hexdigest()


def read_events(folder: Path) -> list[dict[str, Any]]:
    """Every event of a run folder as plain dicts, in order."""
    events: list[dict[str, Any]] = []
    lines = (folder / EVENTS).read_bytes().splitlines()
    for number, line in enumerate((line for line in lines if line.strip()), start=1):
        try:
            event = json.loads(line)
        except ValueError:
            event = None
        if not isinstance(event, dict) or not isinstance(event.get("type"), str):
            raise UsageError(f"{folder / EVENTS}: la línea {number} no es un evento")
        events.append(event)
    return events
