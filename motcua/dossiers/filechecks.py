"""What may not be inside a file we store: active content in PDFs (parsed with pypdf), images
that are not whole images (decoded with Pillow), macros, embedded objects or programs and zip
bombs in Office files. Each check reads the file from disk in parts and returns a ``Refusal``
(a Vietnamese message naming the file) or None. We refuse rather than strip: a stripped file
is no longer the paper the applicant handed over."""

from __future__ import annotations

import re
import threading
import time
import warnings
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from xml.etree import ElementTree

from django.utils.translation import gettext_lazy as _

MIB = 1024 * 1024


@dataclass(frozen=True)
class Refusal:
    message: str  # with %(name)s for the file's name, and the keys of ``params``
    params: dict = field(default_factory=dict)

    def render(self, name: str) -> str:
        params = {k: str(v) for k, v in self.params.items()}
        return str(self.message) % {"name": name, **params}


EMPTY = _("Tệp “%(name)s” rỗng.")
TOO_LARGE = _("Tệp “%(name)s” lớn hơn %(mb)s MB; hãy quét với độ phân giải thấp hơn hoặc chia nhỏ.")
UNKNOWN_TYPE = _(
    "Tệp “%(name)s” không phải PDF, JPEG, PNG, DOCX hay XLSX (kiểm tra theo nội dung tệp, "
    "không theo tên)."
)

# --- markup hidden in a binary file (a polyglot) -------------------------------------------

HIDDEN_MARKUP = _(
    "Tệp “%(name)s” có mã trang web (HTML/SVG) giấu bên trong nên không được nhận; hãy chụp, "
    "quét hoặc xuất lại tệp."
)
#: The start of a web page or an SVG, as a browser sniffing the bytes would find it. Never in
#: compressed image or PDF data by chance (seven bytes or more); XMP metadata (``<x:xmpmeta``,
#: ``<rdf:``, ``<?xpacket``) does not match.
MARKUP = re.compile(rb"<(?:svg|html|script|iframe|body|object|embed|!doctype)[\s>/]", re.IGNORECASE)


def _search_in_parts(file, pattern: re.Pattern, start: int = 0) -> re.Match | None:
    """The first match of ``pattern`` in ``file`` from byte ``start`` on, read a MiB at a
    time; each part is searched with the end of the one before, so a match across two parts
    is found (patterns up to 32 bytes long)."""
    file.seek(start)
    tail = b""
    while chunk := file.read(MIB):
        if match := pattern.search(tail + chunk):
            return match
        tail = chunk[-32:]
    return None


def _markup_after(file, start: int = 0) -> bool:
    """Whether web markup appears in ``file`` from byte ``start`` on."""
    return _search_in_parts(file, MARKUP, start) is not None


def _last_pdf_end(file) -> int:
    """Where the last ``%%EOF`` ends (0 when there is none)."""
    file.seek(0)
    end, offset, tail = 0, 0, b""
    while chunk := file.read(MIB):
        found = (tail + chunk).rfind(b"%%EOF")
        if found >= 0:
            end = offset - len(tail) + found + 5
        offset += len(chunk)
        tail = chunk[-8:]
    return end


# --- PDF -----------------------------------------------------------------------------------

PDF_UNREADABLE = _(
    "Tệp “%(name)s” không đọc được như một tệp PDF (tệp hỏng hoặc sai cấu trúc); hãy xuất "
    "hoặc quét lại."
)
PDF_PASSWORD = _("Tệp “%(name)s” là PDF có mật khẩu; hãy gửi bản không đặt mật khẩu.")
PDF_ACTIVE = _(
    "Tệp “%(name)s” là PDF có %(what)s, có thể tự chạy khi mở, nên không được nhận. Hãy in "
    "lại thành PDF thường (Print to PDF) hoặc quét lại."
)
_JAVASCRIPT = _("mã JavaScript")
_LAUNCH = _("lệnh mở chương trình hay tệp khác")
_EMBEDDED = _("tệp nhúng bên trong")
_RICH_MEDIA = _("nội dung đa phương tiện (RichMedia, Flash)")
_XFA = _("biểu mẫu XFA")
_SUBMIT = _("lệnh gửi hoặc nhập dữ liệu")

