"""The flow file's model: data only. Imports pydantic, never Playwright.

A flow is a procedure in a portal: typed inputs, then steps. Every step is a mapping
whose *kind* is its one tagging key (``click:``, ``fill:``, ``expect:``…); the union of
kinds is closed, and every model forbids unknown keys. Field docstrings become the
flow-file reference and the JSON Schema.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    field_validator,
    model_validator,
)

SLUG = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
VAR_NAME = r"^[a-z][a-z0-9_]{0,39}$"
MAX_NAME = 120
MAX_TEXT = 2000

WINDOWS_RESERVED = frozenset(
    {"con", "prn", "aux", "nul"} | {f"{d}{n}" for d in ("com", "lpt") for n in range(10)}
)


def windows_reserved(name: str) -> bool:
    """Whether Windows refuses ``name`` as a file name (a device: CON, NUL, COM1…),
    whatever its case and whatever follows its first dot (``nul.png``)."""
    return name.split(".", 1)[0].rstrip(" ").lower() in WINDOWS_RESERVED


def _file_name_part(value: str) -> str:
    if windows_reserved(value):
        raise ValueError(
            f"«{value}» es un nombre reservado de Windows (CON, PRN, AUX, NUL, COM1…COM9, "
            f"LPT1…LPT9) y no puede nombrar un archivo; elija otro, p. ej. «{value}-1»"
        )
    return value


FileSlug = Annotated[str, Field(pattern=SLUG, max_length=60), AfterValidator(_file_name_part)]
"""A name that becomes part of a file or folder name: a slug, never a Windows device."""

AriaRole = Literal[
    "alert", "alertdialog", "button", "cell", "checkbox", "columnheader", "combobox",
    "dialog", "gridcell", "heading", "img", "link", "listbox", "listitem", "menu",
    "menuitem", "option", "radio", "region", "row", "rowheader", "searchbox", "status",
    "tab", "table", "tabpanel", "textbox", "tree", "treeitem",
]  # fmt: skip


class Model(BaseModel):
    model_config = ConfigDict(
        extra="forbid", frozen=True, strict=True, use_attribute_docstrings=True
    )


Text = Annotated[str, Field(min_length=1, max_length=MAX_TEXT)]
Name = Annotated[str, Field(min_length=1, max_length=MAX_NAME)]


# --- targets -----------------------------------------------------------------------------

LOCATOR_KEYS = (
    "clickable", "field", "row", "dialog", "section", "text",
    "role", "label", "placeholder", "title", "alt", "css", "any",
)  # fmt: skip

PERSON_KEYS = ("clickable", "field", "row", "dialog", "section", "text")
"""The ways a person finds things, by their visible name and what they are for; the
other keys name one build's markup and are kept for what has no visible name."""

ROLE_NOUNS = {
    "alert": "un aviso", "alertdialog": "una ventana de aviso", "button": "un botón",
    "cell": "una celda", "checkbox": "una casilla", "columnheader": "un encabezado",
    "combobox": "una lista desplegable", "dialog": "una ventana", "gridcell": "una celda",
    "heading": "un título", "img": "una imagen", "link": "un enlace", "listbox": "una lista",
    "listitem": "un elemento de lista", "menu": "un menú", "menuitem": "una opción de menú",
    "option": "una opción", "radio": "una opción", "region": "una región", "row": "una fila",
    "rowheader": "un encabezado de fila", "searchbox": "un buscador", "status": "un estado",
    "tab": "una pestaña", "table": "una tabla", "tabpanel": "un panel", "textbox": "un campo",
    "tree": "un árbol", "treeitem": "un elemento del árbol",
}  # fmt: skip


