"""A recording → the text of a flow file that ``validate`` accepts.

What the person did becomes steps with person-like targets; what they typed becomes
inputs named after the field's label (a tax id recognised by its check digit, an e-mail,
a file, a password as a secret); a POST after a password becomes an irreversible step
with a gate and a ``done_when`` proposed from what the page showed after it; pop-ups the
person closed become dismiss rules. Whatever a person still has to decide is marked
``# REVISAR`` in the file.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from portal_bot.locators import normalize
from portal_bot.recorder import Act, Recording

REVIEW = "# REVISAR"
COUNTRIES = {"sunat.gob.pe": ("PE", "America/Lima"), "sii.cl": ("CL", "America/Santiago"),
             "siigo.com": ("CO", "America/Bogota")}  # fmt: skip
CLOSERS = {"cerrar", "cancelar", "aceptar", "entendido", "continuar sin confirmar", "x", "×",
           "close", "ok", "finalizar"}  # fmt: skip
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$", re.IGNORECASE)
DATE = re.compile(r"^\d{2}/\d{2}/\d{4}$")


def q(text: str) -> str:
    """A YAML scalar that stays what it is (JSON strings are YAML)."""
    return json.dumps(text, ensure_ascii=False)


def slug(text: str, length: int = 40) -> str:
    words = re.sub(r"[^a-z0-9]+", "_", normalize(text)).strip("_")
    return (words or "dato")[:length].rstrip("_")


@dataclass
class Draft:
    """The flow being written."""

    recording: Recording
    flow_id: str
    title: str
    country: str = "PE"
    timezone: str = "UTC"
    inputs: dict[str, dict[str, Any]] = field(default_factory=dict)
    values: dict[str, str] = field(default_factory=dict)
    """Typed value → the input that holds it (a value typed twice is one input)."""
    ids: set[str] = field(default_factory=set)
    dismiss: list[str] = field(default_factory=list)

    # --- inputs -----------------------------------------------------------------------

    def variable(self, act: Act) -> str:
        """``${name}`` or a builtin for what the act typed; a new input when needed."""
        label = str(act.data.get("field") or "dato")
        if act.data.get("secret"):
            name = self._name(label, act, secret=True)
            self.inputs[name] = {"type": "secret", "prompt": label}
            return f"${{{name}}}"
        value = str(act.data.get("value") or "")
        if value in self.values:
            return f"${{{self.values[value]}}}"
        builtin = self._builtin_date(value)
        if builtin:
            return builtin
        kind = self._kind(value)
        name = self._name(label, act)
        spec: dict[str, Any] = {"type": kind, "prompt": label}
        if kind == "text":
            spec["default"] = value
            spec["_review"] = "¿dato del cliente (quite default) o texto fijo del portal?"
        self.inputs[name] = spec
        self.values[value] = name
        return f"${{{name}}}"

    def file_input(self, act: Act) -> str:
        label = str(act.data.get("field") or "archivo")
        name = self._name(label, act)
        self.inputs[name] = {"type": "file", "prompt": f"Archivo para «{label}»"}
        return f"${{{name}}}"

    def _name(self, label: str, act: Act, secret: bool = False) -> str:
        base = slug(label) if not secret or slug(label) != "dato" else "clave"
        if not re.match(r"^[a-z]", base):
            base = f"dato_{base}"[:40]
        name = base
        if name in self.inputs:
            where = act.data.get("dialog") or (act.data.get("context") or {}).get("section")
            name = f"{base}_{slug(where, 39 - len(base))}" if where else name
            number = 2
            while name in self.inputs:
                name = f"{base[:36]}_{number}"
                number += 1
        return name

    def _kind(self, value: str) -> str:
        from stdnum.cl import rut
        from stdnum.co import nit
        from stdnum.pe import ruc

        if EMAIL.match(value):
            return "email"
        checks = {"PE": ("ruc", ruc), "CL": ("rut", rut), "CO": ("nit", nit)}
        kind, module = checks[self.country]
        if re.search(r"\d{6}", value) and module.is_valid(value):
            return kind
        if DATE.match(value):
            return "date"
        return "text"

    def _builtin_date(self, value: str) -> str | None:
        if not DATE.match(value):
            return None
        today = datetime.now(ZoneInfo(self.timezone)).date()
        for name, day in (("today", today), ("tomorrow", today + timedelta(days=1))):
            if value == day.strftime("%d/%m/%Y"):
                return f"${{{name}}}"
        return None

    def step_id(self, text: str) -> str:
        base = re.sub(r"_", "-", slug(text, 50)) or "paso"
        if not re.match(r"^[a-z]", base):
            base = f"paso-{base}"[:50]
        candidate, number = base, 2
        while candidate in self.ids:
            candidate, number = f"{base[:55]}-{number}", number + 1
        self.ids.add(candidate)
        return candidate


def target_text(act: Act, draft: Draft) -> str:
    """The act's target as a flow mapping, in flow-file text."""
    data = act.data
    if data.get("row"):
        wanted = str(data["row"])
        value = f"${{{draft.values[wanted]}}}" if wanted in draft.values else wanted
        parts = [f"row: {q(value)}"]
    elif act.kind == "click":
        parts = [f"clickable: {q(str(data['clickable']))}"]
    else:
        parts = [f"field: {q(str(data.get('field') or ''))}"]
    context = data.get("context") or {}
    dialog = context.get("dialog") or data.get("dialog")
    if dialog:  # a person says «in the … window»: names repeat across windows
        parts.append(f"inside: {{dialog: {q(dialog)}}}")
    elif context.get("section"):
        parts.append(f"inside: {{section: {q(context['section'])}}}")
    return "{" + ", ".join(parts) + "}"


