"""What the people of a task are told by e-mail, and when: the tasks' own message kinds,
registered with the generic outbox (``notifications``) like the dossiers' and the desk
floor's, so administrators edit and preview them under *Mẫu tin nhắn* and
``load_message_templates`` seeds them. By e-mail only (officers' work mail); like the
officers' daily digest, each may be stopped and carries the opt-out link (``{opt_out_url}``).
Officers' mail is written in Vietnamese whatever language the sender's screen is in, so these
texts are not translated."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.urls import reverse

from motcua.notifications.kinds import MessageKind, kind_register
from motcua.notifications.services import Contact, outbox_put
from motcua.workcalendar.calendar import to_local

STOP_EMAIL = (
    "\n\n--\nĐây là thư tự động của hệ thống một cửa, xin đừng trả lời.\n"
    "Ngừng nhận mọi thư không bắt buộc qua địa chỉ này: {opt_out_url}\n"
)
#: Every task message's placeholders, and what each holds.
COMMON = {"title": "Tên nhiệm vụ", "link": "Đường dẫn trang nhiệm vụ"}
FIELDS = {
    "leader": "Lãnh đạo giao nhiệm vụ hoặc quyết định gia hạn",
    "unit": "Đơn vị (chủ trì hoặc được giao)",
    "role": "Vai trò của đơn vị: chủ trì hoặc phối hợp",
    "due": "Hạn hoàn thành (giờ:phút ngày/tháng/năm)",
    "at": "Lúc báo cáo hoàn thành",
    "outcome": "Đúng hạn hoặc trễ hạn",
    "before": "Hạn hiện tại",
    "after": "Hạn đề nghị",
    "reason": "Lý do đề nghị gia hạn",
    "verdict": "Đồng ý hoặc không đồng ý",
    "note": "Ý kiến của lãnh đạo",
    "progress": "Tiến độ đã báo cáo (%)",
}
SAMPLE = {
    "title": "Rà soát hồ sơ đất đai tồn đọng năm 2026",
    "link": "https://dichvucong.example.gov.vn/can-bo/nhiem-vu/NV-2026-0012/",
    "leader": "Nguyễn Văn Hùng",
    "unit": "Địa chính - Xây dựng",
    "role": "chủ trì",
    "due": "17:00 30/11/2026",
    "at": "15:20 27/11/2026",
    "outcome": "đúng hạn",
    "before": "17:00 30/11/2026",
    "after": "17:00 07/12/2026",
    "reason": "Chờ số liệu của Văn phòng đăng ký đất đai",
    "verdict": "đồng ý",
    "note": "Hoàn thành trước ngày 07/12.",
    "progress": "60",
}


def _kind(name: str, label: str, fields: tuple[str, ...], *, subject: str, body: str):
    chosen = {**COMMON, **{f: FIELDS[f] for f in fields}}
    return kind_register(
        MessageKind(
            name=name,
            label=label,
            fields=chosen,
            sample={k: v for k, v in SAMPLE.items() if k in chosen},
            sms="",
            email_subject=subject,
            email_body=body + STOP_EMAIL,
            media=("email",),
        )
    )


_kind(
    "task_assigned",
    "Nhiệm vụ mới được giao",
    ("leader", "unit", "role", "due"),
    subject="Nhiệm vụ mới: {title}",
    body="{leader} giao nhiệm vụ “{title}” cho {unit} ({role}), hạn hoàn thành {due}. "
    "Xem và báo cáo tiến độ: {link}",
)
_kind(
    "task_completed",
    "Đơn vị báo cáo hoàn thành nhiệm vụ",
    ("unit", "at", "outcome"),
    subject="Đã hoàn thành: {title}",
    body="{unit} báo cáo đã hoàn thành nhiệm vụ “{title}” lúc {at} ({outcome}). {link}",
)
_kind(
    "task_extension_requested",
    "Đề nghị gia hạn nhiệm vụ",
    ("unit", "before", "after", "reason"),
    subject="Đề nghị gia hạn: {title}",
    body="{unit} đề nghị gia hạn nhiệm vụ “{title}” từ {before} đến {after}. Lý do: {reason}. "
    "Quyết định tại: {link}",
)
_kind(
    "task_extension_decided",
    "Quyết định gia hạn nhiệm vụ",
    ("leader", "verdict", "due", "note"),
    subject="Gia hạn nhiệm vụ: {title}",
    body="{leader} {verdict} gia hạn nhiệm vụ “{title}”. Hạn hoàn thành: {due}. {note} {link}",
)
_kind(
    "task_due_soon",
    "Nhắc nhiệm vụ sắp đến hạn",
    ("unit", "due", "progress"),
    subject="Nhắc việc: {title}",
    body="Nhiệm vụ “{title}” ({unit} chủ trì) đến hạn lúc {due}. Tiến độ đã báo cáo: "
    "{progress}%. Báo cáo hoàn thành hoặc xin gia hạn tại: {link}",
)
_kind(
    "task_overdue",
    "Nhiệm vụ quá hạn",
    ("unit", "due", "progress"),
    subject="Nhiệm vụ quá hạn: {title}",
    body="Nhiệm vụ “{title}” ({unit} chủ trì) đã quá hạn từ {due} mà chưa báo cáo hoàn thành. "
    "Tiến độ đã báo cáo: {progress}%. {link}",
)


def when(moment: datetime) -> str:
    return f"{to_local(moment):%H:%M %d/%m/%Y}"


def link(task) -> str:
    return settings.PUBLIC_BASE_URL.rstrip("/") + reverse("tasks:detail", args=[task.ref])


def contacts_of(users) -> list[Contact]:
    """One e-mail per person with an address (the same address once)."""
    seen, contacts = set(), []
    for user in users:
        if user.email and user.email not in seen:
            seen.add(user.email)
            contacts.append(Contact("email", user.email))
    return contacts


def message_put(task, kind: str, *, users, **fields) -> int:
    """Queue the message ``kind`` about ``task`` to ``users``, written from its template
    (the administrator's, else the default above); call inside the change's transaction.
    Returns how many were queued."""
    data = {"title": task.title, "link": link(task), **fields}
    contacts = contacts_of(users)
    outbox_put(about=f"task:{task.uid}", kind=kind, data=data, contacts=contacts)
    return len(contacts)