class Target(Model):
    """An element, found as a person sees it: by its visible name and what it is for.

    Give exactly one way to find it. Names match ignoring case, accents, extra spaces and
    a leading or trailing ``:``, ``*`` or ``.`` (the whole name, not a part of it), unless
    ``exact: true``. A plain string is short for "something to click reading so, else a
    field with that label, else that text".
    """

    clickable: Text | None = None
    """Anything a person can click with this visible name: a button, a link, a tab, a menu
    item, an icon titled so; failing those, an element whose own text it is."""
    field: Text | None = None
    """A form field (text box, list, check box, radio button, file) by its label, its
    placeholder, its accessible name or the text just before it."""
    row: Text | None = None
    """A data row, of a grid or of a table with headers, that has a cell whose text is
    this. Never a row of a layout table, never a value typed in a box."""
    dialog: Text | None = None
    """A dialog or pop-up by its name or, when it has none, by a title line inside it."""
    section: Text | None = None
    """The part of the page under this heading, legend or caption; mostly for ``inside``."""
    text: Text | None = None
    """A visible element whose text contains this (messages, titles that are not
    headings)."""
    role: AriaRole | None = None
    """ARIA role, with ``name``: one build's markup; prefer ``clickable`` or ``field``."""
    name: Text | None = None
    """Accessible name that goes with ``role``."""
    label: Text | None = None
    """Text of the field's label (``field`` also tries placeholders and nearby text)."""
    placeholder: Text | None = None
    """Placeholder shown inside an empty field."""
    title: Text | None = None
    """The element's tooltip (``title`` attribute), e.g. an icon button or an iframe."""
    alt: Text | None = None
    """Alternative text of an image."""
    css: Text | None = None
    """CSS selector: last resort, for what has no visible name (e.g. a portal's iframe)."""
    any: list[Target] | None = Field(default=None, min_length=2, max_length=8)
    """Ordered fallbacks: the first one present on the page is used."""
    exact: bool = False
    """Match the name exactly (case, accents and punctuation included)."""
    checked: bool | None = None
    """With ``field`` or ``role`` (radio button, check box): only when it is (or is not)
    selected."""
    inside: Target | None = None
    """Look only inside this element (a ``section``, a ``dialog``, a ``row``…)."""

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, data: Any) -> Any:
        if isinstance(data, str):
            return {"any": [{"clickable": data}, {"field": data}, {"text": data}]}
        return data

    @model_validator(mode="after")
    def _one_way(self) -> Target:
        given = [key for key in LOCATOR_KEYS if getattr(self, key) is not None]
        if len(given) != 1:
            raise ValueError(
                "indique exactamente una forma de encontrar el elemento "
                f"({', '.join(LOCATOR_KEYS)}); se dio: {', '.join(given) or 'ninguna'}"
            )
        if self.name is not None and self.role is None:
            raise ValueError("«name» va junto con «role»")
        if self.checked is not None and self.role is None and self.field is None:
            raise ValueError("«checked» va junto con «field» o «role» (una opción o una casilla)")
        return self

    @property
    def way(self) -> str:
        """The key that says how the element is found (``clickable``, ``field``…)."""
        return next(key for key in LOCATOR_KEYS if getattr(self, key) is not None)

    @property
    def wanted(self) -> str | None:
        """The visible name or text looked for, if the target has one."""
        if self.any:
            return self.any[0].wanted
        if self.role is not None:
            return self.name
        value: str | None = getattr(self, self.way)
        return None if self.css is not None else value

    def describe(self) -> str:
        """Short Spanish description for plans, events and messages."""
        if self.any:
            return self.any[0].describe()
        if self.role:
            what = f"«{self.name}»" if self.name else f"el elemento {self.role}"
            if self.checked is not None:
                what += " marcado" if self.checked else " sin marcar"
            return what
        if self.css is not None:
            return f"el elemento {self.css}"
        what = f"«{self.wanted}»"
        if self.checked is not None:
            what += " marcado" if self.checked else " sin marcar"
        return what

    def kind(self) -> str:
        """What a person would call the thing looked for: «un botón o enlace «RUC»»."""
        if self.any:
            return " o ".join(option.kind() for option in self.any)
        nouns = {
            "clickable": "un botón o enlace", "field": "un campo", "row": "una fila con",
            "dialog": "una ventana", "section": "una sección", "text": "el texto",
            "label": "un campo con la etiqueta", "placeholder": "un campo que dice",
            "title": "un elemento con el título", "alt": "una imagen",
        }  # fmt: skip
        if self.role is not None:
            noun = ROLE_NOUNS.get(self.role, f"un elemento «{self.role}»")
            return f"{noun} «{self.name}»" if self.name else noun
        if self.css is not None:
            return f"el elemento {self.css}"
        return f"{nouns[self.way]} «{self.wanted}»"


