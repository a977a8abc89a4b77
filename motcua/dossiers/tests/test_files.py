"""Files are judged by their content (hardening issue, item 3): named by what they are,
refused when they carry active content, served only as downloads."""

import dataclasses
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from motcua.dossiers.files import IncomingFile, download_name
from motcua.dossiers.models import Attachment, Dossier
from motcua.dossiers.tests.factories import JPEG, PDF, PNG, image_bytes, pdf_bytes, receive
from motcua.dossiers.tests.test_receipt import stored_files
from motcua.dossiers.tests.test_views import receive_post

DOCX_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="{main}"/>{extra}</Types>'
)
DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    "{}</Relationships>"
)
OFFICE_DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"


def docx_bytes(*, main=DOCX_MAIN, types_extra="", parts=None, rels="") -> bytes:
    """A small, real DOCX; ``parts`` adds or replaces parts, ``rels`` adds relationships of
    the document."""
    contents = {
        "[Content_Types].xml": DOCX_TYPES.format(main=main, extra=types_extra),
        "_rels/.rels": RELS.format(
            f'<Relationship Id="rId1" Type="{OFFICE_DOC}" Target="word/document.xml"/>'
        ),
        "word/document.xml": '<w:document xmlns:w="http://schemas.openxmlformats.org/'
        'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Đơn đề nghị</w:t></w:r></w:p>'
        "</w:body></w:document>",
        "word/_rels/document.xml.rels": RELS.format(rels),
        **(parts or {}),
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in contents.items():
            archive.writestr(name, data)
    return out.getvalue()


def refusal(name: str, content: bytes) -> str | None:
    found = IncomingFile(name, content).refusal
    return found.render(name) if found else None


# --- stored and served under the type of their content ---------------------------------


@pytest.mark.parametrize(
    ("original", "served"),
    [
        ("to-khai.bat", "to-khai.pdf"),
        ("to-khai.hta", "to-khai.pdf"),
        ("ho-so.pdf.html", "ho-so.pdf"),
        ("to-khai.pdf", "to-khai.pdf"),
        ("Giấy 01.02.2020", "Giấy 01.02.2020.pdf"),
        ("..\\..\\windows\\run.exe", "run.pdf"),
        ("dong\r\nSet-Cookie: x.pdf", "dongSet-Cookie: x.pdf"),
    ],
)
def test_download_name_takes_the_extension_of_the_content(original, served):
    assert download_name(original, "application/pdf") == served


def test_download_name_keeps_an_extension_that_already_names_the_type():
    assert download_name("anh chup.jpeg", "image/jpeg") == "anh chup.jpeg"
    assert download_name("anh.png", "image/jpeg") == "anh.jpg"


@pytest.mark.parametrize("original", ["to-khai.bat", "to-khai.hta", "to-khai.pdf.html"])
def test_pdf_under_another_name_is_stored_and_served_as_pdf(
    client, desk_officer, version, commune, original
):
    client.force_login(desk_officer)
    receive_post(client, version, files=[SimpleUploadedFile(original, PDF)])
    item = Attachment.objects.get()
    assert item.original_name == original  # kept for display
    assert item.file.name.endswith(".pdf") and "to-khai" not in item.file.name
    url = reverse("dossiers:attachment", args=[item.dossier.code, item.pk])
    response = client.get(url)
    assert response["Content-Disposition"] == 'attachment; filename="to-khai.pdf"'
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF


def test_a_row_of_a_type_we_do_not_serve_is_served_as_a_plain_download(
    client, desk_officer, version, desk
):
    dossier = receive(desk, version, actor=desk_officer, files=[("trang.html", PDF)])
    item = dossier.attachments.get()
    Attachment.objects.filter(pk=item.pk).update(content_type="text/html")  # an old or forged row
    client.force_login(desk_officer)
    response = client.get(reverse("dossiers:attachment", args=[dossier.code, item.pk]))
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"] == 'attachment; filename="trang.html"'
    assert response["X-Content-Type-Options"] == "nosniff"


def test_the_dossier_page_names_a_file_as_it_is_served_and_says_how_it_came(
    client, desk_officer, version, desk
):
    dossier = receive(desk, version, actor=desk_officer,
                      files=[("to-khai.bat", PDF), ("giay.pdf", PDF)])  # fmt: skip
    client.force_login(desk_officer)
    page = client.get(reverse("dossiers:detail", args=[dossier.code])).content.decode()
    bat, pdf = dossier.attachments.all()
    assert f'{bat.pk}/">to-khai.pdf</a>' in page and "gửi lên với tên “to-khai.bat”" in page
    assert f'{pdf.pk}/">giay.pdf</a>' in page and "“giay.pdf”" not in page  # same name: no note
    download = client.get(reverse("dossiers:attachment", args=[dossier.code, bat.pk]))
    assert download["Content-Disposition"] == 'attachment; filename="to-khai.pdf"'


def test_every_kind_is_stored_with_its_own_extension(version, desk):
    xlsx = docx_bytes(parts={"xl/workbook.xml": "<workbook/>"})
    files = [("a", PDF), ("b", JPEG), ("c", PNG), ("d", docx_bytes())]
    dossier = receive(desk, version, files=files)
    assert [a.file.name.rsplit(".", 1)[1] for a in dossier.attachments.all()] == [
        "pdf",
        "jpg",
        "png",
        "docx",
    ]
    assert refusal("bang.xls", xlsx) is None


# --- PDF ------------------------------------------------------------------------------------

JS_ACTION = "<< /S /JavaScript /JS (app.alert\\(1\\)) >>"


@pytest.mark.parametrize(
    ("catalog", "objects", "what"),
    [
        ("/OpenAction 5 0 R", (JS_ACTION,), "JavaScript"),
        ("/Names << /JavaScript 5 0 R >>", ("<< /Names [(a) 6 0 R] >>", JS_ACTION), "JavaScript"),
        # A hex-escaped name hides it from a byte search, not from the parser.
        ("/OpenAction << /S /J#61vaScript /J#53 (x) >>", (), "JavaScript"),
        ("/OpenAction << /S /Launch /F (cmd.exe) >>", (), "mở chương trình"),
        ("/AA << /O << /S /GoToR /F (\\\\\\\\evil\\\\share\\\\x.pdf) >> >>", (), "mở chương"),
        (
            "/Names << /EmbeddedFiles << /Names [(x.exe) 5 0 R] >> >>",
            ("<< /Type /Filespec /F (x.exe) /EF << /F 6 0 R >> >>", "<< /Length 0 >>"),
            "tệp nhúng",
        ),
        ("/AcroForm << /Fields [] /XFA 5 0 R >>", ("<< /Length 0 >>",), "XFA"),
        ("/OpenAction << /S /SubmitForm /F (http://x.example) >>", (), "gửi hoặc nhập"),
    ],
)
def test_pdf_with_active_content_is_refused(catalog, objects, what):
    message = refusal("to-khai.pdf", pdf_bytes(catalog=catalog, objects=objects))
    assert message is not None and "“to-khai.pdf”" in message and what in message


def test_pdf_object_left_out_of_the_cross_reference_table_is_still_found():
    """A viewer repairing the file would find it; the parser, trusting the table, does not."""
    pdf = pdf_bytes()
    extra = b"9 0 obj\n" + JS_ACTION.encode() + b"\nendobj\n"
    at = pdf.index(b"\nxref\n") + 1
    hidden = (
        pdf[:at]
        + extra
        + pdf[at:].replace(b"startxref\n%d" % at, b"startxref\n%d" % (at + len(extra)))
    )
    assert b"startxref\n%d" % (at + len(extra)) in hidden  # the table itself is intact
    assert "JavaScript" in refusal("an.pdf", hidden)


def test_pdf_with_links_and_a_goto_opening_is_accepted():
    catalog = "/OpenAction [3 0 R /Fit] /URI << /Base (https://dichvucong.gov.vn/) >>"
    assert refusal("a.pdf", pdf_bytes(catalog=catalog)) is None


def test_pdf_that_cannot_be_parsed_is_refused(version, desk):
    no_page = pdf_bytes().replace(b"/Kids [3 0 R] /Count 1", b"/Kids [] /Count 0     ")
    for broken in (PDF[:120], b"%PDF-1.7\n" + b"\x00" * 500, pdf_bytes()[:-40], no_page):
        with pytest.raises(ValidationError) as exc:
            receive(desk, version, files=[("hong.pdf", broken)])
        assert "không đọc được như một tệp PDF" in exc.value.message_dict["files.0"][0]
    assert not Dossier.objects.exists() and stored_files() == []


def test_pdf_with_a_password_is_refused_and_with_only_an_owner_password_accepted():
    from pypdf import PdfReader, PdfWriter

    def encrypted(user_password: str) -> bytes:
        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(PDF)))
        writer.encrypt(
            user_password=user_password, owner_password="chu-so-huu", algorithm="AES-256"
        )
        out = io.BytesIO()
        writer.write(out)
        return out.getvalue()

    assert "mật khẩu" in refusal("khoa.pdf", encrypted("bi-mat"))
    assert refusal("han-che-in.pdf", encrypted("")) is None