#: Dictionary keys that carry active content wherever they appear.
PDF_ACTIVE_KEYS = {
    "/JS": _JAVASCRIPT,
    "/JavaScript": _JAVASCRIPT,
    "/EmbeddedFiles": _EMBEDDED,
    "/EF": _EMBEDDED,
    "/RichMediaContent": _RICH_MEDIA,
    "/RichMediaSettings": _RICH_MEDIA,
    "/XFA": _XFA,
}
#: Values of /S (action type), /Type and /Subtype that are active content. Links to web pages
#: (/URI) and within the document (/GoTo) are kept: they run nothing.
PDF_ACTIVE_NAMES = {
    "/JavaScript": _JAVASCRIPT,
    "/Launch": _LAUNCH,
    "/GoToR": _LAUNCH,  # opens another file, also \\server\share (leaks the officer's login)
    "/GoToE": _EMBEDDED,
    "/EmbeddedFile": _EMBEDDED,
    "/FileAttachment": _EMBEDDED,
    "/RichMedia": _RICH_MEDIA,
    "/RichMediaExecute": _RICH_MEDIA,
    "/Rendition": _RICH_MEDIA,
    "/SubmitForm": _SUBMIT,
    "/ImportData": _SUBMIT,
}
#: Also looked for in the raw bytes, in case a viewer repairing a damaged file finds objects
#: that the cross-reference table hides. Long names only: they never occur by chance.
PDF_ACTIVE_BYTES = re.compile(rb"/(JavaScript|Launch|EmbeddedFiles?|RichMedia)(?![0-9A-Za-z])")
PDF_MAX_OBJECTS = 500_000  # more nodes than any real paper has: refused as unreadable
#: Seconds the walk over a PDF's objects may take; a real paper of 20 MB takes well under one.
#: A file built to take a minute is refused, not waited for.
PDF_CHECK_SECONDS = 10.0
PDF_TOO_COMPLEX = _(
    "Tệp “%(name)s” có cấu trúc PDF quá phức tạp để kiểm tra; hãy in lại thành PDF thường "
    "(Print to PDF) hoặc quét lại."
)


class _TooComplex(Exception):
    pass


def pdf_refusal(file) -> Refusal | None:
    from pypdf import PdfReader

    if (what := _pdf_active_bytes(file)) is not None:
        return Refusal(PDF_ACTIVE, {"what": PDF_ACTIVE_NAMES[what]})
    if _markup_after(file, _last_pdf_end(file)):  # a web page after the PDF's end
        return Refusal(HIDDEN_MARKUP)
    file.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = PdfReader(file, strict=False)
            if reader.is_encrypted and not reader.decrypt(""):
                return Refusal(PDF_PASSWORD)
            if len(reader.pages) < 1:
                return Refusal(PDF_UNREADABLE)
            what = _pdf_active_objects(reader)
    except _TooComplex:
        return Refusal(PDF_TOO_COMPLEX)
    except Exception:  # a damaged file may fail anywhere in the parser: it is unreadable
        return Refusal(PDF_UNREADABLE)
    return Refusal(PDF_ACTIVE, {"what": what}) if what is not None else None


def _pdf_active_bytes(file) -> str | None:
    if (match := _search_in_parts(file, PDF_ACTIVE_BYTES)) is None:
        return None
    name = "/" + match.group(1).decode()
    return "/EmbeddedFile" if name.startswith("/EmbeddedFile") else name