# --- conditions --------------------------------------------------------------------------


class Visible(Model):
    """Holds when the element is visible."""

    visible: Target


class Hidden(Model):
    """Holds when the element is hidden or absent."""

    hidden: Target


class HasText(Model):
    """Holds when this text is visible in the current page or frame."""

    text: Text


class AtUrl(Model):
    """Holds when the page's address matches this glob (``**`` any path)."""

    url: Text


def _condition_kind(data: Any) -> str | None:
    keys = ("visible", "hidden", "text", "url")
    if isinstance(data, dict):
        found = [key for key in keys if key in data]
        return found[0] if len(found) == 1 else None
    return _kind_of_model(data, keys)


def _kind_of_model(data: Any, keys: tuple[str, ...]) -> str | None:
    for key in keys:
        if key in type(data).model_fields:
            return key
    return None


Condition = Annotated[
    Annotated[Visible, Tag("visible")]
    | Annotated[Hidden, Tag("hidden")]
    | Annotated[HasText, Tag("text")]
    | Annotated[AtUrl, Tag("url")],
    Discriminator(
        _condition_kind,
        custom_error_type="condition_kind",
        custom_error_message="se esperaba una condición: visible, hidden, text o url",
    ),
]


# --- inputs ------------------------------------------------------------------------------

InputType = Literal["ruc", "rut", "nit", "text", "email", "date", "file", "secret"]
TAX_ID_TYPES = ("ruc", "rut", "nit")
"""Input types that name a taxpayer: what a ``verify`` step must check before a submission."""
VERIFIABLE = (*TAX_ID_TYPES, "text")
"""Input types a ``verify`` step can compare with what the portal shows."""
RULED_TYPES = ("text", "secret")
"""Input types that may carry ``choices``, ``pattern``, ``min_length`` and ``max_length``."""
MAX_PATTERN = 200


def _pattern(value: str) -> str:
    try:
        re.compile(value)
    except re.error as exc:
        raise ValueError(f"«pattern» no es una expresión regular válida: {exc}") from None
    return value


Regex = Annotated[str, Field(min_length=1, max_length=MAX_PATTERN), AfterValidator(_pattern)]


