"""Forms for the demo catalog, written by us: blank forms as DOCX (what citizens fill in on a
computer) and samples filled in as PDF, built here so the demo needs no file of its own.
Illustrative only: the real forms are those of the Ministries' circulars."""

import io
import zipfile
from functools import lru_cache
from xml.sax.saxutils import escape

#: procedure code, document name, form title, its lines, and the sample's values (or None)
FORMS = [
    (
        "1.009994",
        "Đơn đề nghị cấp giấy phép xây dựng (theo mẫu)",
        "ĐƠN ĐỀ NGHỊ CẤP GIẤY PHÉP XÂY DỰNG",
        [
            ("Kính gửi", "Ủy ban nhân dân xã Khe Sanh"),
            ("Tên chủ đầu tư (chủ hộ)", "Nguyễn Văn An"),
            ("Số định danh cá nhân", "045090001234"),
            ("Địa chỉ liên hệ", "Thôn Khe Sanh, xã Khe Sanh, tỉnh Quảng Trị"),
            ("Số điện thoại", "0912 345 678"),
            ("Địa điểm xây dựng", "Thửa đất số 112, tờ bản đồ số 7, xã Khe Sanh"),
            ("Loại công trình", "Nhà ở riêng lẻ"),
            ("Diện tích xây dựng tầng 1", "96 m²"),
            ("Tổng diện tích sàn", "192 m²"),
            ("Chiều cao công trình; số tầng", "8,4 m; 2 tầng"),
            ("Dự kiến thời gian hoàn thành", "6 tháng kể từ ngày được cấp phép"),
        ],
    ),
    (
        "1.001193",
        "Tờ khai đăng ký khai sinh (theo mẫu)",
        "TỜ KHAI ĐĂNG KÝ KHAI SINH",
        [
            ("Kính gửi", "Ủy ban nhân dân xã Khe Sanh"),
            ("Họ, chữ đệm, tên người yêu cầu", "Trần Thị Bình"),
            ("Quan hệ với người được khai sinh", "Mẹ"),
            ("Họ, chữ đệm, tên người được khai sinh", "Nguyễn Trần Minh Khang"),
            ("Ngày, tháng, năm sinh", "02/11/2026"),
            ("Giới tính", "Nam"),
            ("Nơi sinh", "Trung tâm Y tế huyện Hướng Hóa, tỉnh Quảng Trị"),
            ("Họ, chữ đệm, tên người mẹ", "Trần Thị Bình"),
            ("Họ, chữ đệm, tên người cha", "Nguyễn Văn An"),
        ],
    ),
    (
        "1.000894",
        "Tờ khai đăng ký kết hôn (theo mẫu)",
        "TỜ KHAI ĐĂNG KÝ KẾT HÔN",
        [
            ("Kính gửi", ""),
            ("Họ, chữ đệm, tên (bên nữ)", ""),
            ("Họ, chữ đệm, tên (bên nam)", ""),
            ("Ngày, tháng, năm sinh của mỗi bên", ""),
            ("Nơi cư trú của mỗi bên", ""),
        ],
    ),
]
#: Only these have a sample filled in.
SAMPLES = {"1.009994", "1.001193"}

_HEADER = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"
_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.document.main+xml"/></Types>'
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
)


def _paragraph(text: str, *, bold=False, centre=False) -> str:
    props = '<w:pPr><w:jc w:val="center"/></w:pPr>' if centre else ""
    run_props = "<w:rPr><w:b/></w:rPr>" if bold else ""
    return f'<w:p>{props}<w:r>{run_props}<w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p>'


def form_docx(title: str, lines: list[tuple[str, str]]) -> bytes:
    """A blank form: the national header, the title, and a dotted line for each item."""
    body = "".join(_paragraph(line, bold=True, centre=True) for line in _HEADER.split("\n"))
    body += _paragraph(title, bold=True, centre=True)
    body += "".join(_paragraph(f"{label}: " + "." * 60) for label, _value in lines)
    body += _paragraph("Tôi cam đoan những nội dung trên là đúng sự thật.")
    body += _paragraph("Người làm đơn (ký, ghi rõ họ tên)", centre=True)
    document = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        f"<w:body>{body}</w:body></w:document>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _TYPES)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("word/document.xml", document)
    return out.getvalue()


@lru_cache(maxsize=8)
def sample_pdf(title: str, lines: tuple[tuple[str, str], ...]) -> bytes:
    """The same form filled in, as a PDF (WeasyPrint, as the dossier forms)."""
    from weasyprint import HTML

    rows = "".join(
        f"<tr><th>{escape(label)}</th><td>{escape(value)}</td></tr>" for label, value in lines
    )
    html = (
        "<html lang='vi'><head><meta charset='utf-8'><style>"
        "body{font-family:'DejaVu Serif',serif;font-size:12pt} h1,p.h{text-align:center}"
        "h1{font-size:14pt} th{text-align:left;font-weight:normal;padding-right:1em}"
        "td{font-style:italic;color:#0b3d91} .mau{color:#a01818;text-align:right}"
        "</style></head><body>"
        "<p class='mau'>BẢN KHAI MẪU – THAM KHẢO</p>"
        f"<p class='h'><b>{escape(_HEADER).replace(chr(10), '<br>')}</b></p>"
        f"<h1>{escape(title)}</h1><table>{rows}</table>"
        "<p>Tôi cam đoan những nội dung trên là đúng sự thật.</p>"
        "<p class='h'>Người làm đơn<br><i>(đã ký)</i></p></body></html>"
    )
    return HTML(string=html).write_pdf()


def demo_forms() -> list[tuple[str, str, bytes, bytes | None]]:
    """(procedure code, document name, blank form, sample or None) for the demo catalog."""
    return [
        (
            code,
            document,
            form_docx(title, lines),
            sample_pdf(title, tuple(lines)) if code in SAMPLES else None,
        )
        for code, document, title, lines in FORMS
    ]
