"""Writing a message from its template: SMS without diacritics and within a length, e-mail
with diacritics, a subject and a body.

Templates are written by administrators, so rendering them must not be a way into the
server. Not Django templates: an edited template could ``{% include %}`` or ``{% load %}``,
print its whole context with ``{% debug %}``, or call methods of the objects it is given. Not
``str.format`` either: ``{x.__class__}`` and ``{x[0]}`` read attributes and items. A template
here is split by ``string.Formatter.parse`` and only bare ``{name}`` placeholders from the
kind's list are accepted — no attribute, index, conversion or format spec — then the parts
are joined with the values as plain strings, which are never parsed again. ``{{`` and ``}}``
write a brace.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Mapping
from string import Formatter

from django.conf import settings
from django.utils.translation import gettext as _

from motcua.catalog.text import strip_diacritics
from motcua.notifications.kinds import OPT_OUT_FIELD, MessageKind, kind_get
from motcua.ttlcache import TTLCache

log = logging.getLogger(__name__)

#: An administrator's edit reaches every process within a minute (this one at once).
_templates: TTLCache[dict[str, tuple[str, str]]] = TTLCache(60)

SAMPLE_RECIPIENT = {"sms": "0912345678", "email": "nguoidan@example.vn"}

# What carriers show of punctuation outside plain ASCII (after the diacritics are gone).
_SMS_PUNCTUATION = str.maketrans(
    {
        "–": "-",
        "—": "-",
        "‘": "'",
        "’": "'",
        "“": '"',
        "”": '"',
        "…": "...",
        "\u00a0": " ",
        "·": "-",
        "•": "-",
    }
)


class TemplateError(ValueError):
    pass


Parts = list[tuple[str, str | None]]


def parse(text: str, allowed: Mapping[str, str]) -> Parts:
    """``text`` as (literal, placeholder or None) pairs; ``TemplateError`` (in Vietnamese)
    for a placeholder that is not a bare name of ``allowed``, or a lone brace."""
    try:
        parsed = list(Formatter().parse(text))
    except ValueError:
        raise TemplateError(
            _("Dấu ngoặc nhọn không khớp: viết {{ hoặc }} để in một dấu ngoặc.")
        ) from None
    parts: Parts = []
    for literal, name, spec, conversion in parsed:
        if name is None:
            parts.append((literal, None))
            continue
        if not name.isidentifier() or spec or conversion:
            raise TemplateError(
                _("Chỗ trống “{%(name)s}” không hợp lệ: chỉ viết tên chỗ trống trong {}.")
                % {
                    "name": name
                    + (f"!{conversion}" if conversion else "")
                    + (f":{spec}" if spec else "")
                }
            )
        if name not in allowed:
            raise TemplateError(
                _("Không có chỗ trống {%(name)s}. Dùng được: %(allowed)s.")
                % {"name": name, "allowed": ", ".join(f"{{{n}}}" for n in allowed)}
            )
        parts.append((literal, name))
    return parts


def _join(parts: Parts, values: Mapping[str, str]) -> str:
    return "".join(literal + (values.get(name, "") if name else "") for literal, name in parts)


def placeholders(parts: Parts) -> set[str]:
    return {name for _literal, name in parts if name}


def sms_text(text: str) -> str:
    """What an SMS may carry: no diacritics (carriers require it, and it keeps 160
    characters a part), plain ASCII punctuation, nothing else outside ASCII."""
    plain = strip_diacritics(text).translate(_SMS_PUNCTUATION)
    plain = unicodedata.normalize("NFKD", plain)
    return plain.encode("ascii", "ignore").decode()


def _fit(
    parts: Parts, values: dict[str, str], shorten: tuple[str, ...], limit: int, cut: bool
) -> str:
    """The SMS within ``limit``: the free-text values named in ``shorten`` are cut first
    (never below 10 characters), then, with ``cut``, the end of the text."""
    text = _join(parts, values)
    for name in shorten:
        excess = len(text) - limit
        if excess <= 0:
            break
        value = values.get(name, "")
        keep = max(len(value) - excess - 3, 10)
        if keep < len(value):
            values[name] = value[:keep].rstrip() + "..."
            text = _join(parts, values)
    if cut and len(text) > limit:
        log.warning("Tin SMS dài %d ký tự, cắt còn %d", len(text), limit)
        return text[:limit]
    return text


# --- templates: the administrator's, or the kind's default ---------------------------------


def _stored(kind: str) -> dict[str, tuple[str, str]]:
    from motcua.notifications.models import MessageTemplate

    return {
        medium: (subject, body)
        for medium, subject, body in MessageTemplate.objects.filter(kind=kind).values_list(
            "medium", "subject", "body"
        )
    }


def templates_changed() -> None:
    """After an edit (the admin, the loader): this process sees it at once."""
    _templates.clear()


def template_source(kind: MessageKind, medium: str) -> tuple[str, str]:
    """(subject, body) as the administrator wrote them, else the kind's default."""
    stored = _templates.get(kind.name, lambda: _stored(kind.name))
    return stored.get(medium) or kind.default(medium)