class Input(Model):
    """A value the flow needs, asked and validated before any browser starts.

    Besides its type, a value may have to follow rules (``choices``, ``pattern``,
    ``min_length``, ``max_length``), checked for text and secret inputs alike before any
    browser starts; a refusal names the input, the rule broken and ``example``.
    """

    type: InputType
    """``ruc`` (Perú), ``rut`` (Chile), ``nit`` (Colombia) are checked with their check
    digit; ``date`` is DD/MM/YYYY; ``file`` must exist; ``secret`` is never shown or
    stored."""
    prompt: Text
    """The question shown to the agent, in Spanish."""
    default: Text | None = None
    """Value used when none is given (never for secrets)."""
    choices: list[Text] | dict[Text, list[Name]] | None = Field(
        default=None, min_length=1, max_length=50
    )
    """For text inputs: the only values accepted, written exactly as the portal shows them.
    A list (``[Natural, Jurídica]``) or a mapping of each value to the other ways people
    write it (``Cédula de ciudadanía: [CC, cédula]``). A value given in any of those ways,
    whatever its case and accents, becomes the value as written here."""
    pattern: Regex | None = None
    """A regular expression the whole value must match (e.g. ``[0-9 ]+``); say in
    ``pattern_help`` what it asks, for the refusal message."""
    pattern_help: Text | None = None
    """What ``pattern`` asks, in Spanish, for messages: e.g. «solo letras y números, con al
    menos una letra y un número»."""
    min_length: int | None = Field(default=None, gt=0, le=MAX_TEXT)
    """Fewest characters accepted."""
    max_length: int | None = Field(default=None, gt=0, le=MAX_TEXT)
    """Most characters accepted (e.g. the portal's own field limit)."""
    example: Text | None = None
    """A good value, shown when a value is refused or missing (``--input NAME=example``).
    Needed with ``pattern``, ``min_length`` or ``max_length``; it must follow them."""
    formats: list[Literal["pdf", "pkcs12"]] | None = None
    """For files: what the file must really be (its content is checked, not its name)."""
    max_bytes: int | None = Field(default=None, gt=0)
    """For files: the largest size accepted."""
    password_input: Name | None = None
    """For PKCS#12 files: the secret input that opens it."""
    rut_input: Name | None = None
    """For PKCS#12 files: the RUT input the certificate must belong to."""

    @model_validator(mode="after")
    def _coherent(self) -> Input:
        if self.type == "secret" and self.default is not None:
            raise ValueError("un secreto no puede tener valor por defecto")
        file_only = (self.formats, self.max_bytes, self.password_input, self.rut_input)
        if self.type != "file" and any(v is not None for v in file_only):
            raise ValueError(
                "formats, max_bytes, password_input y rut_input son solo para archivos"
            )
        rules = {
            "pattern": self.pattern,
            "min_length": self.min_length,
            "max_length": self.max_length,
        }
        given = [key for key, value in rules.items() if value is not None]
        if given and self.type not in RULED_TYPES:
            raise ValueError(f"{', '.join(given)}: solo para entradas de tipo text o secret")
        if self.choices is not None:
            if self.type != "text":
                raise ValueError("«choices» es solo para entradas de tipo text")
            if given:
                raise ValueError(f"con «choices» sobran {', '.join(given)}: las opciones bastan")
        if (self.pattern is None) != (self.pattern_help is None):
            raise ValueError("«pattern» y «pattern_help» van juntos: la regla y su explicación")
        if given and self.example is None:
            raise ValueError(
                "indique «example»: un valor que cumpla la regla, para mostrarlo cuando se "
                "rechace uno"
            )
        if self.min_length and self.max_length and self.min_length > self.max_length:
            raise ValueError("«min_length» es mayor que «max_length»")
        return self

    def choice_aliases(self) -> dict[str, list[str]]:
        """Each accepted value → the other ways of writing it (empty without choices)."""
        if isinstance(self.choices, dict):
            return {value: list(aliases) for value, aliases in self.choices.items()}
        return {value: [] for value in self.choices or []}


# --- steps -------------------------------------------------------------------------------


class Gate(Model):
    """What the human is shown before an irreversible step, and must approve."""

    question: Text
    """The yes/no question, e.g. «¿Registrar al PSE?». May use ``${…}``."""
    show: dict[Name, Text] = Field(default_factory=dict)
    """Label → value lines summarising what will be submitted. May use ``${…}``."""


