"""What the applicant is told, and when (SPEC §6, §7): the dossiers' own messages, handed to
the generic outbox (``notifications``). Which action sends which message is the transition
table's ``ActionSpec.message``; this module gives each message's data, and registers each
kind with its placeholders and default texts. The words themselves are the administrator's
templates (``notifications.texts``), which start from these defaults
(``manage.py load_message_templates``).

Required (sent even to a person who stopped that channel, and without an opt-out link): the
messages that tell the applicant something they must know or do — the receipt and its
appointment (form 01), a request to complete the dossier (form 02) or to pay (both stop the
clock until the applicant acts), and the apology with a new appointment (form 04, which
SPEC §6 says the applicant is told by SMS / e-mail). The others — an online submission's
acknowledgement, the result being ready (the appointment is already known), the result
returned (with the link to rate it) and the officers' daily digest — may be stopped.
"""

from __future__ import annotations

from motcua.dossiers.models import Dossier
from motcua.notifications.kinds import MessageKind, kind_register
from motcua.notifications.models import Notification
from motcua.notifications.services import Contact, outbox_put, outbox_rows
from motcua.workcalendar.calendar import VN_TZ

# The default SMS texts (without diacritics: they are stripped from any SMS anyway).
TEXTS = {
    "submitted": "Ho so {procedure} da duoc gui, dang cho tiep nhan. Theo doi: {url}",
    "completion_requested": "Ho so {procedure} nop truc tuyen can bo sung: {missing}. "
    "Xem va bo sung: {url}",
    "received": "Ho so {code} ({procedure}) da duoc tiep nhan. Hen tra: {due}. Tra cuu: {url}",
    "supplement_requested": "Ho so {code} can bo sung giay to. Vui long xem phieu yeu cau "
    "hoac tra cuu: {url}",
    "payment_requested": "Ho so {code}: vui long thuc hien nghia vu tai chinh. Tra cuu: {url}",
    "extended": "Ho so {code} se tra cham. Xin loi ong/ba. Hen tra moi: {due}.",
    "result_ready": "Ho so {code} da co ket qua. Moi ong/ba den nhan theo hinh thuc da dang ky.",
    "returned": "Ho so {code} da tra ket qua. Moi ong/ba danh gia muc do hai long: {rating_url}",
    "result_online": "Ho so {code} da tra ket qua dien tu. Tai ve: {download}",
}
STOP_SMS = " Ngung nhan SMS: {opt_out_url}"
STOP_EMAIL = (
    "\n\n--\nĐây là thư tự động, xin đừng trả lời.\n"
    "Ngừng nhận mọi thư không bắt buộc qua địa chỉ này: {opt_out_url}\n"
)
SIGNATURE = "\n\n--\nĐây là thư tự động của Bộ phận một cửa, xin đừng trả lời.\n"

FIELDS = {
    "name": "Họ tên chủ hồ sơ",
    "code": "Mã hồ sơ (trống khi chưa tiếp nhận)",
    "procedure": "Tên thủ tục",
    "agency": "Cơ quan giải quyết",
    "due": "Ngày giờ hẹn trả (giờ:phút ngày/tháng/năm)",
    "url": "Đường dẫn tra cứu hồ sơ",
}
NOTE = {"note": "Nội dung cán bộ ghi khi thao tác (giấy tờ cần bổ sung, khoản phải nộp, lý do)"}
MISSING = {"missing": "Các giấy tờ cần bổ sung, đánh số (phiếu mẫu 02)"}
RESULT = {
    "download": "Đường dẫn có ký số để tải kết quả điện tử (hết hạn sau một thời gian)",
    "sha256": "Mã SHA-256 của tệp kết quả, để đối chiếu bản sao với bản gốc",
}
SAMPLE = {
    "name": "Nguyễn Văn An",
    "code": "000.00.31.H12-261123-0001",
    "procedure": "Đăng ký khai sinh kết hợp đăng ký thường trú, cấp thẻ bảo hiểm y tế cho trẻ",
    "agency": "UBND xã Khe Sanh",
    "due": "10:00 26/11/2026",
    "url": "https://dichvucong.example.gov.vn/tra-cuu/?t=u.0f1e2d3c4b5a69788796a5b4c3d2e1f0%3A"
    "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_AbCdE",
    "note": "Bản sao giấy chứng nhận kết hôn của cha mẹ (có chứng thực).",
    "rating_url": "https://dichvucong.example.gov.vn/danh-gia/1234567:1vX2yZ:"
    "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_AbCdE/",
    "missing": "1. Bản sao giấy chứng nhận kết hôn của cha mẹ (có chứng thực)",
    "download": "https://dichvucong.example.gov.vn/ket-qua/0f1e2d3c4b5a69788796a5b4c3d2e1f0."
    "1795405200:AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_AbCdE/",
    "sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
}
#: The rating link of the "result returned" message (``follow.links``).
RATING = {"rating_url": "Đường dẫn đánh giá mức độ hài lòng"}


