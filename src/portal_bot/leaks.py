"""After every run: read every byte of the evidence folder looking for secrets.

Each secret is searched in its raw form, upper- and lower-cased (what ``|upper`` and
``|lower`` make of it), and in its usual encodings: URL-encoded (``%20`` and ``+``),
JSON-escaped, HTML and XML entities in any mix (a text holding ``&`` is searched again with
every entity decoded, so ``&#39;``, ``&#34;``, ``&quot;``, ``&#x27;``, ``&apos;``… are all
seen), base64 at the three byte offsets, UTF-16 (both byte orders), inside zip files too.
A picture embedded in a page as base64 (the report's) is searched as its bytes. A file
with a hit is removed; the caller is told which file and which secret *name*, never the
value. Secrets shorter than :data:`MIN_SECRET` are refused as inputs (see
``inputs.check``), so every secret is searched.
"""

from __future__ import annotations

import base64
import binascii
import html
import io
import json
import re
import urllib.parse
import zipfile
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

MIN_SECRET = 3


@dataclass(frozen=True)
class Leak:
    file: str
    secret: str


def variants(secret: str, public: Collection[str] = ()) -> set[str]:
    """The secret and what the flow's text filters make of it (``|upper``, ``|lower``),
    but for a case form that is itself one of the plain inputs, shown by design (SUNAT's
    demo user MODDATOS has the clave moddatos)."""
    return {secret} | ({secret.upper(), secret.lower()} - set(public))


def encodings(secret: str, public: Collection[str] = ()) -> set[bytes]:
    """Byte patterns that would reveal ``secret`` (or its upper/lower case) in a file."""
    patterns: set[bytes] = set()
    for variant in variants(secret, public):
        patterns |= _encodings(variant)
    return patterns


def _encodings(secret: str) -> set[bytes]:
    raw = secret.encode("utf-8")
    forms = {
        secret,
        urllib.parse.quote(secret, safe=""),
        urllib.parse.quote_plus(secret, safe=""),
        urllib.parse.quote(secret),
        json.dumps(secret, ensure_ascii=True)[1:-1],
        json.dumps(secret, ensure_ascii=False)[1:-1],
        html.escape(secret, quote=True),
        "".join(f"&#{ord(c)};" for c in secret),
        "".join(f"&#x{ord(c):x};" for c in secret),
    }
    patterns = {form.encode("utf-8") for form in forms}
    patterns |= {secret.encode("utf-16-le"), secret.encode("utf-16-be")}
    patterns |= _base64_forms(raw)
    return {p for p in patterns if len(p) >= MIN_SECRET}


def _base64_forms(raw: bytes) -> set[bytes]:
    """The part of base64 text that is stable whatever bytes come before ``raw``."""
    forms: set[bytes] = set()
    for offset in range(3):
        encoded = base64.b64encode(b"\0" * offset + raw)
        # Characters touched by the padding bytes or the unknown tail are cut off.
        start = {0: 0, 1: 2, 2: 3}[offset]
        usable = (offset + len(raw)) // 3 * 4
        core = encoded[start:usable]
        if len(core) >= 4:
            forms.add(core)
            forms.add(core.replace(b"+", b"-").replace(b"/", b"_"))
    return forms


EMBEDDED_PICTURE = re.compile(rb"data:image/[a-z0-9.+-]+;base64,([A-Za-z0-9+/]+=*)")
"""A picture embedded in a page (the report embeds the run's own)."""


def _contents(path: Path) -> Iterator[bytes]:
    data = path.read_bytes()
    # A picture embedded as base64 is searched as the bytes it is, like its file in
    # shots/: its base64 text, about a megabyte in a report, holds by chance a short
    # secret's own base64 forms (ZZZZZZ's «aWlpa» is five characters).
    pictures: list[bytes] = []

    def as_bytes(found: re.Match[bytes]) -> bytes:
        try:
            pictures.append(base64.b64decode(found[1] + b"=" * (-len(found[1]) % 4)))
        except binascii.Error:  # not base64 after all: searched as the text it is
            return found[0]
        return b"data:image;base64,"

    yield from _decoded(EMBEDDED_PICTURE.sub(as_bytes, data))
    yield from pictures
    if zipfile.is_zipfile(io.BytesIO(data)):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for info in archive.infolist():
                if info.file_size < 512 * 1024 * 1024:
                    yield from _decoded(archive.read(info))


def _decoded(data: bytes) -> Iterator[bytes]:
    """The bytes, and the same bytes with every HTML/XML entity decoded (any writer's
    choice of ``&#39;``, ``&#x27;``, ``&apos;``, ``&quot;``… for each character)."""
    yield data
    if b"&" in data:
        text = data.decode("utf-8", "surrogateescape")
        yield html.unescape(text).encode("utf-8", "surrogateescape")


def scan(
    folder: Path, secrets: Mapping[str, str], remove: bool = True, public: Collection[str] = ()
) -> list[Leak]:
    """Every (file, secret name) hit in ``folder``; files with hits are removed.
    ``public`` holds the plain inputs' values (see :func:`variants`)."""
    patterns = {name: encodings(value, public) for name, value in secrets.items() if value}
    leaks: list[Leak] = []
    if not patterns:
        return leaks
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        hits = {
            name
            for blob in _contents(path)
            for name, forms in patterns.items()
            if any(form in blob for form in forms)
        }
        relative = path.relative_to(folder).as_posix()
        leaks.extend(Leak(relative, name) for name in sorted(hits))
        if hits and remove:
            path.unlink()
    return leaks
