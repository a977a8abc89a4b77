"""Charts as SVG drawn on the server (no JavaScript library), for the leaders' dashboard and
the desk's statistics; each page shows a table of the same numbers beside its chart.

Drawn in the page's own units: the width is the container's (positions along it are
percentages), the height and the type are in pixels, so the labels keep their size on a
390 px phone as on a 1366 px screen (a chart scaled down as a picture would shrink them to
unreadable 6 px). Labels that would crowd a narrow screen carry the class ``minor``, which
site.css hides below 40em; the chart's accessible name and its table keep every value.

Numbers are written as the page's language writes them (Django's localisation, as the
tables' ``floatformat``: "48,7" in Vietnamese, "48.7" in English)."""

from __future__ import annotations

import math
from decimal import Decimal

from django.template.defaultfilters import floatformat
from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# Colours with at least 3:1 contrast on white (WCAG 1.4.11, graphics).
BLUE = "#0b4f9c"
RED = "#a01818"
AXIS = "#5a6470"
TEXT = 'font-family="DejaVu Sans, Arial, sans-serif" font-size="13" fill="#1b1f24"'
#: Bars end before this share of the width, so the value after the longest one still fits.
SPAN = 78
#: A label longer than this is cut (the table beside the chart has it whole).
LABEL_CHARACTERS = 48


def number(value: int | float | Decimal | None) -> str:
    """A value as the tables write it: "—" for none, whole numbers grouped, others with one
    decimal ("48,7" in Vietnamese)."""
    if value is None:
        return "—"
    if isinstance(value, int):
        return number_format(value, force_grouping=True)
    return floatformat(value, 1)


def _label(text: str) -> str:
    text = str(text)
    return escape(text if len(text) <= LABEL_CHARACTERS else text[: LABEL_CHARACTERS - 1] + "…")


def _svg(height: int, title: str, body: list[str]) -> SafeString:
    return mark_safe(
        f'<svg class="chart" width="100%" height="{height}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{escape(title)}</title>{''.join(body)}</svg>"
    )


def _share(value, highest: float) -> float:
    """The bar's length, in percent of the width."""
    return SPAN * float(value or 0) / highest if highest else 0.0


def _described(title: str, items: list[tuple[str, str]]) -> str:
    return f"{title}. " + "; ".join(f"{label}: {text}" for label, text in items)


def bars(items: list[tuple[str, int | float | Decimal | None]], *, title: str, unit: str = "",
         top_value: float | None = None) -> SafeString:  # fmt: skip
    """One horizontal bar per item, its label above it and its value at its end."""
    return grouped_bars(
        [(label, [value]) for label, value in items],
        series=[("", BLUE)],
        title=title,
        unit=unit,
        top_value=top_value,
    )


def grouped_bars(items: list[tuple[str, list]], *, series: list[tuple[str, str]], title: str,
                 unit: str = "", top_value: float | None = None) -> SafeString:  # fmt: skip
    """Per item, its label and then one horizontal bar per series (name, colour), each with
    its value at its end; a legend above when there is more than one series."""
    bar, gap = 14, 4
    legend = 22 if len(series) > 1 else 0
    row = 20 + len(series) * (bar + gap) + 6
    height = legend + row * max(1, len(items))
    values = [float(v) for _, vs in items for v in vs if v is not None]
    highest = top_value or max([*values, 1])
    body, words = [], []
    if legend:
        x = 0
        for name, colour in series:
            body.append(f'<rect x="{x}" y="4" width="12" height="12" fill="{colour}"/>')
            body.append(f'<text x="{x + 18}" y="15" {TEXT}>{escape(name)}</text>')
            x += 28 + 8 * len(name)
    for i, (label, row_values) in enumerate(items):
        y = legend + i * row
        body.append(f'<text x="0" y="{y + 14}" {TEXT}>{_label(label)}</text>')
        texts = []
        for j, ((name, colour), value) in enumerate(zip(series, row_values, strict=True)):
            top = y + 20 + j * (bar + gap)
            share = _share(value, highest)
            text = number(value) + (unit if value is not None else "")
            texts.append(f"{name} {text}".strip())
            body.append(
                f'<rect x="0" y="{top}" width="{share:.2f}%" height="{bar}" fill="{colour}"/>'
            )
            body.append(
                f'<text x="{share:.2f}%" dx="6" y="{top + 12}" {TEXT}>{escape(text)}</text>'
            )
        words.append((label, ", ".join(texts)))
    return _svg(height, _described(title, words), body)


