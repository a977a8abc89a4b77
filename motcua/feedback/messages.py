"""What the person who sent feedback is told: that it was received (its code and the date by
which it will be answered) and the answer. Registered with the outbox (``notifications``);
the texts are the administrator's templates, starting from these defaults."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.urls import reverse

from motcua.dossiers.messages import SIGNATURE, STOP_EMAIL, STOP_SMS
from motcua.notifications.kinds import MessageKind, kind_register
from motcua.notifications.services import Contact, outbox_put
from motcua.workcalendar.calendar import VN_TZ

STATUS_SALT = "motcua.feedback.status"

FIELDS = {
    "name": "Họ tên người gửi phản ánh",
    "code": "Mã phản ánh",
    "agency": "Cơ quan trả lời",
    "due": "Hạn trả lời (giờ:phút ngày/tháng/năm)",
    "url": "Đường dẫn xem tình trạng và câu trả lời",
}
SAMPLE = {
    "name": "Nguyễn Văn An",
    "code": "PA-261123-K3Q9MZ",
    "agency": "UBND xã Khe Sanh",
    "due": "09:00 15/12/2026",
    "url": "https://dichvucong.example.gov.vn/phan-anh/xem/0f1e2d3c4b5a69788796a5b4c3d2e1f0:"
    "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_AbCdE/",
    "answer": "Thủ tục này không thu lệ phí khi đăng ký đúng hạn; bộ phận một cửa đã hoàn lại "
    "khoản đã thu cho ông/bà.",
}

kind_register(
    MessageKind(
        name="feedback_received",
        label="Đã nhận phản ánh, kiến nghị",
        fields=FIELDS,
        sample={k: v for k, v in SAMPLE.items() if k in FIELDS},
        sms="Da nhan phan anh {code}. Han tra loi: {due}. Theo doi: {url}" + STOP_SMS,
        email_subject="Đã nhận phản ánh {code}",
        email_body="Kính gửi ông/bà {name},\n\n{agency} đã nhận phản ánh, kiến nghị của "
        "ông/bà, mã {code}. Hạn trả lời: {due}.\nTheo dõi tình trạng và câu trả lời tại:\n{url}"
        + STOP_EMAIL,
        shorten=("name", "agency"),
    )
)
# The answer is owed to the person (SPEC §8): sent even after an opt-out.
ANSWER_FIELDS = {**FIELDS, "answer": "Nội dung trả lời"}
kind_register(
    MessageKind(
        name="feedback_answered",
        label="Trả lời phản ánh, kiến nghị",
        fields=ANSWER_FIELDS,
        sample=SAMPLE,
        sms="Phan anh {code} da duoc {agency} tra loi. Xem tai: {url}",
        email_subject="Trả lời phản ánh {code}",
        email_body="Kính gửi ông/bà {name},\n\n{agency} trả lời phản ánh, kiến nghị {code} của "
        "ông/bà:\n\n{answer}\n\nXem lại tại: {url}" + SIGNATURE,
        required=True,
        shorten=("name", "agency", "answer"),
    )
)


def status_token(feedback) -> str:
    return signing.Signer(salt=STATUS_SALT).sign(feedback.uid.hex)


def status_uid(token: str) -> str | None:
    try:
        return signing.Signer(salt=STATUS_SALT).unsign(token)
    except signing.BadSignature:
        return None


def status_url(feedback) -> str:
    path = reverse("feedback:status", args=[status_token(feedback)])
    return settings.PUBLIC_BASE_URL.rstrip("/") + path


def message_put(feedback, kind: str) -> None:
    """Queue ``kind`` to the person's phone and e-mail; call inside the change's transaction."""
    outbox_put(
        about=f"feedback:{feedback.uid}",
        kind=kind,
        data={
            "name": feedback.name,
            "code": feedback.code,
            "agency": feedback.agency.name,
            "due": feedback.due_at.astimezone(VN_TZ).strftime("%H:%M %d/%m/%Y"),
            "url": status_url(feedback),
            "answer": feedback.answer,
        },
        contacts=[Contact("sms", feedback.phone), Contact("email", feedback.email)],
    )
