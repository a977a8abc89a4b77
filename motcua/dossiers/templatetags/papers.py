"""How the printed forms write dates and times (Nghị định 30/2020 on administrative documents).

Every time on a paper goes through ``paper_moment``: Vietnam time, cut to the whole minute
(05:54:25 is 05:54, as the API's time reads), so what a paper prints is the minute that was
judged. The paper templates use these filters, never Django's ``date``."""

from datetime import datetime

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

from motcua.workcalendar.calendar import VN_TZ

register = template.Library()


def paper_moment(moment: datetime) -> datetime:
    """``moment`` as a paper writes it: in Vietnam time, cut to the minute (floor)."""
    return moment.astimezone(VN_TZ).replace(second=0, microsecond=0)


#: ``moment|paper_time:"…"``: the ways a paper writes a time.
TIME_FORMATS = {
    "": "%H:%M %d/%m/%Y",  # 05:54 23/11/2026
    "time": "%H:%M",
    "date": "%d/%m/%Y",
    "year": "%Y",
}


@register.filter
def paper_time(moment, part: str = "") -> str:
    """``05:54 23/11/2026`` (or only its ``time``, ``date`` or ``year``), cut to the minute."""
    if not moment:
        return ""
    return paper_moment(moment).strftime(TIME_FORMATS[part])


@register.filter
def date_words(moment) -> str:
    """ "ngày 05 tháng 3 năm 2026": a day below 10 and the months 1 and 2 take a leading zero."""
    if not moment:
        return ""
    local = paper_moment(moment)
    month = f"{local.month:02d}" if local.month <= 2 else str(local.month)
    return f"ngày {local.day:02d} tháng {month} năm {local.year}"


@register.filter
def time_words(moment) -> str:
    """ "16 giờ 00 phút, ngày 18/11/2026", as the receipt writes an appointment."""
    if not moment:
        return ""
    local = paper_moment(moment)
    return f"{local:%H} giờ {local:%M} phút, ngày {local:%d/%m/%Y}"


@register.filter
def code_breaks(code) -> str:
    """A dossier code that may break after its hyphens in a narrow column, and only there
    (``000.01.31.H50-`` / ``261123-`` / ``0001``), never inside its date or serial."""
    return mark_safe(escape(code or "").replace("-", "-<wbr>"))


#: Beyond this many characters a heading line of the issuer block is set on two lines.
HEADING_LINE = 28


@register.filter
def heading_lines(name: str) -> str:
    """A unit's name in capitals for the issuer block, on two lines of about the same length
    when it is long ("BỘ PHẬN TIẾP NHẬN / VÀ TRẢ KẾT QUẢ"), never with one word left alone
    on a second line."""
    words = str(name or "").upper().split()
    text = " ".join(words)
    if len(text) <= HEADING_LINE or len(words) < 2:
        return escape(text)
    cut = min(
        range(1, len(words)),
        key=lambda i: abs(len(" ".join(words[:i])) - len(" ".join(words[i:]))),
    )
    return mark_safe(f"{escape(' '.join(words[:cut]))}<br>{escape(' '.join(words[cut:]))}")
