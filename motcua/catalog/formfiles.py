"""The forms a citizen downloads from a procedure's page: the blank form (mẫu đơn, tờ khai) and
a sample filled in (mẫu đã điền sẵn), attached to a required document of a version.

They come in through the admin and are checked like a dossier's files (``dossiers/files.py``,
ADR 0010): judged by their content, refused with active content (macros, JavaScript, embedded
programs), and only DOCX or PDF. They are kept with their version under a random name
(``models.form_upload_to``): a new version gets copies (``form_files_copy``), so a superseded
version keeps its own. They are served only as downloads, named after the form and typed by
their content (``form_download``).
"""

from __future__ import annotations

from pathlib import PurePath

from django.core.files import File
from django.core.files.storage import default_storage
from django.http import FileResponse
from django.utils.translation import gettext as _

from motcua.dossiers.files import IncomingFile, download_name, served_type, sniff_content_type

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FORM_TYPES = (PDF, DOCX)
#: The two files of a required document, and how a download is named after the form.
FORM_FIELDS = {"form_file": "", "sample_file": " (bản khai mẫu)"}


def form_upload_check(upload) -> tuple[IncomingFile | None, str | None]:
    """The upload ready to store (named with the extension of what it is), or why not."""
    incoming = IncomingFile.of(upload)
    refusal = incoming.refusal
    if refusal is not None:
        return None, refusal.render(incoming.name)
    if incoming.content_type not in FORM_TYPES:
        return None, _("Tệp “%(name)s” không phải DOCX hay PDF: mẫu đơn chỉ nhận hai loại này.") % {
            "name": incoming.name
        }
    incoming.name = f"mau.{incoming.extension}"
    return incoming, None


def form_files_attach(*, document, form=None, sample=None) -> None:
    """Attach a blank form and/or a sample to ``document`` (for the demo and commands; the
    admin checks its uploads in its form). Raises ``ValidationError`` for a file that may not
    be stored, and then stores nothing."""
    from django.core.exceptions import ValidationError

    checked = {}
    for field, upload in (("form_file", form), ("sample_file", sample)):
        if upload is not None:
            incoming, error = form_upload_check(upload)
            if error:
                raise ValidationError({field: error})
            checked[field] = incoming
    for field, incoming in checked.items():
        getattr(document, field).save(incoming.name, incoming, save=False)
    if checked:
        document.save(update_fields=list(checked))


def form_files_copy(*, source, target) -> None:
    """Give ``target``'s documents their own copies of the form files of ``source``'s
    documents of the same name."""
    by_name = {doc.name: doc for doc in source.documents.all()}
    for document in target.documents.all():
        previous = by_name.get(document.name)
        if previous is None:
            continue
        copied = []
        for field in FORM_FIELDS:
            stored = getattr(previous, field)
            if not stored or not default_storage.exists(stored.name):
                continue
            with default_storage.open(stored.name, "rb") as content:
                name = f"mau{PurePath(stored.name).suffix}"
                getattr(document, field).save(name, File(content), save=False)
            copied.append(field)
        if copied:
            document.save(update_fields=copied)


def form_download(document, field: str) -> FileResponse:
    """The file ``field`` of ``document`` as a download, named after the form with the
    extension of what it is, typed by its content."""
    stored = getattr(document, field)
    handle = stored.open("rb")
    content_type = sniff_content_type(handle) or ""
    handle.seek(0)
    title = (document.form_name or document.name)[:150] + FORM_FIELDS[field]
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=download_name(title, content_type),
        content_type=served_type(content_type),
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
