"""The one message of citizens' accounts: a one-time code, registered with the generic outbox
(``notifications``). Required (sent even to a phone that stopped the optional messages, and
without an opt-out link): without it nobody can log in. Administrators may reword it
(*Mẫu tin nhắn*), but every template keeps ``{code}``."""

from __future__ import annotations

from django.conf import settings

from motcua.notifications.kinds import MessageKind, kind_register
from motcua.notifications.services import Contact, outbox_put

KIND = "citizen_code"

kind_register(
    MessageKind(
        name=KIND,
        label="Mã xác nhận đăng nhập của công dân",
        fields={
            "code": "Mã 6 chữ số",
            "purpose": "Mã dùng để làm gì (đăng nhập, đặt lại mật khẩu, xác nhận liên lạc)",
            "minutes": "Số phút mã còn hiệu lực",
            "site": "Tên hệ thống",
        },
        sample={
            "code": "480213",
            "purpose": "đăng nhập",
            "minutes": "5",
            "site": "Cổng dịch vụ công tỉnh Quảng Trị (bản trình diễn)",
        },
        sms="Ma {purpose} {site}: {code}, hieu luc {minutes} phut. Khong dua ma nay cho bat "
        "ky ai, ke ca can bo.",
        email_subject="Mã xác nhận {site}: {code}",
        email_body="Mã {purpose} của ông/bà: {code}\n\nMã có hiệu lực {minutes} phút và chỉ "
        "dùng được một lần. Không đưa mã này cho bất kỳ ai, kể cả cán bộ.\n\nNếu ông/bà không "
        "yêu cầu mã này, hãy bỏ qua thư.\n\n--\nĐây là thư tự động của {site}, xin đừng trả "
        "lời.\n",
        required=True,
        needs=("code",),
        shorten=("site",),
    )
)

#: purpose (``OneTimeCode.Purpose``) → what the code is for, in the message
PURPOSE_WORDS = {
    "sign_in": "đăng nhập",
    "reset": "đặt lại mật khẩu",
    "contact": "xác nhận liên lạc",
}


def code_message_put(*, uid, code: str, purpose: str, medium: str, recipient: str) -> None:
    """Queue the code for ``recipient``; call inside the transaction that stores it."""
    outbox_put(
        about=f"citizen:{uid.hex}",
        kind=KIND,
        data={
            "code": code,
            "purpose": PURPOSE_WORDS[purpose],
            "minutes": settings.CITIZEN_CODE_MINUTES,
            "site": settings.SITE_NAME,
        },
        contacts=[Contact(medium, recipient)],
    )