def _pdf_active_objects(reader) -> str | None:
    """Walk every object of the document (from the trailer and from every cross-reference
    entry, object streams included, names decoded) and name the first active content."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    stack: list = [reader.trailer]
    for generation, numbers in list(reader.xref.items()):
        stack.extend(IndirectObject(n, generation, reader) for n in numbers)
    stack.extend(IndirectObject(n, 0, reader) for n in list(reader.xref_objStm))
    seen: set[tuple[int, int]] = set()
    visited = 0
    deadline = time.monotonic() + PDF_CHECK_SECONDS
    while stack:
        obj = stack.pop()
        if isinstance(obj, IndirectObject):
            if (obj.idnum, obj.generation) in seen:
                continue
            seen.add((obj.idnum, obj.generation))
            obj = obj.get_object()
        visited += 1
        if visited > PDF_MAX_OBJECTS:
            raise ValueError("too many objects")
        if visited % 256 == 0 and time.monotonic() > deadline:
            raise _TooComplex
        if isinstance(obj, DictionaryObject):  # streams too: their dictionary
            for key, value in dict.items(obj):
                if key in PDF_ACTIVE_KEYS:
                    return PDF_ACTIVE_KEYS[key]
                if key in ("/S", "/Type", "/Subtype") and value in PDF_ACTIVE_NAMES:
                    return PDF_ACTIVE_NAMES[value]
                if isinstance(value, DictionaryObject | ArrayObject | IndirectObject):
                    stack.append(value)
        elif isinstance(obj, ArrayObject):
            stack.extend(
                v for v in obj if isinstance(v, DictionaryObject | ArrayObject | IndirectObject)
            )
    return None


# --- images --------------------------------------------------------------------------------

IMAGE_INVALID = _(
    "Tệp “%(name)s” không phải ảnh %(kind)s hợp lệ (ảnh hỏng, hoặc có nội dung khác sau phần "
    "đầu ảnh); hãy chụp hoặc quét lại."
)
IMAGE_TOO_BIG = _(
    "Ảnh “%(name)s” quá lớn (%(mp)s triệu điểm ảnh, tối đa %(max)s); hãy quét với độ phân "
    "giải thấp hơn."
)
#: A PNG is decoded whole to be checked: its size in pixels bounds the memory that takes
#: (A4 at 600 dpi is 35 million). JPEGs are decoded at 1/8 scale, so any size Pillow opens.
PNG_MAX_PIXELS = 36_000_000


def jpeg_refusal(file) -> Refusal | None:
    return _image_refusal(file, "JPEG")


def png_refusal(file) -> Refusal | None:
    return _image_refusal(file, "PNG")


#: WeasyPrint sets Pillow's process-wide LOAD_TRUNCATED_IMAGES when imported; a check turns
#: it off while it decodes (one check at a time), or a truncated image would pass.
_strict_decoding = threading.Lock()


@contextmanager
def _truncated_images_refused():
    from PIL import ImageFile

    with _strict_decoding:
        saved, ImageFile.LOAD_TRUNCATED_IMAGES = ImageFile.LOAD_TRUNCATED_IMAGES, False
        try:
            yield
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = saved


def _image_refusal(file, kind: str) -> Refusal | None:
    """Open the image with Pillow and decode all of it: a header followed by anything else
    (SVG, HTML, a program), or a cut-off image, fails here."""
    from PIL import Image

    invalid = Refusal(IMAGE_INVALID, {"kind": kind})
    try:
        with _truncated_images_refused(), warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            file.seek(0)
            with Image.open(file, formats=[kind]) as image:
                width, height = image.size
                if kind == "PNG":
                    if width * height > PNG_MAX_PIXELS:
                        mp = f"{width * height / 1e6:.0f}"
                        return Refusal(IMAGE_TOO_BIG, {"mp": mp, "max": PNG_MAX_PIXELS // 10**6})
                    image.verify()  # every chunk and its checksum, up to IEND
                else:
                    image.draft(image.mode, (max(1, width // 8), max(1, height // 8)))
                    image.load()  # the whole JPEG stream, decoded at 1/8 scale
            if kind == "PNG":
                file.seek(0)
                with Image.open(file, formats=[kind]) as image:
                    image.load()  # and every pixel (verify() leaves the image unusable)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        return Refusal(IMAGE_TOO_BIG, {"mp": "?", "max": PNG_MAX_PIXELS // 10**6})
    except Exception:  # Pillow raises many kinds of error for a damaged image
        return invalid
    if _markup_after(file):  # after the image's end, or in a comment or text chunk
        return Refusal(HIDDEN_MARKUP)
    return None


# --- Office (DOCX, XLSX) -------------------------------------------------------------------

OFFICE_DAMAGED = _("Tệp “%(name)s” bị hỏng (không giải nén được).")
OFFICE_MACRO = _(
    "Tệp “%(name)s” có macro (%(what)s) nên không được nhận; hãy lưu lại thành .docx/.xlsx "
    "thường hoặc in thành PDF."
)
OFFICE_EMBEDDED = _(
    "Tệp “%(name)s” có đối tượng hoặc chương trình nhúng bên trong (%(what)s) nên không được "
    "nhận; hãy lưu lại không kèm đối tượng nhúng hoặc in thành PDF."
)
OFFICE_BOMB = _(
    "Tệp “%(name)s” khi giải nén lớn bất thường (%(mb)s MB, tối đa %(max)s MB, hoặc nén quá "
    "%(ratio)s lần) nên không được nhận."
)
OFFICE_MAX_UNCOMPRESSED = 256 * MIB
OFFICE_MAX_RATIO = 100  # overall, for contents past OFFICE_RATIO_FROM
OFFICE_RATIO_FROM = 16 * MIB
OFFICE_MAX_MEMBERS = 10_000
PROGRAM_EXTENSIONS = {
    "exe", "dll", "com", "scr", "pif", "cpl", "msi", "msp", "msc", "bat", "cmd", "ps1", "psm1",
    "vbs", "vbe", "js", "jse", "wsf", "wsh", "hta", "jar", "lnk", "reg", "inf", "scf", "sh",
}  # fmt: skip
PROGRAM_MAGIC = {
    b"MZ": "Windows (.exe, .dll)",
    b"\x7fELF": "ELF",
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1": "OLE",  # vbaProject.bin, oleObject*.bin, old .doc
    b"\xca\xfe\xba\xbe": "Java/Mach-O",
    b"\xcf\xfa\xed\xfe": "Mach-O",
}
#: Relationship types (the end of their URI) that pull in objects, controls or templates.
REFUSED_RELATIONSHIPS = {
    "oleObject",
    "package",
    "control",
    "activeXControlBinary",
    "vbaProject",
    "attachedTemplate",  # "template injection": a remote .dotm with macros
    "subDocument",
    "aFChunk",  # imported HTML/RTF/MHT chunks
    "frame",
}


OFFICE_EXTERNAL = _(
    "Tệp “%(name)s” tự mở tệp hoặc địa chỉ bên ngoài khi được mở (%(what)s) nên không được "
    "nhận; hãy lưu lại không kèm liên kết đó hoặc in thành PDF."
)
OFFICE_FIELD = _(
    "Tệp “%(name)s” có trường hoặc công thức tự chạy lệnh, tự tải nội dung (%(what)s) nên không "
    "được nhận; hãy lưu lại thành văn bản thường hoặc in thành PDF."
)
#: Word field codes that run a program (DDE) or pull content in from elsewhere when the file
#: is opened or its fields updated.
ACTIVE_FIELDS = re.compile(
    r"^\s*(DDE|DDEAUTO|INCLUDEPICTURE|INCLUDETEXT|IMPORT|LINK|AUTOTEXTLIST)\b", re.IGNORECASE
)
#: An Excel DDE formula: ``=cmd|' /C calc'!A0`` (program|topic!item).
DDE_FORMULA = re.compile(r"[A-Za-z0-9_.$-]+\s*\|\s*'")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
X = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def office_refusal(file) -> Refusal | None:
    try:
        file.seek(0)
        with zipfile.ZipFile(file) as archive:
            return _office_refusal(archive)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        return Refusal(OFFICE_DAMAGED)
    except ElementTree.ParseError:
        return Refusal(OFFICE_DAMAGED)


def _office_refusal(archive: zipfile.ZipFile) -> Refusal | None:
    members = archive.infolist()
    declared = sum(m.file_size for m in members)
    compressed = max(1, sum(m.compress_size for m in members))
    bomb = {
        "mb": f"{declared / MIB:.0f}",
        "max": OFFICE_MAX_UNCOMPRESSED // MIB,
        "ratio": OFFICE_MAX_RATIO,
    }
    if (
        len(members) > OFFICE_MAX_MEMBERS
        or declared > OFFICE_MAX_UNCOMPRESSED
        or (declared > OFFICE_RATIO_FROM and declared / compressed > OFFICE_MAX_RATIO)
    ):
        return Refusal(OFFICE_BOMB, bomb)
    for member in members:
        if (refusal := _member_refusal(archive, member)) is not None:
            return refusal
    return None


def _member_refusal(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> Refusal | None:
    name = member.filename
    lower = name.lower()
    base = lower.rsplit("/", 1)[-1]
    if base.startswith("vbaproject") or base == "vbadata.xml":
        return Refusal(OFFICE_MACRO, {"what": name})
    if "/embeddings/" in f"/{lower}" or "/activex/" in f"/{lower}" or base.startswith("oleobject"):
        return Refusal(OFFICE_EMBEDDED, {"what": name})
    if base.rsplit(".", 1)[-1] in PROGRAM_EXTENSIONS and "." in base:
        return Refusal(OFFICE_EMBEDDED, {"what": name})
    # Read every part to its end: zipfile checks its CRC and that it is no longer than declared.
    with archive.open(member) as part:
        head = part.read(8)
        xml = head + part.read(4 * MIB) if _is_xml_we_read(lower) else b""
        while part.read(MIB):
            pass
    for magic, what in PROGRAM_MAGIC.items():
        if head.startswith(magic):
            return Refusal(OFFICE_EMBEDDED, {"what": f"{name}: {what}"})
    if lower == "[content_types].xml":
        for element in ElementTree.fromstring(xml).iter():
            content_type = element.get("ContentType", "")
            if "macroenabled" in content_type.lower() or "vbaproject" in content_type.lower():
                return Refusal(OFFICE_MACRO, {"what": content_type})
    elif lower.endswith(".rels"):
        for element in ElementTree.fromstring(xml).iter():
            kind = element.get("Type", "").rsplit("/", 1)[-1]
            if kind in REFUSED_RELATIONSHIPS:
                return Refusal(OFFICE_EMBEDDED, {"what": f"{name}: {kind}"})
            if element.get("TargetMode", "").lower() == "external" and not (
                kind == "hyperlink" and _is_web_address(element.get("Target", ""))
            ):  # an image or object fetched from a share or a server as the file opens
                target = element.get("Target", "")[:80]
                return Refusal(OFFICE_EXTERNAL, {"what": f"{kind}: {target}"})
    elif lower.startswith("xl/externallinks/"):
        return Refusal(OFFICE_EXTERNAL, {"what": name})
    elif _has_fields(lower):
        with archive.open(member) as part:
            if (what := _active_field(part, lower)) is not None:
                return Refusal(OFFICE_FIELD, {"what": what})
    return None


def _is_xml_we_read(lower_name: str) -> bool:
    return lower_name == "[content_types].xml" or lower_name.endswith(".rels")


def _is_web_address(target: str) -> bool:
    return target.lower().startswith(("http://", "https://", "mailto:"))


def _has_fields(lower_name: str) -> bool:
    """The parts where Word keeps field codes and Excel its formulas."""
    return lower_name.endswith(".xml") and (
        lower_name.startswith("word/") or lower_name.startswith("xl/worksheets/")
    )


def _active_field(part, lower_name: str) -> str | None:
    """The first active field code (Word: each field's instruction put together from its
    pieces, which may be split over many runs) or DDE formula (Excel) in a part, read as a
    stream."""
    instruction: list[str] = []
    for _event, element in ElementTree.iterparse(part, events=("end",)):
        tag = element.tag
        if tag == f"{W}fldSimple":
            instruction_text = element.get(f"{W}instr", "")
            if ACTIVE_FIELDS.search(instruction_text):
                return instruction_text.strip()[:80]
        elif tag == f"{W}instrText":
            instruction.append(element.text or "")
        elif tag == f"{W}fldChar" and element.get(f"{W}fldCharType") in ("separate", "end"):
            text = "".join(instruction)
            if ACTIVE_FIELDS.search(text):
                return text.strip()[:80]
            instruction = []
        elif tag == f"{X}f" and DDE_FORMULA.search(element.text or ""):
            return (element.text or "").strip()[:80]
        if tag in (f"{W}p", f"{X}row"):
            element.clear()  # keep memory flat on a long document
    text = "".join(instruction)
    return text.strip()[:80] if ACTIVE_FIELDS.search(text) else None