def _kind(
    name, label, *, subject, email, required=False, note=False, missing=False, result=False,
    sms=None, extra=None,
) -> MessageKind:  # fmt: skip
    fields = {
        **FIELDS, **(NOTE if note else {}), **(MISSING if missing else {}),
        **(RESULT if result else {}), **(extra or {}),
    }  # fmt: skip
    sms = sms or TEXTS[name]
    return kind_register(
        MessageKind(
            name=name,
            label=label,
            fields=fields,
            sample={k: v for k, v in SAMPLE.items() if k in fields},
            sms=sms if required else sms + STOP_SMS,
            email_subject=subject,
            email_body=email + (SIGNATURE if required else STOP_EMAIL),
            required=required,
            shorten=("procedure", "missing", "note", "name"),
        )
    )


_kind(
    "submitted",
    "Đã nhận hồ sơ nộp trực tuyến",
    subject="Hồ sơ {procedure} đã được gửi",
    email="Kính gửi ông/bà {name},\n\nHồ sơ {procedure} của ông/bà đã được gửi đến {agency} "
    "và đang chờ tiếp nhận. Ông/bà theo dõi tình trạng hồ sơ tại:\n{url}",
)
_kind(
    "completion_requested",
    "Yêu cầu bổ sung hồ sơ nộp trực tuyến",
    required=True,
    note=True,
    missing=True,
    subject="Hồ sơ {procedure}: cần bổ sung trước khi tiếp nhận",
    email="Kính gửi ông/bà {name},\n\nHồ sơ {procedure} ông/bà nộp trực tuyến tới {agency} "
    "chưa đầy đủ. Đề nghị ông/bà bổ sung:\n{missing}\n\nLý do: {note}\n\nHồ sơ chưa được "
    "tiếp nhận: thời hạn giải quyết tính từ khi hồ sơ đầy đủ được tiếp nhận. Ông/bà đăng nhập "
    "tài khoản để nộp bổ sung; xem yêu cầu tại:\n{url}",
)
_kind(
    "received",
    "Tiếp nhận hồ sơ, hẹn trả kết quả",
    required=True,
    subject="Hồ sơ {code}: đã tiếp nhận, hẹn trả {due}",
    email="Kính gửi ông/bà {name},\n\nHồ sơ {procedure} của ông/bà đã được tiếp nhận.\n"
    "Mã hồ sơ: {code}\nCơ quan giải quyết: {agency}\nHẹn trả kết quả: {due}\n\n"
    "Tra cứu tình trạng hồ sơ: {url}",
)
_kind(
    "supplement_requested",
    "Yêu cầu bổ sung hồ sơ",
    required=True,
    note=True,
    missing=True,
    subject="Hồ sơ {code}: cần bổ sung giấy tờ",
    email="Kính gửi ông/bà {name},\n\nHồ sơ {code} ({procedure}) cần bổ sung, hoàn thiện:\n"
    "{missing}\n\nLý do: {note}\n\nThời gian chờ bổ sung không tính vào thời hạn giải quyết. "
    "Xem phiếu yêu cầu và tình trạng hồ sơ tại:\n{url}",
)
_kind(
    "payment_requested",
    "Yêu cầu thực hiện nghĩa vụ tài chính",
    required=True,
    note=True,
    subject="Hồ sơ {code}: đề nghị thực hiện nghĩa vụ tài chính",
    email="Kính gửi ông/bà {name},\n\nĐể tiếp tục giải quyết hồ sơ {code} ({procedure}), "
    "đề nghị ông/bà thực hiện nghĩa vụ tài chính:\n{note}\n\nTra cứu hồ sơ: {url}",
)
_kind(
    "extended",
    "Xin lỗi và gia hạn thời gian giải quyết",
    required=True,
    note=True,
    subject="Hồ sơ {code}: xin lỗi, hẹn trả mới {due}",
    email="Kính gửi ông/bà {name},\n\n{agency} xin lỗi ông/bà: hồ sơ {code} ({procedure}) "
    "không giải quyết kịp hẹn.\nLý do: {note}\nHẹn trả kết quả mới: {due}\n\n"
    "Tra cứu hồ sơ: {url}",
)
_kind(
    "result_ready",
    "Đã có kết quả",
    subject="Hồ sơ {code}: đã có kết quả",
    email="Kính gửi ông/bà {name},\n\nHồ sơ {code} ({procedure}) đã có kết quả. Mời ông/bà "
    "nhận kết quả theo hình thức đã đăng ký.\n\nTra cứu hồ sơ: {url}",
)
_kind(
    "returned",
    "Đã trả kết quả, mời đánh giá",
    extra=RATING,
    subject="Hồ sơ {code}: đã trả kết quả, mời ông/bà đánh giá",
    email="Kính gửi ông/bà {name},\n\nHồ sơ {code} ({procedure}) đã được trả kết quả. "
    "Xin ông/bà dành một phút đánh giá mức độ hài lòng (mỗi hồ sơ một lần, cán bộ không "
    "biết ai đánh giá):\n{rating_url}",
)
_kind(
    "result_online",
    "Trả kết quả điện tử",
    required=True,  # it is how the result is handed over
    result=True,
    subject="Hồ sơ {code}: kết quả điện tử",
    email="Kính gửi ông/bà {name},\n\nHồ sơ {code} ({procedure}) đã có kết quả, trả trực "
    "tuyến bằng bản điện tử. Ông/bà tải kết quả tại:\n{download}\n(hoặc đăng nhập tài khoản "
    "và mở hồ sơ). Mã SHA-256 của tệp kết quả:\n{sha256}\nMột bản sao có cùng mã này là đúng "
    "bản gốc.",
)