def _is_popup_close(act: Act, earlier: list[Act]) -> bool:
    """A click that closed a pop-up the person did not ask for: a closing button inside a
    dialog in which the person did nothing else, with nothing sent."""
    dialog = act.data.get("dialog")
    return (
        act.kind == "click"
        and bool(dialog)
        and normalize(str(act.data.get("clickable") or "")) in CLOSERS
        and not act.posts
        and not any(e.data.get("dialog") == dialog and e.frame == act.frame for e in earlier)
    )


def _new_texts(act: Act, draft: Draft) -> list[str]:
    """Texts the page showed after the act and not before, the longest sentences first (a
    message is better evidence than a name or a number in a grid)."""
    before = set(act.before.get("texts", []))
    after = (act.after or {}).get("texts", [])
    new = [t for t in after if t not in before and len(t) >= 8 and t not in draft.values]
    return sorted(new, key=lambda text: -len(text.split()))


def _new_row_value(act: Act, draft: Draft) -> str | None:
    before = {tuple(row) for row in act.before.get("rows", [])}
    for row in (act.after or {}).get("rows", []):
        if tuple(row) in before:
            continue
        for cell in row:
            if cell in draft.values:
                return f"${{{draft.values[cell]}}}"
    return None


def draft_flow(recording: Recording, flow_id: str, title: str) -> str:
    """The flow file's text."""
    hosts = recording.hosts or ["portal.example"]
    country, zone = next(
        ((c, z) for suffix, (c, z) in COUNTRIES.items() if any(h.endswith(suffix) for h in hosts)),
        ("PE", "America/Lima"),
    )
    draft = Draft(recording, flow_id, title, country, zone)
    body: list[str] = []
    current_frame: str | None = None
    indent = "  "
    start = recording.start_url or f"https://{hosts[0]}/"
    body += [f"  - goto: {start}", f"    id: {draft.step_id('abrir portal')}",
             "    title: Abra el portal"]  # fmt: skip
    for number, act in enumerate(recording.acts):
        if _is_popup_close(act, recording.acts[:number]):
            draft.dismiss.append(_dismiss_text(act))
            continue
        if act.frame != current_frame:
            current_frame = act.frame
            indent = "  " if act.frame is None else "      "
            if act.frame is not None:
                body += [f"  - frame: {{css: {q(act.frame)}}}", "    steps:"]
        following = next(
            (a for a in recording.acts[number + 1 :] if not _is_popup_close(a, recording.acts)),
            None,
        )
        body += [indent + line for line in _step_lines(act, draft, recording, following)]
    inputs = _inputs_text(draft)
    domains = "\n".join(f"  - {host}" for host in hosts)
    dismiss = "\n".join(draft.dismiss)
    verified = any(line.lstrip().startswith("- verify:") for line in body)
    review_identity = (
        f"identity_check:  {REVIEW}: agregue tras el ingreso un paso «verify» del RUC, RUT o "
        "NIT que muestra el portal, y quite esto\n"
        f"  skip: {q('Grabado: aún no se comprueba de quién es la cuenta')}\n"
        if any("irreversible: true" in line for line in body) and not verified
        else ""
    )
    return (
        "# yaml-language-server: $schema=../schema/flow.schema.json\n"
        f"# Grabado con portal-bot record. Revise las líneas marcadas {REVIEW}.\n"
        f"id: {flow_id}\ntitle: {q(title)}\ncountry: {country}\nportal: {q(hosts[0])}\n"
        f"domains:\n{domains}\ntimezone: {zone}\n"
        f"{review_identity}"
        f"\ninputs:\n{inputs}\n"
        + (f"\ndismiss:\n{dismiss}\n" if dismiss else "")
        + "\nsteps:\n"
        + "\n".join(body)
        + "\n"
    )


def _inputs_text(draft: Draft) -> str:
    lines: list[str] = []
    for name, spec in draft.inputs.items():
        review = spec.pop("_review", None)
        lines.append(f"  {name}:" + (f"  {REVIEW}: {review}" if review else ""))
        lines += [f"    {key}: {q(str(value))}" for key, value in spec.items()]
    return "\n".join(lines) if lines else "  {}"


