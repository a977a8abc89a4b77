"""Files handed over with a dossier: streamed to disk, hashed as they come, judged by their
content and never by their name, stored under a random name with the extension of what they
really are, and served as downloads only (issue #3 item 7; hardening issue items 3 and 6)."""

from __future__ import annotations

import functools
import hashlib
import re
import tempfile
import unicodedata
import zipfile
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import PurePath

from django.conf import settings
from django.core.files.base import File
from django.core.files.uploadhandler import FileUploadHandler
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.dossiers import filechecks

MIB = 1024 * 1024
CHUNK = 64 * 1024
#: Files up to this size stay in memory (creating a file on disk costs milliseconds, more
#: than the whole receipt); past it they roll over to an unnamed temporary file.
SPOOL_BYTES = 256 * 1024


@dataclass(frozen=True)
class Kind:
    """A type of file we accept: its name for people, the extension it is stored and served
    with, the extensions that already name it, and the check of its content."""

    label: str
    extension: str
    extensions: tuple[str, ...]
    check: object  # (binary file) -> filechecks.Refusal | None


KINDS = {
    "application/pdf": Kind("PDF", "pdf", ("pdf",), filechecks.pdf_refusal),
    "image/jpeg": Kind("JPEG", "jpg", ("jpg", "jpeg", "jpe", "jfif"), filechecks.jpeg_refusal),
    "image/png": Kind("PNG", "png", ("png",), filechecks.png_refusal),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": Kind(
        "DOCX", "docx", ("docx",), filechecks.office_refusal
    ),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": Kind(
        "XLSX", "xlsx", ("xlsx",), filechecks.office_refusal
    ),
}
DOWNLOAD_TYPE = "application/octet-stream"  # what a row of an unknown type is served as


def sniff_content_type(file) -> str | None:
    """The type of a binary file from its first bytes (and, for Office files, its parts)."""
    file.seek(0)
    head = file.read(8)
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"PK\x03\x04"):
        try:
            names = zipfile.ZipFile(file).namelist()
        except (zipfile.BadZipFile, OSError, ValueError):
            return None
        if "[Content_Types].xml" in names:
            if any(n.startswith("word/") for n in names):
                return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            if any(n.startswith("xl/") for n in names):
                return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return None


class IncomingFile(File):
    """A file handed over for a dossier: the name it came with, and its content in an unnamed
    temporary file on disk past SPOOL_BYTES (the system removes it even if the process is
    killed). Size and
    SHA-256 are counted while it is written; past the attachment limit nothing more is kept
    (``too_large``), so an oversize upload never fills memory or disk.

    ``IncomingFile(name, content)`` takes bytes or a binary file; the desk's uploads become
    ``IncomingFile``s as they stream in (``IncomingFileUploadHandler``), the API's base64
    documents through ``from_base64``."""

    def __init__(self, name: str, content=b""):
        # Closed with this File (by Django at the end of the request, or by ``close``).
        temporary = tempfile.SpooledTemporaryFile(  # noqa: SIM115
            max_size=SPOOL_BYTES, dir=settings.FILE_UPLOAD_TEMP_DIR
        )
        super().__init__(temporary, _clean(name) or "tep")
        self.received = 0  # bytes handed over, kept or not
        self.too_large = False
        self._limit = settings.ATTACHMENT_MAX_MB * MIB
        self._hash = hashlib.sha256()
        if isinstance(content, bytes | bytearray | memoryview):
            self.write(content)
        else:
            while chunk := content.read(CHUNK):
                self.write(chunk)
        self.file.seek(0)

    @classmethod
    def of(cls, upload) -> IncomingFile:
        """An uploaded file as an ``IncomingFile`` (uploads through our handler already are)."""
        if isinstance(upload, cls):
            return upload
        upload.seek(0)
        return cls(upload.name, upload)

    @classmethod
    def from_base64(cls, name: str, text: str) -> IncomingFile:
        """Decode strict base64 piece by piece, so the decoded file is never whole in memory.
        Raises ``ValueError`` when ``text`` is not valid base64."""
        import base64

        if "=" in text[:-2]:  # padding only at the very end, as one b64decode would demand
            raise ValueError("padding inside the data")
        incoming = cls(name)
        step = 4 * CHUNK  # a multiple of 4: every piece but the last decodes on its own
        for start in range(0, len(text), step):
            incoming.write(base64.b64decode(text[start : start + step], validate=True))
            if incoming.too_large:
                break
        incoming.file.seek(0)
        return incoming

    def write(self, chunk: bytes) -> None:
        self.received += len(chunk)
        if self.too_large:
            return
        if self.received > self._limit:
            self.too_large = True
            self.file.truncate(0)  # the part kept so far is of no use: free the disk now
            return
        self.file.write(chunk)
        self._hash.update(chunk)

    @property
    def size(self) -> int:
        return 0 if self.too_large else self.received

    @property
    def sha256(self) -> str:
        return self._hash.hexdigest()

    @functools.cached_property
    def content_type(self) -> str | None:
        """The type found in the content (None when it is not one we accept)."""
        return sniff_content_type(self.file) if self.received and not self.too_large else None

    @property
    def extension(self) -> str:
        return KINDS[self.content_type].extension

    @functools.cached_property
    def refusal(self) -> filechecks.Refusal | None:
        """Why this file may not be stored, or None (checked once, reading the file in parts)."""
        if self.too_large:
            return filechecks.Refusal(filechecks.TOO_LARGE, {"mb": settings.ATTACHMENT_MAX_MB})
        if not self.received:
            return filechecks.Refusal(filechecks.EMPTY)
        if self.content_type is None:
            return filechecks.Refusal(filechecks.UNKNOWN_TYPE)
        refusal = KINDS[self.content_type].check(self.file)
        self.file.seek(0)
        return refusal


