"""What the people of a task are told by e-mail, and when: the tasks' own messages, handed to
the generic outbox (``notifications``), which only stores and sends. Officers' mail is
written in Vietnamese whatever language the sender's screen is in, so these texts are not
translated."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.urls import reverse

from motcua.notifications.services import Contact, outbox_put
from motcua.workcalendar.calendar import to_local

#: kind → (subject, body); ``{link}`` is the task's page.
TEXTS = {
    "task_assigned": (
        "Nhiệm vụ mới: {title}",
        "{leader} giao nhiệm vụ “{title}” cho {unit} ({role}), hạn hoàn thành {due}. "
        "Xem và báo cáo tiến độ: {link}",
    ),
    "task_completed": (
        "Đã hoàn thành: {title}",
        "{unit} báo cáo đã hoàn thành nhiệm vụ “{title}” lúc {at} ({outcome}). {link}",
    ),
    "task_extension_requested": (
        "Đề nghị gia hạn: {title}",
        "{unit} đề nghị gia hạn nhiệm vụ “{title}” từ {before} đến {after}. Lý do: {reason}. "
        "Quyết định tại: {link}",
    ),
    "task_extension_decided": (
        "Gia hạn nhiệm vụ: {title}",
        "{leader} {verdict} gia hạn nhiệm vụ “{title}”. Hạn hoàn thành: {due}. {note} {link}",
    ),
    "task_due_soon": (
        "Nhắc việc: {title}",
        "Nhiệm vụ “{title}” ({unit} chủ trì) đến hạn lúc {due}. Tiến độ đã báo cáo: "
        "{progress}%. Báo cáo hoàn thành hoặc xin gia hạn tại: {link}",
    ),
    "task_overdue": (
        "Nhiệm vụ quá hạn: {title}",
        "Nhiệm vụ “{title}” ({unit} chủ trì) đã quá hạn từ {due} mà chưa báo cáo hoàn thành. "
        "Tiến độ đã báo cáo: {progress}%. {link}",
    ),
}


def when(moment: datetime) -> str:
    return f"{to_local(moment):%H:%M %d/%m/%Y}"


def link(task) -> str:
    return settings.PUBLIC_BASE_URL.rstrip("/") + reverse("tasks:detail", args=[task.ref])


def contacts_of(users, subject: str) -> list[Contact]:
    """One e-mail per person with an address (the same address once)."""
    seen, contacts = set(), []
    for user in users:
        if user.email and user.email not in seen:
            seen.add(user.email)
            contacts.append(Contact("email", user.email, subject[:255]))
    return contacts


def message_put(task, kind: str, *, users, **fields) -> int:
    """Queue the message ``kind`` about ``task`` to ``users``; call inside the change's
    transaction. Returns how many were queued."""
    subject, body = TEXTS[kind]
    values = {"title": task.title, "link": link(task), **fields}
    contacts = contacts_of(users, subject.format(**values))
    outbox_put(about=f"task:{task.uid}", kind=kind, body=body.format(**values), contacts=contacts)
    return len(contacts)