def _dismiss_text(act: Act) -> str:
    dialog = str(act.data["dialog"])
    closer = str(act.data["clickable"])
    lines = [f"  - name: {q(dialog)}"]
    if act.frame is not None:
        lines.append(f"    frame: {{css: {q(act.frame)}}}")
    lines += [
        f"    visible: {{dialog: {q(dialog)}}}",
        f"    click: {{clickable: {q(closer)}, inside: {{dialog: {q(dialog)}}}}}",
    ]
    return "\n".join(lines)


def _step_lines(
    act: Act, draft: Draft, recording: Recording, following: Act | None = None
) -> list[str]:
    target = target_text(act, draft)
    name = act.name
    lines: list[str]
    match act.kind:
        case "fill":
            value = draft.variable(act)
            lines = [f"- fill: {target}", f"  value: {q(value)}",
                     f"  title: Escriba {value} en «{name}»"]  # fmt: skip
        case "select":
            option = str(act.data.get("option") or "")
            lines = [f"- select: {target}", f"  option: {q(option)}"]
        case "check":
            lines = [f"- check: {target}"]
            if act.data.get("checked") is False:
                lines.append("  checked: false")
        case "upload":
            lines = [f"- upload: {target}", f"  file: {q(draft.file_input(act))}"]
        case "press":
            lines = ["- press: Enter", f"  on: {target}"]
        case _:
            lines = [f"- click: {target}"]
    lines.insert(1, f"  id: {draft.step_id(name)}")
    if act.opened_window:
        lines.append("  new_window: true")
    if act.download:
        lines.append(f"  download: {draft.step_id('descarga ' + name)}")
    if recording.sends_password(act):
        lines.append("  submits_password: true")
        lines += _identity_lines(act, draft)
    elif act in recording.submissions():
        lines += _irreversible_lines(act, draft)
    elif act.kind != "upload" and _same_place(act, following) and not act.opened_window:
        # What the person did next shows the act worked; until then an act the page
        # ignored (a handler attached late) is repeated.
        assert following is not None
        lines.append(f"  until: {{visible: {target_text(following, draft)}}}")
    return lines


def _same_place(act: Act, following: Act | None) -> bool:
    return following is not None and (following.page, following.frame) == (act.page, act.frame)


def _identity_lines(act: Act, draft: Draft) -> list[str]:
    """After signing in: a ``verify`` of the tax id the page shows, when it shows one the
    person typed (the label before it finds it again, e.g. «RUC:»)."""
    tax_ids = {
        name: re.sub(r"\D", "", value)
        for value, name in draft.values.items()
        if draft.inputs[name]["type"] in ("ruc", "rut", "nit")
    }
    for text in (act.after or {}).get("texts", []):
        digits = re.sub(r"\D", "", text)
        for name, wanted in tax_ids.items():
            if not wanted or wanted[:-1] not in digits:
                continue
            label = re.split(r"\d", text, maxsplit=1)[0].strip()
            if len(label) < 3:
                continue
            kind = str(draft.inputs[name]["type"]).upper()
            return [
                f"- verify: {{text: {q(label)}}}",
                f"  id: {draft.step_id('comprobar identidad')}",
                f"  input: {name}",
                f"  title: Compruebe que el portal muestra el {kind} del cliente (${{{name}}})",
            ]
    return []


def _irreversible_lines(act: Act, draft: Draft) -> list[str]:
    if act.irreversible is False:
        return [f"  {REVIEW}: la persona indicó que este envío no es irreversible"]
    lines = ["  irreversible: true" + ("" if act.irreversible else f"  {REVIEW}: ¿irreversible?")]
    lines += ["  gate:", f"    question: {q('¿Enviar «' + act.name + '» al portal?')}"]
    shown: dict[str, str] = {}
    typed = [name for name in draft.values.values() if "default" not in draft.inputs[name]]
    for name in typed[-4:]:
        label = str(draft.inputs[name]["prompt"])
        shown[label if label not in shown else name] = f"${{{name}}}"
    if shown:
        lines.append("    show:")
        lines += [f"      {q(label)}: {q(value)}" for label, value in shown.items()]
    row = _new_row_value(act, draft)
    texts = _new_texts(act, draft)
    if row is not None:
        lines.append(f"  done_when: {{visible: {{row: {q(row)}}}}}")
    elif texts:
        lines.append(f"  done_when: {{text: {q(texts[0])}}}  {REVIEW}: ¿prueba que ya se hizo?")
    else:
        note = f"{REVIEW}: cómo se ve que ya está hecho"
        lines.append(f"  done_when: {{text: {q('CAMBIAR')}}}  {note}")
    if texts:
        lines.append(f"  until: {{text: {q(texts[0])}}}")
    return lines
