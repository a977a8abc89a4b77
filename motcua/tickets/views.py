"""Pages of the desk floor. Public: the kiosk, a ticket (printed and "your place"), the
display board. Staff: a counter, the desk's statistics. Rules live in services/selectors;
who may is ``access``."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from motcua import charts, clock
from motcua.agencies.models import Desk
from motcua.dossiers.access import request_actor
from motcua.tickets import access
from motcua.tickets.appointments import CheckInRefused, appointment_check_in_limited
from motcua.tickets.kiosk import (
    KIOSK_COOKIE,
    TooManyTickets,
    kiosk_device,
    kiosk_ticket,
    take_limited,
)
from motcua.tickets.models import Counter, Ticket, TicketCancellation
from motcua.tickets.selectors import (
    board_state,
    counter_current,
    desk_services,
    desk_statistics,
    desks_with_queue,
    ticket_sources,
    today,
    waiting_before,
    waiting_counts,
)
from motcua.tickets.services import (
    ticket_call_next,
    ticket_finish,
    ticket_recall,
    ticket_transfer,
    tickets_cancel,
)
from motcua.workcalendar.calendar import FIRST_DAY, LAST_DAY, OUT_OF_RANGE, VN_TZ


def _desk(desk_id: int) -> Desk:
    return get_object_or_404(Desk.objects.select_related("agency"), pk=desk_id)


# --- public --------------------------------------------------------------------------------


def kiosk_index(request):
    return render(request, "tickets/kiosk_index.html", {"desks": desks_with_queue()})


def kiosk(request, desk_id: int):
    """The touch screen: pick priority if any, then tap a service; or type a booking code."""
    desk = _desk(desk_id)
    services = desk_services(desk)
    if not services:
        raise Http404
    if "may" in request.GET:
        return _kiosk_register(request, desk)
    error = ""
    if request.method == "POST":
        reason = request.POST.get("priority", "")
        try:
            if request.POST.get("booking"):
                taken = appointment_check_in_limited(
                    request, desk=desk, code=request.POST["booking"]
                )
            else:
                taken = take_limited(
                    request,
                    desk=desk,
                    service_id=_int(request.POST.get("service")),
                    priority_reason=reason if reason in Ticket.PriorityReason.values else "",
                )
        except (TooManyTickets, CheckInRefused) as refusal:
            error = refusal.message()
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            url = reverse("tickets:print", args=[taken.ticket.token])
            return redirect(url + ("?tu-dong-in=1" if request.GET.get("tu-dong-in") else ""))
    waiting = waiting_counts(desk.pk, day=today())
    context = {
        "desk": desk,
        "services": [(s, waiting.get(s.pk, 0)) for s in services],
        "reasons": Ticket.PriorityReason.choices,
        "error": error,
    }
    return render(request, "tickets/kiosk.html", context, status=422 if error else 200)


def _kiosk_register(request, desk):
    """``?may={key}``, opened once on the touch screen: the browser keeps the registered
    kiosk's key (``kiosk.kiosk_device``) and the page is the kiosk's from then on."""
    key = request.GET["may"]
    request.COOKIES[KIOSK_COOKIE] = key
    if kiosk_device(request, desk) is None:
        raise Http404
    response = redirect("tickets:kiosk", desk_id=desk.pk)
    response.set_cookie(
        KIOSK_COOKIE,
        key,
        max_age=5 * 365 * 86400,
        httponly=True,
        secure=settings.SESSION_COOKIE_SECURE,
        samesite="Lax",
    )
    return response


def _int(raw) -> int:
    try:
        return int(raw)
    except (TypeError, ValueError):
        return 0


def _ticket(token) -> Ticket:
    return get_object_or_404(
        Ticket.objects.select_related("service", "desk__agency", "counter"), token=token
    )


def _place_context(ticket: Ticket) -> dict:
    ahead = waiting_before(ticket, now=clock.now())
    place_path = reverse("tickets:place", args=[ticket.token])
    place_url = settings.PUBLIC_BASE_URL.rstrip("/") + place_path  # printed, for phones
    return {
        "ticket": ticket,
        "place": kiosk_ticket(ticket, ahead),
        "is_today": ticket.day == today(),
        "qr": segno.make(place_url, error="m").svg_data_uri(scale=4, border=2),
        "place_path": place_path,
    }


def ticket_print(request, token):
    """The printed ticket (58 or 80 mm paper): number, service, time, people ahead, the
    estimated wait, and a QR code to follow one's place from a phone."""
    ticket = _ticket(token)
    context = _place_context(ticket)
    context["autoprint"] = bool(request.GET.get("tu-dong-in"))
    context["narrow"] = request.GET.get("kho") == "58"
    return render(request, "tickets/ticket_print.html", context)