class StepBase(Model):
    id: FileSlug | None = None
    """Short name used in evidence file names and messages (a-z, 0-9, dashes)."""
    title: Text | None = None
    """What the step does, in Spanish, for plans, guides and the report."""
    guide: Text | None = None
    """What a customer following ``portal-bot guide`` is told at this step, instead of
    the sentence made from the step (may use ``${…}``: shown as what it stands for). It
    also brings into the guide a step left out otherwise (a note to the agent that is
    something the customer does, e.g. «Firme la carta y escanéela en PDF»)."""
    when: Condition | None = None
    """Run the step only if this holds (waited for up to ``when_timeout_ms``)."""
    when_timeout_ms: int | None = Field(default=None, ge=0, le=60_000)
    """How long to wait for ``when`` to hold before skipping the step. By default up to
    2 s, but only while the page is still busy: loading, or talking to the portal, or
    within half a second of its last request (a branch that renders late, after its
    data arrives, is seen; a page that is still shows its branch at once)."""
    timeout_ms: int | None = Field(default=None, gt=0, le=600_000)
    """How long the step may wait for the page (default: the flow's)."""


class FailIf(Model):
    """A sign that the action went wrong (e.g. the portal's error box).

    Give ``visible`` (an element), ``text`` (a text anywhere), or both (the element must
    contain the text). ``level: error`` also requires that the element (or the element
    holding the text) looks like an error, see :data:`ERROR_LEVEL_RULE`. A bare
    ``{role: alert}`` is refused: toast libraries give every toast, successes included,
    role=alert, so it needs a ``text`` or a ``level`` beside it.
    """

    visible: Target | None = None
    """The element that shows the failure."""
    text: Text | None = None
    """Text that shows the failure; with ``visible``, a text that element must contain."""
    level: Literal["error"] | None = None
    """``error``: the sign counts only when it looks like an error (an error or danger
    class, or a red colour, on the element or a close container)."""
    message: Text
    """What to tell the agent, in Spanish."""

    @model_validator(mode="after")
    def _one(self) -> FailIf:
        if self.visible is None and self.text is None:
            raise ValueError("indique «visible», «text» o los dos")
        bare = self.visible is not None and _bare_notice(self.visible)
        if bare and self.text is None and self.level is None:
            raise ValueError(
                "un aviso con rol alert o status no basta como señal de fallo: también los "
                "avisos de éxito lo tienen; añada «text» (lo que dice el error) o "
                "«level: error»"
            )
        return self


ERROR_LEVEL_RULE = (
    "The element or one of its three nearest containers has a class naming an error "
    "(error, danger, invalid, fail, critical, negative), or aria-invalid=true, or a red "
    "text, background or border colour (hue within 20 degrees of red, saturation at "
    "least 40 %, not near-white or near-black)."
)
"""How ``level: error`` decides (the runner's ``actions.LOOKS_LIKE_ERROR`` does it)."""


def _bare_notice(target: Target) -> bool:
    """A role alert/status with nothing else to tell a failure from a success."""
    if target.any:
        return any(_bare_notice(option) for option in target.any)
    return target.role in ("alert", "status") and target.name is None


MAX_RETRIES = 3
DEFAULT_RETRIES = 2


class ActionBase(StepBase):
    retries: int | None = Field(default=None, ge=0, le=MAX_RETRIES)
    """Times the step is tried again when the portal fails it (an error page, a dropped
    connection, an answer that never came), with growing pauses inside the flow's
    ``retry_budget_ms``. Default: 2 for read-only steps, 0 for the rest. A step that sends
    a password never retries; an irreversible one only with ``done_when``, checked before
    every new try."""
    irreversible: bool = False
    """The step submits something: a gate asks the human first; never retried."""
    gate: Gate | None = None
    """Gate shown before an irreversible step (a generic one when absent)."""
    done_when: Condition | None = None
    """For irreversible steps: if this holds, the submission was already made."""
    until: Condition | None = None
    """After acting, wait for this; for read-only steps the action is repeated when the
    page ignored it (late handlers)."""
    fail_if: list[FailIf] = Field(default_factory=list, max_length=10)
    """Signs of failure watched for while waiting for ``until``: the step fails at once."""
    submits_password: bool = False
    """The action sends a password: it is done once and never repeated, and a ``fail_if``
    means the portal rejected the credentials."""

    @model_validator(mode="after")
    def _irreversible_coherent(self) -> ActionBase:
        if not self.irreversible and (self.gate or self.done_when):
            raise ValueError("«gate» y «done_when» solo van en pasos con «irreversible: true»")
        if self.irreversible and self.done_when is None:
            raise ValueError(
                "un paso irreversible necesita «done_when»: cómo se ve en el portal que ya "
                "está hecho, para que otra ejecución no lo envíe dos veces"
            )
        if self.retries and self.submits_password:
            raise ValueError(
                "un paso que envía una contraseña nunca se reintenta (el portal bloquea la "
                "cuenta): quite «retries»"
            )
        if self.fail_if and not isinstance(self.until, Visible | HasText):
            raise ValueError(
                "«fail_if» necesita «until» con «visible» o «text»: lo que indica que la "
                "acción salió bien"
            )
        return self


