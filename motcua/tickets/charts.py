"""Small bar charts as SVG, drawn on the server (no JavaScript library): the statistics page
shows each beside a table of the same numbers. Numbers are written as the page's language
writes them (Django's localisation, as the tables' ``floatformat``: "48,7" in Vietnamese,
"48.7" in English)."""

from __future__ import annotations

from django.template.defaultfilters import floatformat
from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

WIDTH = 720
# Colours with at least 3:1 contrast on white (WCAG 1.4.11, graphics).
WAIT_COLOUR = "#0b4f9c"
SERVICE_COLOUR = "#a01818"
TEXT = 'font-family="DejaVu Sans, Arial, sans-serif" font-size="12" fill="#1b1f24"'


def _svg(height: int, title: str, body: list[str]) -> SafeString:
    return mark_safe(
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{escape(title)}</title>{''.join(body)}</svg>"
    )


def bar_chart(items: list[tuple[str, int]], *, title: str, unit: str = "") -> SafeString:
    """Vertical bars, one per item (a day), labelled under and valued above."""
    height, top, bottom, left = 220, 20, 40, 10
    plot = height - top - bottom
    highest = max([v for _, v in items] + [1])
    step = (WIDTH - 2 * left) / max(1, len(items))
    bar = max(2.0, step * 0.7)
    body = [f'<line x1="{left}" y1="{top + plot}" x2="{WIDTH - left}" y2="{top + plot}" '
            'stroke="#5a6470"/>']  # fmt: skip
    every = max(1, len(items) // 14)  # at most ~14 labels under the axis
    for i, (label, value) in enumerate(items):
        h = plot * value / highest
        x = left + i * step + (step - bar) / 2
        body.append(
            f'<rect x="{x:.1f}" y="{top + plot - h:.1f}" width="{bar:.1f}" height="{h:.1f}" '
            f'fill="{WAIT_COLOUR}"/>'
        )
        if value:
            body.append(
                f'<text x="{x + bar / 2:.1f}" y="{top + plot - h - 4:.1f}" text-anchor="middle" '
                f"{TEXT}>{number_format(value)}{escape(unit)}</text>"
            )
        if i % every == 0:
            body.append(
                f'<text x="{x + bar / 2:.1f}" y="{height - bottom + 16}" text-anchor="middle" '
                f"{TEXT}>{escape(label)}</text>"
            )
    return _svg(height, title, body)


def pair_chart(items: list[tuple[str, float | None, float | None]], *, title: str) -> SafeString:
    """Two horizontal bars per row: the average wait and the average service time, minutes."""
    row, label_width, top = 44, 200, 30
    height = top + row * max(1, len(items)) + 10
    highest = max([v or 0 for _, a, b in items for v in (a, b)] + [1])
    span = WIDTH - label_width - 80
    body = [
        f'<rect x="{label_width}" y="4" width="12" height="12" fill="{WAIT_COLOUR}"/>',
        f'<text x="{label_width + 18}" y="15" {TEXT}>{escape(_("Chờ (phút)"))}</text>',
        f'<rect x="{label_width + 120}" y="4" width="12" height="12" fill="{SERVICE_COLOUR}"/>',
        f'<text x="{label_width + 138}" y="15" {TEXT}>{escape(_("Phục vụ (phút)"))}</text>',
    ]
    for i, (label, wait, service) in enumerate(items):
        y = top + i * row
        body.append(f'<text x="0" y="{y + 22}" {TEXT}>{escape(label[:30])}</text>')
        for j, (value, colour) in enumerate([(wait, WAIT_COLOUR), (service, SERVICE_COLOUR)]):
            w = span * (value or 0) / highest
            yy = y + 4 + j * 18
            body.append(
                f'<rect x="{label_width}" y="{yy}" width="{w:.1f}" height="14" fill="{colour}"/>'
            )
            # As the table beside it writes it: "48,7" in Vietnamese (Django's localisation).
            text = "—" if value is None else floatformat(value, 1)
            body.append(f'<text x="{label_width + w + 6:.1f}" y="{yy + 12}" {TEXT}>{text}</text>')
    return _svg(height, title, body)
