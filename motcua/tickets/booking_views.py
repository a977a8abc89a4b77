"""Public pages to book, see and cancel an appointment (rules in ``appointments``)."""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from motcua import clock
from motcua.agencies.models import Desk
from motcua.tickets.appointments import (
    appointment_book,
    appointment_cancel,
    appointment_from_token,
    booking_allowed,
    booking_days,
    confirmation_token,
    service_slots,
)
from motcua.tickets.selectors import desks_with_queue
from motcua.workcalendar.calendar import VN_TZ


def booking_index(request):
    desks = desks_with_queue().filter(services__bookable=True).distinct()
    return render(request, "tickets/booking_index.html", {"desks": desks})


def booking(request, desk_id: int):
    """Pick a service, a day and a free slot, then give a name and a phone number."""
    desk = get_object_or_404(Desk.objects.select_related("agency"), pk=desk_id)
    services = list(desk.services.filter(is_active=True, bookable=True).order_by("order", "name"))
    if not services:
        raise Http404
    source = request.POST if request.method == "POST" else request.GET
    service = next((s for s in services if str(s.pk) == source.get("dich-vu")), services[0])
    days = booking_days(service)
    day = _day(source.get("ngay"))
    if day not in days:
        day = days[0] if days else None
    errors, posted = {}, {}
    if request.method == "POST":
        posted = request.POST
        wait = booking_allowed(request)
        if wait:
            errors["__all__"] = [
                _("Thao tác quá nhiều lần. Vui lòng thử lại sau %(s)d giây.") % {"s": wait}
            ]
        else:
            try:
                appointment = appointment_book(
                    service_id=service.pk,
                    starts_at=_moment(posted.get("khung-gio")),
                    name=posted.get("name", ""),
                    phone=posted.get("phone", ""),
                    email=posted.get("email", ""),
                )
            except ValidationError as exc:
                errors = exc.message_dict
            else:
                return redirect("tickets:booking_done", token=confirmation_token(appointment))
    context = {
        "desk": desk,
        "services": services,
        "service": service,
        "days": days,
        "day": day,
        "slots": service_slots(service, day) if day else [],
        "errors": errors,
        "posted": posted,
    }
    return render(request, "tickets/booking.html", context, status=422 if errors else 200)


def _day(raw) -> date | None:
    try:
        return date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


def _moment(raw) -> datetime:
    try:
        moment = datetime.fromisoformat(raw or "")
    except ValueError:
        return clock.now()  # not a slot: refused with the slot's message
    return moment if moment.tzinfo else moment.replace(tzinfo=VN_TZ)


def booking_done(request, token: str):
    appointment = appointment_from_token(token)
    if appointment is None:
        raise Http404
    return render(request, "tickets/booking_done.html", {"appointment": appointment})


def booking_cancel(request):
    """Cancel by the booking code and the last 4 digits of the phone number."""
    error, cancelled = "", None
    if request.method == "POST":
        wait = booking_allowed(request)
        if wait:
            error = _("Thao tác quá nhiều lần. Vui lòng thử lại sau %(s)d giây.") % {"s": wait}
        else:
            try:
                cancelled = appointment_cancel(
                    code=request.POST.get("code", ""), verify=request.POST.get("verify", "")
                )
            except ValidationError as exc:
                error = " ".join(exc.messages)
    return render(
        request,
        "tickets/booking_cancel.html",
        {"error": error, "cancelled": cancelled, "posted": request.POST},
        status=422 if error else 200,
    )