class Goto(StepBase):
    """Open an address (only the portal's public entry; navigate by the UI after that)."""

    goto: Annotated[str, Field(pattern=r"^https://[^\s]+$", max_length=500)]
    retries: int | None = Field(default=None, ge=0, le=MAX_RETRIES)
    """Times the address is opened again when the portal fails (default 2)."""


class Click(ActionBase):
    """Click an element."""

    click: Target
    new_window: bool = False
    """The click opens a new window or tab; the following steps act in it."""
    download: FileSlug | None = None
    """The click downloads a file; it is kept in the evidence under this name."""


class Fill(ActionBase):
    """Type a value into a field (replacing what it held)."""

    fill: Target
    value: Text
    """The text to type; ``${clave}`` for a secret input is typed but never recorded."""


class Press(ActionBase):
    """Press a key (``Enter``, ``Tab``…) in a field."""

    press: Annotated[str, Field(pattern=r"^[A-Za-z0-9+]{1,30}$")]
    on: Target
    """The field that has the focus."""


class Select(ActionBase):
    """Choose an option in a drop-down list."""

    select: Target
    option: Text
    """The option's visible text."""


class Check(ActionBase):
    """Tick (or untick) a checkbox or choose a radio button."""

    check: Target
    checked: bool = True


class Upload(ActionBase):
    """Attach a file through a file field or the button that opens the file chooser."""

    upload: Target
    file: Text
    """The file: ``${input}`` of a ``file`` input or of an ``ask`` with type file."""


class Expect(StepBase):
    """Check that the page is as expected; fails the run otherwise."""

    expect: Condition
    failure: Text | None = None
    """Spanish message explaining a failure to the agent."""
    retries: int | None = Field(default=None, ge=0, le=MAX_RETRIES)
    """Times the page is asked for again when the portal failed it (default 2)."""


class WaitFor(StepBase):
    """Wait until a condition holds (a page loads, a result shows)."""

    wait_for: Condition
    retries: int | None = Field(default=None, ge=0, le=MAX_RETRIES)
    """Times the page is asked for again when the portal failed it (default 2)."""


class Screenshot(StepBase):
    """Take an extra screenshot for the evidence."""

    screenshot: FileSlug
    full_page: bool = False


class Say(StepBase):
    """Show an instruction or a note to the agent."""

    say: Text


class Confirm(StepBase):
    """A gate of its own: the human must approve to go on."""

    confirm: Text
    show: dict[Name, Text] = Field(default_factory=dict)


class Ask(StepBase):
    """Ask the human for a value during the run (hidden when secret)."""

    ask: Text
    into: Annotated[str, Field(pattern=VAR_NAME)]
    """Variable that holds the answer, used later as ``${name}``."""
    type: InputType = "text"
    """Validated like an input of that type; ``secret`` answers are hidden."""
    formats: list[Literal["pdf", "pkcs12"]] | None = None
    max_bytes: int | None = Field(default=None, gt=0)
    mock_answer: Text | None = None
    """With ``--yes`` against a mock: where the mock's state holds the answer, as a
    dotted path (``challenges.captcha``). Ignored against a live portal."""
    fill_in: Target | None = None
    """Type the answer into this field (e.g. the captcha's box)."""
    show: Target | None = None
    """An element to show the human with the question (e.g. the captcha image); its
    screenshot goes to the evidence."""