class IncomingFileUploadHandler(FileUploadHandler):
    """Django upload handler (settings.FILE_UPLOAD_HANDLERS): every uploaded file streams
    into an ``IncomingFile`` in 64 KiB chunks, so no upload is ever read whole into memory and
    an oversize one is cut off at the limit while it arrives (the rest is read and dropped, so
    the officer still gets the page with the message)."""

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.incoming = IncomingFile(self.file_name)

    def receive_data_chunk(self, raw_data, start):
        self.incoming.write(raw_data)

    def file_complete(self, file_size):
        self.incoming.file.seek(0)
        return self.incoming

    def upload_interrupted(self):
        if hasattr(self, "incoming"):
            self.incoming.close()


def file_errors(files) -> dict[str, str]:
    """One Vietnamese message per bad file, naming it; empty when every file may be stored."""
    errors = {
        f"files.{i}": refusal.render(incoming.name)
        for i, incoming in enumerate(files)
        if (refusal := incoming.refusal) is not None
    }
    if len(files) > settings.ATTACHMENT_MAX_COUNT:
        errors["files"] = _("Tối đa %(n)s tệp cho một hồ sơ.") % {
            "n": settings.ATTACHMENT_MAX_COUNT
        }
    return errors


_EXTENSION = re.compile(r"\.(?=[0-9a-z]*[a-z])[0-9a-z]{1,5}$", re.IGNORECASE)


def download_name(original: str, content_type: str) -> str:
    """The name a stored file is served under: the name it came with, its extension made the
    one of the type found in its content. "to-khai.bat" holding a PDF is served as
    "to-khai.pdf" (not "to-khai.bat.pdf": a double extension is the trick users are taught
    to distrust, and Windows would show it as "to-khai.bat"); "ho-so.pdf.html" as
    "ho-so.pdf"; "Giấy 01.02.2020" as "Giấy 01.02.2020.pdf"."""
    kind = KINDS.get(content_type)
    name = _clean(original) or "tep"
    if kind is None:
        return name
    suffix = PurePath(name).suffix[1:].lower()
    if suffix in kind.extensions:
        return name
    stem = _EXTENSION.sub("", name) if _EXTENSION.search(name) else name
    if PurePath(stem).suffix[1:].lower() in kind.extensions:
        return stem
    return f"{stem}.{kind.extension}"


def served_type(content_type: str) -> str:
    """The Content-Type a stored file is served with: its detected type when it is one we
    accept, otherwise a plain download."""
    return content_type if content_type in KINDS else DOWNLOAD_TYPE


def _clean(name: str) -> str:
    """A file name without folders or control characters (they would break a header)."""
    name = PurePath(str(name).replace("\\", "/")).name
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C")
    return name.strip().strip(".")[:255]


# --- storage and rows agree (``manage.py verify_files``) ------------------------------------

FOLDER = "dossiers"  # where receipts store files (``store_files``)


@dataclass
class FilesCheck:
    """What ``attachment_files_check`` found."""

    files: int = 0  # files under FOLDER
    rows: int = 0  # Attachment rows
    orphan_files: list[str] = field(default_factory=list)  # no row (a failed or killed receipt)
    recent_files: list[str] = field(default_factory=list)  # no row yet, younger than the grace
    missing: list[tuple[int, str, str]] = field(default_factory=list)  # (row id, dossier, file)


def attachment_files_check(*, grace: timedelta) -> FilesCheck:
    """Compare the files in storage under ``dossiers/`` with the ``Attachment`` rows, both
    in code-point order (a merge, so memory does not grow with millions of files).

    A receipt writes its files before the transaction that inserts their rows, so a crash can
    leave a file without its row (found here as an orphan) but never a row without its file.
    Files younger than ``grace`` may belong to a receipt still being written: they are listed
    apart, not as orphans."""
    from django.core.files.storage import default_storage as storage
    from django.db import connection
    from django.db.models.functions import Collate

    from motcua.dossiers.models import Attachment

    binary = "C" if connection.vendor == "postgresql" else "BINARY"
    rows = (
        Attachment.objects.order_by(Collate("file", binary))
        .values_list("pk", "dossier__code", "file")
        .iterator(chunk_size=2000)
    )
    result = FilesCheck()
    # The first row is read before the walk starts: a row in this snapshot had its file
    # written before it, so the walk cannot miss that file.
    row = next(rows, None)
    stored = _stored_names(storage, FOLDER)
    name = next(stored, None)
    cutoff = timezone.now() - grace
    while row is not None or name is not None:
        if name is None or (row is not None and row[2] < name):
            result.rows += 1
            if not storage.exists(row[2]):  # not under FOLDER, or truly gone
                result.missing.append(row)
            row = next(rows, None)
        elif row is None or name < row[2]:
            result.files += 1
            young = storage.get_modified_time(name) > cutoff
            (result.recent_files if young else result.orphan_files).append(name)
            name = next(stored, None)
        else:
            result.rows += 1
            result.files += 1
            row, name = next(rows, None), next(stored, None)
    return result


def _stored_names(storage, folder: str):
    """Every file under ``folder``, in code-point order of the whole name: within a folder a
    sub-folder sorts as its name followed by "/", which is where its files fall."""
    if not storage.exists(folder):
        return
    folders, files = storage.listdir(folder)
    entries = sorted([(f"{d}/", True) for d in folders] + [(f, False) for f in files])
    for entry, is_folder in entries:
        if is_folder:
            yield from _stored_names(storage, f"{folder}/{entry[:-1]}")
        else:
            yield f"{folder}/{entry}"