def ticket_place(request, token):
    """ "Your place in the queue", from the ticket's QR code: no personal data."""
    return render(request, "tickets/ticket_place.html", _place_context(_ticket(token)))


def board(request, desk_id: int):
    """The display board for a TV (1920×1080): drawn on the server, kept live by board.js."""
    desk = _desk(desk_id)
    return render(request, "tickets/board.html", {"desk": desk, "state": board_state(desk)})


# --- staff ---------------------------------------------------------------------------------


def _my_desks(request) -> list[Desk]:
    desks = access.desks_of(request_actor(request))
    return list(Desk.objects.filter(pk__in=desks).select_related("agency"))


@login_required
def counters(request):
    """The counters of the officer's desk(s), and the desk's pages."""
    desks = _my_desks(request)
    if not desks:
        raise PermissionDenied(_("Chỉ cán bộ một cửa làm việc tại quầy."))
    rows = [
        (desk, desk.counters.filter(is_active=True).prefetch_related("services")) for desk in desks
    ]
    return render(request, "tickets/counters.html", {"rows": rows})


def _counter(request, counter_id: int) -> Counter:
    counter = Counter.objects.select_related("desk__agency").filter(pk=counter_id).first()
    if counter is None or not access.may_work_at(request_actor(request), counter):
        raise Http404
    return counter


@login_required
def counter_page(request, counter_id: int):
    counter = _counter(request, counter_id)
    turn = counter_current(counter)
    desk = counter.desk
    context = {
        "counter": counter,
        "turn": turn,
        "ticket": turn.ticket if turn else None,
        "dossiers": turn.ticket.dossiers.select_related("dossier") if turn else [],
        "procedures": turn.ticket.service.procedures.all()[:12] if turn else [],
        "services": desk_services(desk),
        "other_counters": desk.counters.filter(is_active=True).exclude(pk=counter.pk),
    }
    waiting = waiting_counts(desk.pk, day=today())
    mine = set(counter.services.values_list("pk", flat=True))
    context["service_rows"] = [(s, waiting.get(s.pk, 0), s.pk in mine) for s in context["services"]]
    return render(request, "tickets/counter.html", context)


ACTIONS = {
    "goi-tiep": lambda c, a, p: ticket_call_next(counter_id=c, actor=a),
    "goi-lai": lambda c, a, p: ticket_recall(counter_id=c, actor=a),
    "xong": lambda c, a, p: ticket_finish(counter_id=c, actor=a),
    "vang-mat": lambda c, a, p: ticket_finish(counter_id=c, actor=a, no_show=True),
    "chuyen": lambda c, a, p: ticket_transfer(
        counter_id=c,
        actor=a,
        to_service_id=_int(p.get("to_service")) or None,
        to_counter_id=_int(p.get("to_counter")) or None,
    ),
}


#: Actions that change what the citizen hears or loses their turn: done only once confirmed
#: (the page's second button, or the confirmation page that works without JavaScript).
CONFIRMED = {
    "goi-lai": (_lazy("Gọi lại"), _lazy("Gọi lại số %(number)s lên màn hình và loa?")),
    "vang-mat": (
        _lazy("Vắng mặt"),
        _lazy("Ghi số %(number)s vắng mặt? Người này sẽ phải lấy số mới."),
    ),
}


@login_required
@require_POST
def counter_act(request, counter_id: int, action: str):
    counter = _counter(request, counter_id)
    if action not in ACTIONS:
        raise Http404
    if action in CONFIRMED:
        turn = counter_current(counter)
        if turn is None:
            messages.error(request, _("Quầy chưa gọi số nào."))
            return redirect("counters:counter", counter_id=counter.pk)
        if request.POST.get("confirm") != "1":
            label, question = CONFIRMED[action]
            context = {
                "counter": counter,
                "action": action,
                "label": label,
                "question": question % {"number": turn.ticket.number},
                "ticket": turn.ticket,
            }
            return render(request, "tickets/counter_confirm.html", context)
        if request.POST.get("ticket") != str(turn.ticket_id):
            messages.error(request, _("Số đang phục vụ đã đổi: hãy xem lại trước khi thao tác."))
            return redirect("counters:counter", counter_id=counter.pk)
    try:
        result = ACTIONS[action](counter.pk, request_actor(request), request.POST)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except PermissionDenied:
        raise Http404 from None
    else:
        if action == "goi-tiep" and result is None:
            messages.info(request, _("Không còn ai chờ ở các dịch vụ của quầy này."))
        elif action == "goi-tiep":
            messages.success(
                request,
                _("Mời số %(number)s đến quầy số %(counter)s.")
                % {"number": result.number, "counter": counter.number},
            )
        elif action == "chuyen":
            messages.success(request, _("Đã chuyển số %(number)s.") % {"number": result.number})
    return redirect("counters:counter", counter_id=counter.pk)


