"""Image captchas drawn as SVG rectangles from a 5×7 bitmap font.

The picture holds no text node, so the answer cannot be read from the DOM or the
accessibility tree: a person (or the mock's ``state()``) has to supply it.
"""

from __future__ import annotations

import random

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
LENGTH = 5
CELL = 4
WIDTH, HEIGHT = 190, 54

_FONT_ROWS = {
    "A": ".###./#...#/#...#/#####/#...#/#...#/#...#",
    "B": "####./#...#/#...#/####./#...#/#...#/####.",
    "C": ".###./#...#/#..../#..../#..../#...#/.###.",
    "D": "####./#...#/#...#/#...#/#...#/#...#/####.",
    "E": "#####/#..../#..../####./#..../#..../#####",
    "F": "#####/#..../#..../####./#..../#..../#....",
    "G": ".###./#...#/#..../#.###/#...#/#...#/.###.",
    "H": "#...#/#...#/#...#/#####/#...#/#...#/#...#",
    "J": "..###/...#./...#./...#./...#./#..#./.##..",
    "K": "#...#/#..#./#.#../##.../#.#../#..#./#...#",
    "L": "#..../#..../#..../#..../#..../#..../#####",
    "M": "#...#/##.##/#.#.#/#.#.#/#...#/#...#/#...#",
    "N": "#...#/#...#/##..#/#.#.#/#..##/#...#/#...#",
    "P": "####./#...#/#...#/####./#..../#..../#....",
    "Q": ".###./#...#/#...#/#...#/#.#.#/#..#./.##.#",
    "R": "####./#...#/#...#/####./#.#../#..#./#...#",
    "S": ".####/#..../#..../.###./....#/....#/####.",
    "T": "#####/..#../..#../..#../..#../..#../..#..",
    "U": "#...#/#...#/#...#/#...#/#...#/#...#/.###.",
    "V": "#...#/#...#/#...#/#...#/#...#/.#.#./..#..",
    "W": "#...#/#...#/#...#/#.#.#/#.#.#/#.#.#/.#.#.",
    "X": "#...#/#...#/.#.#./..#../.#.#./#...#/#...#",
    "Y": "#...#/#...#/.#.#./..#../..#../..#../..#..",
    "Z": "#####/....#/...#./..#../.#.../#..../#####",
    "2": ".###./#...#/....#/...#./..#../.#.../#####",
    "3": "#####/...#./..#../...#./....#/#...#/.###.",
    "4": "...#./..##./.#.#./#..#./#####/...#./...#.",
    "5": "#####/#..../####./....#/....#/#...#/.###.",
    "6": "..##./.#.../#..../####./#...#/#...#/.###.",
    "7": "#####/....#/...#./..#../.#.../.#.../.#...",
    "8": ".###./#...#/#...#/.###./#...#/#...#/.###.",
    "9": ".###./#...#/#...#/.####/....#/...#./.##..",
}
FONT: dict[str, tuple[str, ...]] = {ch: tuple(rows.split("/")) for ch, rows in _FONT_ROWS.items()}


def new_answer(rng: random.Random) -> str:
    """A fresh captcha text (no I, O, 0 or 1, which people confuse)."""
    return "".join(rng.choice(ALPHABET) for _ in range(LENGTH))


def glyph_cells(char: str) -> list[tuple[int, int]]:
    """The (column, row) cells that are inked for ``char``."""
    return [
        (col, row)
        for row, line in enumerate(FONT[char])
        for col, mark in enumerate(line)
        if mark == "#"
    ]


def render_svg(answer: str, rng: random.Random) -> str:
    """The distorted picture of ``answer``: rotated, shifted glyphs over noise lines."""
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}">',
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#eef1f6"/>',
    ]
    for _ in range(6):
        parts.append(
            f'<line x1="{rng.randint(0, WIDTH)}" y1="{rng.randint(0, HEIGHT)}" '
            f'x2="{rng.randint(0, WIDTH)}" y2="{rng.randint(0, HEIGHT)}" '
            f'stroke="#8a9bb5" stroke-width="{rng.choice((1, 1.5, 2))}"/>'
        )
    for index, char in enumerate(answer):
        x = 12 + index * 35 + rng.randint(-2, 2)
        y = 12 + rng.randint(-4, 4)
        angle = rng.randint(-12, 12)
        skew = rng.randint(-8, 8)
        colour = rng.choice(("#1c3f78", "#7a1f2b", "#2d4a2b", "#3b3b3b"))
        parts.append(
            f'<g transform="translate({x} {y}) rotate({angle} 10 14) skewX({skew})" '
            f'fill="{colour}">'
        )
        for col, row in glyph_cells(char):
            jitter = rng.choice((0, 0, 0.5, -0.5))
            parts.append(
                f'<rect x="{col * CELL + jitter}" y="{row * CELL}" width="{CELL}" height="{CELL}"/>'
            )
        parts.append("</g>")
    for _ in range(40):
        parts.append(
            f'<circle cx="{rng.randint(0, WIDTH)}" cy="{rng.randint(0, HEIGHT)}" r="1" '
            'fill="#5b6b85"/>'
        )
    parts.append("</svg>")
    return "".join(parts)