class Manual(StepBase):
    """The human acts in the browser (e.g. solves a captcha); the run waits for ``until``."""

    manual: Text
    until: Condition | None = None
    """Condition that tells the human is done; without it, the human confirms."""


class Read(StepBase):
    """Read an element's text into a variable (e.g. the razón social shown)."""

    read: Target
    into: Annotated[str, Field(pattern=VAR_NAME)]
    from_value: bool = False
    """Read the field's value instead of its text."""


class Verify(StepBase):
    """Check that the portal shows the customer's identity (its RUC, RUT, NIT or name)
    before anything is sent; when it shows another, the run stops there."""

    verify: Target
    """Where the portal shows the identity, e.g. ``{text: "NIT"}`` for a header that reads
    «Empresa S.A.S. · NIT 900.123.456-8». Its text is read (and, when it holds no tax id
    of the input's kind, that of the element around it, as a label and its value)."""
    input: Annotated[str, Field(pattern=VAR_NAME)]
    """The input the portal must show. A ``ruc``/``rut``/``nit`` is compared by its digits,
    however the portal writes it (dots, dashes, spaces, the check digit apart, a RUT's K);
    a ``text`` (a razón social) by its words, ignoring case, accents and punctuation."""


class Finish(StepBase):
    """End the run here as done, with a message (e.g. when it was already done)."""

    finish: Text
    already_done: bool = False
    """What was left was already done: the step is recorded as «ya estaba hecho»."""


class Window(StepBase):
    """Act in another window from now on."""

    window: Literal["main", "latest"]


class Frame(StepBase):
    """Act inside an iframe; the nested steps are scoped to it."""

    frame: Target
    """The ``<iframe>`` element."""
    steps: list[Step] = Field(min_length=1, max_length=200)


STEP_KINDS = (
    "goto", "click", "fill", "press", "select", "check", "upload", "expect", "wait_for",
    "screenshot", "say", "confirm", "ask", "manual", "read", "verify", "finish", "window",
    "frame",
)  # fmt: skip


def _step_kind(data: Any) -> str | None:
    if isinstance(data, dict):
        found = [key for key in STEP_KINDS if key in data]
        return found[0] if len(found) == 1 else None
    return _kind_of_model(data, STEP_KINDS)


Step = Annotated[
    Annotated[Goto, Tag("goto")]
    | Annotated[Click, Tag("click")]
    | Annotated[Fill, Tag("fill")]
    | Annotated[Press, Tag("press")]
    | Annotated[Select, Tag("select")]
    | Annotated[Check, Tag("check")]
    | Annotated[Upload, Tag("upload")]
    | Annotated[Expect, Tag("expect")]
    | Annotated[WaitFor, Tag("wait_for")]
    | Annotated[Screenshot, Tag("screenshot")]
    | Annotated[Say, Tag("say")]
    | Annotated[Confirm, Tag("confirm")]
    | Annotated[Ask, Tag("ask")]
    | Annotated[Manual, Tag("manual")]
    | Annotated[Read, Tag("read")]
    | Annotated[Verify, Tag("verify")]
    | Annotated[Finish, Tag("finish")]
    | Annotated[Window, Tag("window")]
    | Annotated[Frame, Tag("frame")],
    Discriminator(
        _step_kind,
        custom_error_type="step_kind",
        custom_error_message=(
            "cada paso lleva exactamente una clave de tipo: " + ", ".join(STEP_KINDS)
        ),
    ),
]

Frame.model_rebuild()

Action = Click | Fill | Press | Select | Check | Upload


