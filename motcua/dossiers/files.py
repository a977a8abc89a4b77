"""Checking uploaded files by their content, not their name (issue #3 item 7)."""

import io
import zipfile

from django.conf import settings
from django.utils.translation import gettext as _

ALLOWED = {
    "application/pdf": "PDF",
    "image/jpeg": "JPEG",
    "image/png": "PNG",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "DOCX",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "XLSX",
}


def sniff_content_type(content: bytes) -> str | None:
    """The type of ``content`` from its first bytes (and, for Office files, its parts)."""
    if content.startswith(b"%PDF-"):
        return "application/pdf"
    if content.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if content.startswith(b"PK\x03\x04"):
        try:
            names = zipfile.ZipFile(io.BytesIO(content)).namelist()
        except zipfile.BadZipFile:
            return None
        if "[Content_Types].xml" in names:
            if any(n.startswith("word/") for n in names):
                return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            if any(n.startswith("xl/") for n in names):
                return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return None


def file_errors(files) -> dict[str, str]:
    """One Vietnamese message per bad file; empty when every file may be stored."""
    limit = settings.ATTACHMENT_MAX_MB * 1024 * 1024
    errors = {}
    for i, incoming in enumerate(files):
        key = f"files.{i}"
        if not incoming.content:
            errors[key] = _("Tệp “%(name)s” rỗng.") % {"name": incoming.name}
        elif len(incoming.content) > limit:
            errors[key] = _(
                "Tệp “%(name)s” lớn hơn %(mb)s MB; hãy quét với độ phân giải thấp hơn hoặc "
                "chia nhỏ."
            ) % {"name": incoming.name, "mb": settings.ATTACHMENT_MAX_MB}
        elif sniff_content_type(incoming.content) is None:
            errors[key] = _(
                "Tệp “%(name)s” không phải PDF, JPEG, PNG, DOCX hay XLSX (kiểm tra theo nội "
                "dung tệp, không theo tên)."
            ) % {"name": incoming.name}
    if len(files) > settings.ATTACHMENT_MAX_COUNT:
        errors["files"] = _("Tối đa %(n)s tệp cho một hồ sơ.") % {
            "n": settings.ATTACHMENT_MAX_COUNT
        }
    return errors