def template_errors(*, kind: str, medium: str, subject: str, body: str) -> dict[str, str]:
    """What is wrong with a template, per form field, in Vietnamese (empty when nothing)."""
    spec = kind_get(kind)
    if spec is None:
        return {"kind": _("Không có loại tin này.")}
    if medium not in spec.media:
        return {"medium": _("Loại tin này không gửi qua kênh này.")}
    allowed = spec.allowed_fields()
    errors = {}
    parsed = {}
    for name, text in (("subject", subject), ("body", body)):
        try:
            parsed[name] = parse(text, allowed)
        except TemplateError as exc:
            errors[name] = str(exc)
    if errors:
        return errors
    if medium == "email" and not subject.strip():
        errors["subject"] = _("Thư điện tử cần có tiêu đề.")
    for name in spec.needs:
        if name not in placeholders(parsed["body"]):
            errors["body"] = _("Nội dung phải có {%(field)s}.") % {"field": name}
    if not spec.required and OPT_OUT_FIELD not in placeholders(parsed["body"]):
        errors["body"] = _(
            "Loại tin này người nhận được quyền từ chối: nội dung phải có {%(field)s}."
        ) % {"field": OPT_OUT_FIELD}
    if medium == "sms" and "body" not in errors:
        sample = _values(spec, "sms", spec.sample, "")
        length = len(_sms_body(spec, parsed["body"], sample, cut=False))
        if length > settings.SMS_MAX_LENGTH:
            errors["body"] = _(
                "Với dữ liệu mẫu, tin nhắn dài %(length)d ký tự, quá giới hạn %(limit)d."
            ) % {"length": length, "limit": settings.SMS_MAX_LENGTH}
    return errors


# --- rendering -----------------------------------------------------------------------------


def _values(spec: MessageKind, medium: str, data: Mapping[str, object], recipient: str) -> dict:
    from motcua.notifications.optout import opt_out_url

    values = {name: "" if data.get(name) is None else str(data[name]) for name in spec.fields}
    if not spec.required:
        values[OPT_OUT_FIELD] = opt_out_url(medium, recipient or SAMPLE_RECIPIENT[medium])
    return values


def _sms_body(spec: MessageKind, parts: Parts, values: dict[str, str], cut: bool = True) -> str:
    ascii_values = {name: sms_text(value) for name, value in values.items()}
    ascii_parts = [(sms_text(literal), name) for literal, name in parts]
    return _fit(ascii_parts, ascii_values, spec.shorten, settings.SMS_MAX_LENGTH, cut)


def render(
    *, kind: str, medium: str, data: Mapping[str, object], recipient: str
) -> tuple[str, str]:
    """(subject, body) of a message of ``kind`` to ``recipient`` on ``medium``. A stored
    template that no longer parses (a placeholder since removed from the kind) is logged and
    the default used: the message still goes."""
    spec = kind_get(kind)
    if spec is None:
        raise LookupError(f"Loại tin chưa đăng ký: {kind}")
    allowed = spec.allowed_fields()
    subject, body = template_source(spec, medium)
    try:
        subject_parts, body_parts = parse(subject, allowed), parse(body, allowed)
        if missing := set(spec.needs) - placeholders(body_parts):
            raise TemplateError(f"thiếu {sorted(missing)}")
    except TemplateError as exc:
        log.warning("Mẫu tin %s/%s lỗi (%s): dùng mẫu mặc định", kind, medium, exc)
        subject, body = spec.default(medium)
        subject_parts, body_parts = parse(subject, allowed), parse(body, allowed)
    values = _values(spec, medium, data, recipient)
    if medium == "sms":
        return "", _sms_body(spec, body_parts, values)
    one_line = re.sub(r"\s+", " ", _join(subject_parts, values)).strip()
    return one_line[:255], _join(body_parts, values)


def preview(*, kind: str, medium: str, subject: str, body: str) -> tuple[str, str]:
    """The template as it would read with the kind's sample data (the admin's preview)."""
    spec = kind_get(kind)
    allowed = spec.allowed_fields()
    subject_parts, body_parts = parse(subject, allowed), parse(body, allowed)
    values = _values(spec, medium, spec.sample, "")
    if medium == "sms":
        return "", _sms_body(spec, body_parts, values)
    return _join(subject_parts, values), _join(body_parts, values)