class Dismiss(Model):
    """A pop-up that may cover the page at any moment; closed whenever it shows."""

    name: Text
    """What the pop-up is, in Spanish (for the log)."""
    frame: Target | None = None
    """The ``<iframe>`` the pop-up lives in, if any."""
    visible: Target
    """What shows the pop-up is there."""
    click: Target
    """What closes it."""


# --- the flow ----------------------------------------------------------------------------


class IdentityCheck(Model):
    """The way out of the identity check, with its reason."""

    skip: Text
    """Why this flow sends something before the portal showed whose account it is.

    Every irreversible step needs an earlier ``verify`` step (without ``when``) of a
    ``ruc``, ``rut`` or ``nit`` input, or the flow is refused. Where the portal shows no
    identity before a submission (e.g. nothing is signed in yet), this written reason is
    the only way out: it lets the irreversible steps that come before any such ``verify``
    through, and their gates show it under «Identidad no comprobada». Steps after a
    ``verify`` are still checked by it."""


class Flow(Model):
    """A procedure in a portal, from its public entry to the end."""

    id: FileSlug
    """Identifier: country, portal and procedure, e.g. ``pe-sunat-pse-alta``."""
    title: Text
    """The procedure's name in Spanish."""
    country: Literal["PE", "CL", "CO"]
    portal: Text
    """The portal's name as agents know it."""
    mock: Annotated[str, Field(pattern=VAR_NAME)] | None = None
    """The project's mock portal that simulates it (``sunat``, ``sii``, ``siigo``)."""
    domains: list[Annotated[str, Field(pattern=r"^(\*\.)?[a-z0-9-]+(\.[a-z0-9-]+)+$")]] = Field(
        min_length=1, max_length=20
    )
    """Host names the flow may touch; ``*.sii.cl`` for every host below sii.cl."""
    timezone: Text = "UTC"
    """Time zone of ``${today}`` and ``${tomorrow}``, e.g. ``America/Lima``."""
    date_format: Text = "%d/%m/%Y"
    timeout_ms: int = Field(default=15_000, gt=0, le=600_000)
    """Default time a step may wait for the page."""
    retry_budget_ms: int = Field(default=60_000, ge=0, le=600_000)
    """Most time one step may spend on retries (pauses and new tries together)."""
    signed_out: list[Condition] = Field(default_factory=list, max_length=5)
    """How the portal looks when the session is over (its login form, its «sesión
    expirada» notice): a failed step that shows one of these is reported as an expired
    session. Checked only after a step failed."""
    description: Text | None = None
    inputs: dict[Annotated[str, Field(pattern=VAR_NAME)], Input] = Field(
        default_factory=dict, max_length=40
    )
    dismiss: list[Dismiss] = Field(default_factory=list, max_length=20)
    """Pop-ups closed whenever they cover the page (campaign notices and the like)."""
    identity_check: IdentityCheck | None = None
    """Only to send something before the portal can show the customer's identity:
    ``{skip: "why"}``. See :class:`IdentityCheck`."""
    steps: list[Step] = Field(min_length=1, max_length=500)

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"zona horaria desconocida: {value}") from None
        return value

    @field_validator("date_format")
    @classmethod
    def _date_format(cls, value: str) -> str:
        if not re.fullmatch(r"(%[dmYy]|[/\-. ])+", value):
            raise ValueError("use solo %d, %m, %Y, %y y separadores / - .")
        return value


def walk(steps: list[Step]) -> list[Step]:
    """Every step in order, nested frame steps included."""
    out: list[Step] = []
    for step in steps:
        out.append(step)
        if isinstance(step, Frame):
            out.extend(walk(step.steps))
    return out


def leaves(steps: list[Step]) -> list[Step]:
    """The steps that do something, in order: frames are scopes, not steps."""
    return [step for step in walk(steps) if not isinstance(step, Frame)]
