"""The outbox: enqueue inside the caller's transaction, deliver from a worker."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from motcua.catalog.text import strip_diacritics
from motcua.notifications.models import Notification
from motcua.workcalendar.calendar import VN_TZ

MAX_ATTEMPTS = 8

TEXTS = {
    "received": "Ho so {code} ({procedure}) da duoc tiep nhan. Hen tra: {due}.",
    "supplement_requested": "Ho so {code} can bo sung giay to. Vui long xem phieu yeu cau "
    "hoac tra cuu: {url}",
    "payment_requested": "Ho so {code}: vui long thuc hien nghia vu tai chinh. Tra cuu: {url}",
    "extended": "Ho so {code} se tra cham. Xin loi ong/ba. Hen tra moi: {due}.",
    "result_ready": "Ho so {code} da co ket qua. Moi ong/ba den nhan theo hinh thuc da dang ky.",
}


def _render(dossier, kind: str) -> str:
    from motcua.dossiers.selectors import lookup_url

    text = TEXTS[kind]
    due = dossier.due_at.astimezone(VN_TZ).strftime("%H:%M %d/%m/%Y")
    procedure = strip_diacritics(dossier.procedure_version.name)[:60]
    url = lookup_url(dossier) if "{url}" in text else ""
    return text.format(code=dossier.code, procedure=procedure, due=due, url=url)


def notification_enqueue(*, dossier, kind: str) -> list[Notification]:
    """One message per contact the applicant gave; must run inside the change's transaction."""
    return Notification.objects.bulk_create(notification_rows(dossier=dossier, kind=kind))


def notification_rows(*, dossier, kind: str) -> list[Notification]:
    """The unsaved messages of ``notification_enqueue`` (for a caller that writes them in its
    own statement)."""
    body = _render(dossier, kind)
    now = timezone.now()
    contacts = [
        ("sms", dossier.applicant_phone, ""),
        ("email", dossier.applicant_email, f"Hồ sơ {dossier.code}"),
    ]
    return [
        Notification(
            dossier=dossier,
            kind=kind,
            medium=medium,
            recipient=recipient,
            subject=subject,
            body=body,
            next_attempt_at=now,
        )
        for medium, recipient, subject in contacts
        if recipient
    ]


def notifications_deliver(*, channel, batch: int = 100) -> tuple[int, int]:
    """Send the messages that are due; a failure is retried later with back-off, never lost.
    Returns (sent, failed)."""
    sent = failed = 0
    with transaction.atomic():
        due = list(
            Notification.objects.select_for_update(skip_locked=True)
            .filter(state=Notification.State.PENDING, next_attempt_at__lte=timezone.now())
            .order_by("next_attempt_at", "pk")[:batch]
        )
        for notification in due:
            notification.attempts += 1
            try:
                channel.send(notification)
            except Exception as exc:  # a gateway error of any kind: keep it, try again
                failed += 1
                notification.last_error = str(exc)[:1000]
                if notification.attempts >= MAX_ATTEMPTS:
                    notification.state = Notification.State.FAILED
                notification.next_attempt_at = timezone.now() + timedelta(
                    minutes=2**notification.attempts
                )
            else:
                sent += 1
                notification.state = Notification.State.SENT
                notification.sent_at = timezone.now()
            notification.save()
    return sent, failed