def about(dossier: Dossier) -> str:
    return f"dossier:{dossier.uid}"


def _links(dossier: Dossier, kind: str) -> dict:
    """The links a kind carries besides the look-up's: the result returned, the signed
    link to rate it (SPEC §8)."""
    from motcua.follow import links

    if kind == "returned":
        return {"rating_url": links.rating_url(dossier.pk)}
    return {}


def _message(dossier: Dossier, kind: str, note: str = "", missing=()) -> dict:
    from motcua.dossiers.selectors import lookup_url

    due = dossier.due_at.astimezone(VN_TZ).strftime("%H:%M %d/%m/%Y") if dossier.due_at else ""
    extra = _links(dossier, kind)
    return {
        "about": about(dossier),
        "kind": kind,
        "data": {
            "name": dossier.applicant_name,
            "code": dossier.code or "",
            "procedure": dossier.procedure_version.name,
            "agency": dossier.deciding_agency.name,
            "due": due,
            "url": lookup_url(dossier),
            "note": note,
            "missing": "\n".join(f"{i}. {item}" for i, item in enumerate(missing, 1)),
            **extra,
            **(_result_data(dossier) if kind == "result_online" else {}),
        },
        "contacts": [
            Contact("sms", dossier.applicant_phone),
            Contact("email", dossier.applicant_email),
        ],
    }


def _result_data(dossier: Dossier) -> dict:
    from motcua.dossiers.results import electronic_result, result_url

    result = electronic_result(dossier)
    return {"download": result_url(dossier), "sha256": result.sha256 if result else ""}


def message_rows(dossier: Dossier, kind: str) -> list[Notification]:
    """The unsaved messages of ``kind`` to the applicant's phone and e-mail. The code is
    written as the dossier has it (the receipt's statement puts the real code in place of a
    placeholder, in subject and body)."""
    return outbox_rows(**_message(dossier, kind))


def message_put(dossier: Dossier, kind: str, *, note: str = "", missing=()) -> list[Notification]:
    """Queue the messages of ``kind``; call inside the change's transaction. ``note``: what
    the officer wrote (what is missing, what to pay, why it is late); ``missing``: the
    numbered list of a request to complete."""
    return outbox_put(**_message(dossier, kind, note, missing))


# The officers' daily digest (``digest.py``), by e-mail only.
kind_register(
    MessageKind(
        name="digest",
        label="Thư tổng hợp hằng ngày cho cán bộ",
        fields={
            "name": "Họ tên cán bộ",
            "date": "Ngày (ngày/tháng/năm)",
            "due_soon_count": "Số hồ sơ sắp đến hạn",
            "overdue_count": "Số hồ sơ quá hạn",
            "due_soon_list": "Danh sách hồ sơ sắp đến hạn, mỗi hồ sơ một dòng",
            "overdue_list": "Danh sách hồ sơ quá hạn, mỗi hồ sơ một dòng",
            "url": "Đường dẫn hộp hồ sơ sắp đến hạn",
            "overdue_url": "Đường dẫn hộp hồ sơ quá hạn",
        },
        sample={
            "name": "Trần Thị Bình",
            "date": "23/11/2026",
            "due_soon_count": "2",
            "overdue_count": "1",
            "due_soon_list": "- 000.00.31.H12-261120-0003 · Đăng ký khai sinh · hạn 16:00 "
            "24/11/2026 · Nguyễn Văn An\n- 000.00.31.H12-261120-0007 · Đăng ký kết hôn · hạn "
            "09:30 25/11/2026 · Lê Thị Hoa",
            "overdue_list": "- 000.00.31.H12-261118-0002 · Cấp bản sao trích lục hộ tịch · hạn "
            "10:00 20/11/2026 · Phạm Văn Cường",
            "url": "https://dichvucong.example.gov.vn/can-bo/ho-so/?hop=due_soon",
            "overdue_url": "https://dichvucong.example.gov.vn/can-bo/ho-so/?hop=overdue",
        },
        sms="",
        email_subject="[{date}] {overdue_count} hồ sơ quá hạn, {due_soon_count} sắp đến hạn",
        email_body="Kính gửi {name},\n\nHồ sơ tại vị trí của anh/chị ngày {date}:\n\n"
        "Quá hạn ({overdue_count}):\n{overdue_list}\n{overdue_url}\n\n"
        "Sắp đến hạn ({due_soon_count}):\n{due_soon_list}\n{url}\n" + STOP_EMAIL,
        media=("email",),
    )
)
