"""The dashboard's charts as SVG drawn on the server (no JavaScript): horizontal bars (by
unit, by field, by channel) and a line by month. Each chart's numbers are also in its
accessible name and in the table beside it."""

from __future__ import annotations

from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH = 640
# At least 3:1 against white (WCAG 1.4.11, graphics).
BAR = "#0b4f9c"
LINE = "#a01818"
TEXT = 'font-family="DejaVu Sans, Arial, sans-serif" font-size="13" fill="#1b1f24"'


def _number(value) -> str:
    if value is None:
        return "—"
    return f"{value}".replace(".", ",") if isinstance(value, Decimal) else str(value)


def _svg(height: int, title: str, body: list[str]) -> SafeString:
    return mark_safe(
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{escape(title)}</title>{''.join(body)}</svg>"
    )


def bars(items: list[tuple[str, int | Decimal | None]], *, title: str, unit: str = "",
         top_value: float | None = None) -> SafeString:  # fmt: skip
    """One horizontal bar per item, its label above it and its value at its end."""
    row, top = 38, 6
    height = top + row * max(1, len(items))
    highest = top_value or max([float(v or 0) for _, v in items] + [1])
    span = WIDTH - 90
    body = []
    words = []
    for i, (label, value) in enumerate(items):
        y = top + i * row
        w = span * float(value or 0) / highest
        text = _number(value) + (unit if value is not None else "")
        words.append(f"{label}: {text}")
        body.append(f'<text x="0" y="{y + 12}" {TEXT}>{escape(label[:70])}</text>')
        body.append(f'<rect x="0" y="{y + 16}" width="{w:.1f}" height="14" fill="{BAR}"/>')
        body.append(f'<text x="{w + 6:.1f}" y="{y + 28}" {TEXT}>{escape(text)}</text>')
    return _svg(height, f"{title}. " + "; ".join(words), body)


def line(points: list[tuple[str, Decimal | None]], *, title: str, unit: str = "%") -> SafeString:
    """A line through the months' values (0–100 %), a gap where a month has none."""
    height, top, bottom, left = 220, 20, 34, 34
    plot = height - top - bottom
    step = (WIDTH - left - 10) / max(1, len(points))
    body = [
        f'<line x1="{left}" y1="{top + plot}" x2="{WIDTH - 10}" y2="{top + plot}" '
        'stroke="#5a6470"/>',
        f'<text x="0" y="{top + 4}" {TEXT}>100</text>',
        f'<text x="0" y="{top + plot}" {TEXT}>0</text>',
    ]
    path, words = [], []
    every = max(1, len(points) // 12)
    for i, (label, value) in enumerate(points):
        x = left + i * step + step / 2
        words.append(f"{label}: {_number(value)}{unit if value is not None else ''}")
        if i % every == 0:
            body.append(
                f'<text x="{x:.1f}" y="{height - 12}" text-anchor="middle" {TEXT}>'
                f"{escape(label)}</text>"
            )
        if value is None:
            if len(path) > 1:
                body.append(_polyline(path))
            path = []
            continue
        y = top + plot - plot * float(value) / 100
        path.append((x, y))
        body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{LINE}"/>')
    if len(path) > 1:
        body.append(_polyline(path))
    return _svg(height, f"{title}. " + "; ".join(words), body)


def _polyline(path) -> str:
    joined = " ".join(f"{x:.1f},{y:.1f}" for x, y in path)
    return f'<polyline points="{joined}" fill="none" stroke="{LINE}" stroke-width="2"/>'