@login_required
def statistics(request):
    """Tickets per day and average wait and service times, as charts and tables."""
    actor = request_actor(request)
    desks = [d for d in _statistics_desks(actor) if access.may_see_statistics(actor, d)]
    if not desks:
        raise Http404
    desk = next((d for d in desks if str(d.pk) == request.GET.get("bo-phan")), desks[0])
    try:
        end = _date(request.GET.get("den"), today())
        start = _date(request.GET.get("tu"), end - timedelta(days=6))
    except ValueError as exc:
        messages.error(request, str(exc))
        end = today()
        start, bad_dates = end - timedelta(days=6), True
    else:
        bad_dates = False
    start, end = min(start, end), max(start, end)
    start = max(start, end - timedelta(days=365))
    stats = desk_statistics(desk, start=start, end=end)
    context = {
        "desks": desks,
        "desk": desk,
        "start": start,
        "end": end,
        "stats": stats,
        "per_day_chart": charts.columns(
            [(f"{d:%d/%m}", n) for d, n in stats["days"]],
            title=_("Số thứ tự mỗi ngày"),
            unit="",
        ),
        "charts": [
            (
                label,
                stats[group],
                charts.grouped_bars(
                    [(f.label, [f.average_wait, f.average_service]) for f in stats[group]],
                    series=[(_("Chờ (phút)"), charts.BLUE), (_("Phục vụ (phút)"), charts.RED)],
                    title=label,
                ),
            )
            for group, label in [
                ("service", _("Theo dịch vụ")),
                ("counter", _("Theo quầy")),
                ("officer", _("Theo cán bộ")),
            ]
        ],
    }
    return render(request, "tickets/statistics.html", context, status=400 if bad_dates else 200)


def _statistics_desks(actor) -> list[Desk]:
    from motcua.agencies.models import Role
    from motcua.dossiers.access import Officer

    if not isinstance(actor, Officer):
        return []
    desks = Desk.objects.select_related("agency").filter(services__isnull=False).distinct()
    if actor.user.is_superuser:
        return list(desks.order_by("agency__name", "name"))
    led = actor.ids(Role.AGENCY_LEADER, "agency_id")
    return list(desks.filter(pk__in=access.desks_of(actor)) | desks.filter(agency_id__in=led))


def _date(raw, default: date) -> date:
    """A day of the address (YYYY-MM-DD), else ``default``; ValueError (in Vietnamese) for a
    day outside the years the working calendar counts (a year later ``0001-01-01`` or
    ``9999-12-31`` would overflow)."""
    try:
        day = date.fromisoformat(raw) if raw else default
    except ValueError:
        return default
    if not FIRST_DAY <= day <= LAST_DAY:
        raise ValueError(_(OUT_OF_RANGE))
    return day


@login_required
def tickets_cancel_page(request):
    """Cancel today's unserved tickets in bulk — those taken from one address, in a time
    range, or the priority ones nobody has checked — with a reason; the log below."""
    actor = request_actor(request)
    desks = [d for d in _statistics_desks(actor) if access.may_cancel_tickets(actor, d)]
    if not desks:
        raise Http404
    source = request.POST if request.method == "POST" else request.GET
    desk = next((d for d in desks if str(d.pk) == source.get("bo-phan")), desks[0])
    errors, status = {}, 200
    if request.method == "POST":
        try:
            done = tickets_cancel(
                desk=desk,
                actor=actor,
                reason=request.POST.get("reason", ""),
                source=request.POST.get("source", "").strip(),
                issued_from=_time_today(request.POST.get("from")),
                issued_to=_time_today(request.POST.get("to")),
                priority_only=bool(request.POST.get("priority_only")),
            )
        except ValidationError as exc:
            errors, status = exc.message_dict, 422
        else:
            messages.success(
                request, _("Đã hủy %(n)d số thứ tự: %(c)s.") % {"n": done.count, "c": done.criteria}
            )
            return redirect(reverse("counters:cancel") + f"?bo-phan={desk.pk}")
    context = {
        "desks": desks,
        "desk": desk,
        "errors": errors,
        "posted": request.POST,
        "sources": ticket_sources(desk, day=today()),
        "log": TicketCancellation.objects.filter(desk=desk).select_related("officer")[:20],
    }
    return render(request, "tickets/cancel.html", context, status=status)


def _time_today(raw) -> datetime | None:
    """ "HH:MM" today in Vietnam, or None (empty or not a time)."""
    try:
        moment = time.fromisoformat(raw) if raw else None
    except ValueError:
        return None
    return datetime.combine(today(), moment, tzinfo=VN_TZ) if moment else None
