"""The officers' daily digest: each officer and leader with an e-mail address gets, once a
day, the dossiers due soon and overdue at their posts (the inboxes "due soon" and "overdue"
of ``selectors.inbox_queryset``), through the outbox. Run by ``manage.py send_digest`` from
cron; running it twice the same day sends nothing more (the message's key is made from the
person and the day)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse

from motcua import clock
from motcua.dossiers.access import actor_for_user
from motcua.dossiers.selectors import capped_count, inbox_queryset
from motcua.notifications.services import Contact, outbox_put
from motcua.workcalendar.calendar import VN_TZ
from motcua.workcalendar.selectors import calendar_get

#: Dossiers listed per box in one digest (the counts say how many there are in all).
LISTED = 20


@dataclass
class DigestResult:
    people: int = 0  # officers with an address and something due
    queued: int = 0  # messages put in the outbox now (0 for a second run the same day)
    day_off: bool = False  # not a working day (standard calendar): nothing sent


def _lines(dossiers) -> str:
    lines = [
        f"- {d.code or '(chưa có mã)'} · {d.procedure_version.name} · "
        f"hạn {d.due_at.astimezone(VN_TZ):%H:%M %d/%m/%Y} · {d.applicant_name}"
        for d in dossiers
    ]
    return "\n".join(lines) or "- (không có)"


def digest_put(*, day: date | None = None, any_day: bool = False) -> DigestResult:
    """Queue today's digests; on a day off (the deployment's standard calendar: weekends,
    holidays, but make-up Saturdays count) nothing, unless ``any_day``."""
    day = day or clock.now().astimezone(VN_TZ).date()
    if not any_day and not calendar_get().is_working_day(day):
        return DigestResult(day_off=True)
    base = settings.PUBLIC_BASE_URL.rstrip("/") + reverse("dossiers:inbox")
    result = DigestResult()
    people = (
        get_user_model()
        .objects.filter(is_active=True, memberships__isnull=False)
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )
    for user in people:
        actor = actor_for_user(user)
        boxes = {box: inbox_queryset(actor=actor, box=box) for box in ("due_soon", "overdue")}
        listed = {
            box: list(qs.select_related("procedure_version")[:LISTED]) for box, qs in boxes.items()
        }
        if not any(listed.values()):
            continue  # nothing due: no e-mail
        result.people += 1
        with transaction.atomic():
            queued = outbox_put(
                about=f"user:{user.pk}",
                kind="digest",
                data={
                    "name": user.get_full_name() or user.username,
                    "date": f"{day:%d/%m/%Y}",
                    "due_soon_count": capped_count(boxes["due_soon"]),
                    "overdue_count": capped_count(boxes["overdue"]),
                    "due_soon_list": _lines(listed["due_soon"]),
                    "overdue_list": _lines(listed["overdue"]),
                    "url": f"{base}?hop=due_soon",
                    "overdue_url": f"{base}?hop=overdue",
                },
                contacts=[Contact("email", user.email)],
                once=f"digest:{user.pk}:{day.isoformat()}",
            )
        result.queued += len(queued)
    return result