def _minor(i: int, count: int, *, wide: int, narrow: int) -> str | None:
    """Which of ``count`` axis labels to show: at most ``wide`` of them (None: this one not),
    and of those, at most ``narrow`` on a narrow screen (the others are ``minor``)."""
    every = max(1, math.ceil(count / wide))
    if i % every:
        return None
    every_narrow = max(every, math.ceil(count / narrow))
    return "" if i % every_narrow == 0 else ' class="minor"'


def columns(items: list[tuple[str, int]], *, title: str, unit: str = "") -> SafeString:
    """Vertical bars, one per item (a day), labelled under and valued above."""
    height, top, bottom = 220, 20, 40
    plot = height - top - bottom
    highest = max([v for _, v in items] + [1])
    step = 100 / max(1, len(items))
    body = [f'<line x1="0" y1="{top + plot}" x2="100%" y2="{top + plot}" stroke="{AXIS}"/>']
    crowded = len(items) > 10  # values above more bars than this only on a wide screen
    for i, (label, value) in enumerate(items):
        h = plot * value / highest
        x = i * step + step * 0.15
        middle = f"{i * step + step / 2:.2f}%"
        body.append(
            f'<rect x="{x:.2f}%" y="{top + plot - h:.1f}" width="{step * 0.7:.2f}%" '
            f'height="{h:.1f}" fill="{BLUE}"/>'
        )
        if value:
            minor = ' class="minor"' if crowded else ""
            body.append(
                f'<text{minor} x="{middle}" y="{top + plot - h - 4:.1f}" text-anchor="middle" '
                f"{TEXT}>{number(value)}{escape(unit)}</text>"
            )
        shown = _minor(i, len(items), wide=14, narrow=5)
        if shown is not None:
            body.append(
                f'<text{shown} x="{middle}" y="{height - bottom + 16}" text-anchor="middle" '
                f"{TEXT}>{escape(label)}</text>"
            )
    words = [(label, number(value) + unit) for label, value in items]
    return _svg(height, _described(title, words), body)


def line(points: list[tuple[str, Decimal | None]], *, title: str, unit: str = "%") -> SafeString:
    """A line through the months' values (0–100 %), a gap where a month has none."""
    height, top, bottom, left = 220, 20, 34, 9  # ``left``: percent of the width, for "100"
    plot = height - top - bottom
    step = (100 - left - 2) / max(1, len(points))
    body = [
        f'<line x1="{left}%" y1="{top + plot}" x2="98%" y2="{top + plot}" stroke="{AXIS}"/>',
        f'<text x="0" y="{top + 4}" {TEXT}>100</text>',
        f'<text x="0" y="{top + plot}" {TEXT}>0</text>',
    ]
    previous, words = None, []
    for i, (label, value) in enumerate(points):
        x = left + i * step + step / 2
        words.append((label, number(value) + (unit if value is not None else "")))
        shown = _minor(i, len(points), wide=12, narrow=4)
        if shown is not None:
            body.append(
                f'<text{shown} x="{x:.2f}%" y="{height - 12}" text-anchor="middle" {TEXT}>'
                f"{escape(label)}</text>"
            )
        if value is None:
            previous = None
            continue
        y = top + plot - plot * float(value) / 100
        if previous is not None:
            body.append(
                f'<line x1="{previous[0]:.2f}%" y1="{previous[1]:.1f}" x2="{x:.2f}%" '
                f'y2="{y:.1f}" stroke="{RED}" stroke-width="2"/>'
            )
        body.append(f'<circle cx="{x:.2f}%" cy="{y:.1f}" r="3.5" fill="{RED}"/>')
        previous = (x, y)
    return _svg(height, _described(title, words), body)
