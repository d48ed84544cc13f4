"""Spanish sentences for steps and conditions: what a person is told to do.

A step's own ``title`` wins; otherwise the sentence is made from the step. The text may
still hold ``${…}``: the runner substitutes it (secrets masked), a plan shows it as is.
"""

from __future__ import annotations

from typing import assert_never

from portal_bot.flow import (
    Ask,
    AtUrl,
    Check,
    Click,
    Condition,
    Confirm,
    Expect,
    Fill,
    Finish,
    Frame,
    Goto,
    HasText,
    Hidden,
    Manual,
    Press,
    Read,
    Say,
    Screenshot,
    Select,
    Step,
    Upload,
    Verify,
    Visible,
    WaitFor,
    Window,
)


def condition(cond: Condition) -> str:
    match cond:
        case Visible():
            return f"se vea {cond.visible.describe()}"
        case Hidden():
            return f"ya no se vea {cond.hidden.describe()}"
        case HasText():
            return f"aparezca el texto «{cond.text}»"
        case AtUrl():
            return f"la dirección sea {cond.url}"
        case _:
            assert_never(cond)


def missing(cond: Condition) -> str:
    """A condition that does not hold, said as a fact: «no se ve «Salir»»."""
    match cond:
        case Visible():
            return f"no se ve {cond.visible.describe()}"
        case Hidden():
            return f"{cond.hidden.describe()} sigue a la vista"
        case HasText():
            return f"no aparece el texto «{cond.text}»"
        case AtUrl():
            return f"la dirección no es {cond.url}"
        case _:
            assert_never(cond)


def step(item: Step) -> str:
    """What the step does, as an instruction to a person."""
    if item.title:
        return item.title
    match item:
        case Goto():
            return f"Abra {item.goto}"
        case Click():
            return f"Haga clic en {item.click.describe()}"
        case Fill():
            return f"Escriba «{item.value}» en {item.fill.describe()}"
        case Press():
            return f"Pulse {item.press} en {item.on.describe()}"
        case Select():
            return f"Elija «{item.option}» en {item.select.describe()}"
        case Check():
            verb = "Marque" if item.checked else "Desmarque"
            return f"{verb} {item.check.describe()}"
        case Upload():
            return f"Adjunte el archivo en {item.upload.describe()}"
        case Expect():
            return f"Compruebe que {condition(item.expect)}"
        case WaitFor():
            return f"Espere a que {condition(item.wait_for)}"
        case Screenshot():
            return "Captura de pantalla para la evidencia"
        case Say():
            return item.say
        case Confirm():
            return item.confirm
        case Ask():
            return item.ask
        case Manual():
            return item.manual
        case Read():
            return f"Anote {item.read.describe()}"
        case Verify():
            return f"Compruebe que el portal muestra ${{{item.input}}} en {item.verify.describe()}"
        case Finish():
            return item.finish
        case Window():
            return (
                "Vuelva a la ventana principal"
                if item.window == "main"
                else "Pase a la ventana nueva"
            )
        case Frame():
            return f"Dentro del marco {item.frame.describe()}"
        case _:
            assert_never(item)