# --- images ---------------------------------------------------------------------------------


def test_jpeg_header_followed_by_svg_is_refused(version, desk):
    polyglot = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b'<svg onload="alert(1)"/>' * 20
    with pytest.raises(ValidationError) as exc:
        receive(desk, version, files=[("anh.jpg", polyglot)])
    assert "“anh.jpg” không phải ảnh JPEG hợp lệ" in exc.value.message_dict["files.0"][0]
    assert not Dossier.objects.exists() and stored_files() == []


def test_truncated_or_corrupted_images_are_refused():
    import weasyprint  # noqa: F401 (it makes Pillow accept truncated images, process-wide)

    big_jpeg = image_bytes("JPEG", (400, 300))
    assert "JPEG hợp lệ" in refusal("a.jpg", big_jpeg[: len(big_jpeg) // 2])
    assert "PNG hợp lệ" in refusal("a.png", PNG[:-20])
    flipped = bytearray(PNG)
    flipped[40] ^= 0xFF  # a byte inside the image data: its checksum no longer matches
    assert "PNG hợp lệ" in refusal("a.png", bytes(flipped))
    assert refusal("a.jpg", big_jpeg) is None


def test_png_too_large_to_decode_is_refused(settings, monkeypatch):
    from motcua.dossiers import filechecks

    monkeypatch.setattr(filechecks, "PNG_MAX_PIXELS", 1000)
    assert "quá lớn" in refusal("to.png", image_bytes("PNG", (40, 30)))


# --- Office files ---------------------------------------------------------------------------


def test_docx_with_a_program_inside_is_refused(version, desk):
    docx = docx_bytes(parts={"word/media/setup.exe": b"MZ\x90\x00" + b"\x00" * 100})
    with pytest.raises(ValidationError) as exc:
        receive(desk, version, files=[("don.docx", docx)])
    message = exc.value.message_dict["files.0"][0]
    assert "“don.docx”" in message and "setup.exe" in message and "nhúng" in message
    assert not Dossier.objects.exists() and stored_files() == []


@pytest.mark.parametrize(
    ("docx", "what"),
    [
        (docx_bytes(parts={"word/media/image1.png": b"MZ\x90\x00rest"}), "Windows"),
        (docx_bytes(parts={"word/media/x.vbs": b"MsgBox 1"}), "x.vbs"),
        (docx_bytes(parts={"word/embeddings/oleObject1.bin": b"\xd0\xcf\x11\xe0"}), "oleObject"),
        (docx_bytes(parts={"word/activeX/activeX1.xml": "<ax/>"}), "activeX"),
        (docx_bytes(parts={"word/vbaProject.bin": b"\xd0\xcf\x11\xe0"}), "vbaProject"),
        (
            docx_bytes(main=DOCX_MAIN.replace("document.main", "document.macroEnabled.main")),
            "macro",
        ),
        (
            docx_bytes(
                rels='<Relationship Id="r9" Type="http://schemas.openxmlformats.org/officeDocument/'
                '2006/relationships/attachedTemplate" Target="http://x.example/t.dotm" '
                'TargetMode="External"/>'
            ),
            "attachedTemplate",
        ),
    ],
)
def test_docx_with_macros_or_embedded_objects_is_refused(docx, what):
    message = refusal("don.docx", docx)
    assert message is not None and what in message


def test_zip_bomb_is_refused_before_it_is_unpacked(monkeypatch):
    from motcua.dossiers import filechecks

    monkeypatch.setattr(filechecks, "OFFICE_MAX_UNCOMPRESSED", 8 * 2**20)
    monkeypatch.setattr(filechecks, "OFFICE_RATIO_FROM", 2**20)
    bomb = docx_bytes(parts={"word/media/a.xml": b"\x00" * (9 * 2**20)})
    assert len(bomb) < 2**20
    assert "giải nén lớn bất thường" in refusal("bom.docx", bomb)
    dense = docx_bytes(parts={"word/media/a.xml": b"\x00" * (2 * 2**20)})  # 2 MB from 2 kB
    assert "giải nén lớn bất thường" in refusal("nen.docx", dense)
    plain = b"<r>" + b"<a/>" * 1000 + b"</r>"  # well-formed, as Word writes its parts
    assert refusal("thuong.docx", docx_bytes(parts={"word/a.xml": plain})) is None


def test_docx_part_longer_than_declared_is_refused():
    import random

    noise = random.Random(1).randbytes(2**20)  # does not compress: read in many pieces
    docx = bytearray(docx_bytes(parts={"word/media/z.bin": noise}))
    at = docx.rfind(b"word/media/z.bin")  # its central directory entry: declare half its size
    docx[at - 22 : at - 18] = (2**19).to_bytes(4, "little")
    assert "bị hỏng" in refusal("z.docx", bytes(docx))


def test_plain_docx_with_an_image_and_a_hyperlink_is_accepted():
    rels = (
        '<Relationship Id="r2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/hyperlink" Target="https://dichvucong.gov.vn" TargetMode="External"/>'
    )
    docx = docx_bytes(parts={"word/media/image1.png": PNG}, rels=rels)
    assert refusal("don.docx", docx) is None


W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"


def word_body(inner: str) -> str:
    return f"<w:document {W_NS}><w:body><w:p>{inner}</w:p></w:body></w:document>"


def field(*pieces: str) -> str:
    """A complex field whose instruction is split over runs, as Word may write it."""
    runs = "".join(f"<w:r><w:instrText>{p}</w:instrText></w:r>" for p in pieces)
    return (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        + runs
        + '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>x</w:t></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )


@pytest.mark.parametrize(
    "body",
    [
        field('DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe "/k calc"'),
        field("DD", 'EAUTO c:\\\\windows\\\\system32\\\\cmd.exe "/k calc"'),  # split over runs
        field(' INCLUDEPICTURE "\\\\\\\\attacker\\\\share\\\\x.png" \\\\d '),
        '<w:fldSimple w:instr=" DDE cmd.exe /c calc "><w:r><w:t>x</w:t></w:r></w:fldSimple>',
    ],
)
def test_docx_with_a_field_that_runs_or_fetches_is_refused(body):
    docx = docx_bytes(parts={"word/document.xml": word_body(body)})
    assert "trường hoặc công thức tự chạy lệnh" in refusal("don.docx", docx)


def test_docx_with_ordinary_fields_is_accepted():
    body = field(" PAGE ") + field(' DATE \\@ "dd/MM/yyyy" ') + "<w:r><w:t>DDE là chữ</w:t></w:r>"
    assert refusal("don.docx", docx_bytes(parts={"word/document.xml": word_body(body)})) is None


def test_docx_fetching_an_image_from_a_share_or_a_server_is_refused():
    for target in ["file://attacker.example/share/x.png", "\\\\attacker\\share\\x.png",
                   "http://attacker.example/pixel.png"]:  # fmt: skip
        rels = f'<Relationship Id="r9" Type="{REL}image" Target="{target}" TargetMode="External"/>'
        assert "tự mở tệp hoặc địa chỉ bên ngoài" in refusal("don.docx", docx_bytes(rels=rels))
    link = f'<Relationship Id="r9" Type="{REL}hyperlink" Target="file:///c:/x.exe" '
    link += 'TargetMode="External"/>'
    assert "tự mở tệp hoặc địa chỉ bên ngoài" in refusal("don.docx", docx_bytes(rels=link))


def xlsx_bytes(formula: str, extra: dict | None = None) -> bytes:
    sheet_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
    contents = {
        "[Content_Types].xml": DOCX_TYPES.format(
            main="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
            extra=f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{sheet_type}"/>',
        ).replace("/word/document.xml", "/xl/workbook.xml"),
        "xl/workbook.xml": "<workbook/>",
        "xl/worksheets/sheet1.xml": (
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            f'<sheetData><row r="1"><c r="A1"><f>{formula}</f></c></row></sheetData></worksheet>'
        ),
        **(extra or {}),
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in contents.items():
            archive.writestr(name, data)
    return out.getvalue()


def test_xlsx_with_a_dde_formula_or_an_external_link_is_refused():
    assert "tự chạy lệnh" in refusal("bang.xlsx", xlsx_bytes("cmd|' /C calc'!A0"))
    assert refusal("bang.xlsx", xlsx_bytes("SUM(A2:A9)")) is None
    linked = xlsx_bytes("SUM(A2:A9)", {"xl/externalLinks/externalLink1.xml": "<externalLink/>"})
    assert "bên ngoài" in refusal("bang.xlsx", linked)


@pytest.mark.parametrize(
    "content",
    [
        JPEG + b"<svg onload=alert(1)>",
        PNG + b"<html><script>alert(1)</script>",
        PDF + b"\n<html><script>alert(1)</script></html>",
    ],
)
def test_a_whole_file_followed_by_a_web_page_is_refused(content):
    assert "mã trang web" in refusal("anh", content)


def test_a_pdf_too_slow_to_check_is_refused(monkeypatch):
    from motcua.dossiers import filechecks

    monkeypatch.setattr(filechecks, "PDF_CHECK_SECONDS", -1.0)
    many = pdf_bytes(objects=tuple(f"<< /N {i} >>" for i in range(600)))
    assert "quá phức tạp để kiểm tra" in refusal("to-khai.pdf", many)
    monkeypatch.setattr(filechecks, "PDF_CHECK_SECONDS", 10.0)
    assert refusal("to-khai.pdf", many) is None


@pytest.mark.django_db(transaction=True)
def test_an_actions_files_are_checked_before_the_dossier_is_locked(
    monkeypatch, version, desk, desk_officer, specialist
):
    """A check of seconds must not hold the dossier's row (nor, on SQLite, the database)."""
    from django.db import connection

    from motcua.dossiers import files
    from motcua.dossiers.tests.factories import act

    dossier = act(receive(desk, version), "forward", desk_officer)
    seen = []
    kind = files.KINDS["application/pdf"]

    def spy(file):
        seen.append(connection.in_atomic_block)
        return kind.check(file)

    monkeypatch.setitem(files.KINDS, "application/pdf", dataclasses.replace(kind, check=spy))
    act(dossier, "comment", specialist, note="Ý kiến", files=[IncomingFile("a.pdf", PDF)])
    assert seen == [False]
