"""The queue's rules: numbering, the order of calls, the counter's actions, the day's close."""

from datetime import datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from motcua.actors import SYSTEM
from motcua.agencies.models import Desk
from motcua.dossiers.access import actor_for_user
from motcua.tickets.models import Announcement, Ticket, TicketCall
from motcua.tickets.selectors import waiting_before
from motcua.tickets.services import (
    queue_day_close,
    ticket_call_next,
    ticket_finish,
    ticket_recall,
    ticket_take,
    ticket_transfer,
)
from motcua.tickets.tests.factories import floor_for
from motcua.workcalendar.calendar import VN_TZ

pytestmark = pytest.mark.django_db


def take(floor, service, **kw) -> Ticket:
    return ticket_take(desk=floor.desk, service_id=service.pk, **kw).ticket


def at(h, m=0, day=23):
    return datetime(2026, 11, day, h, m, tzinfo=VN_TZ)


def test_numbers_start_at_1001_per_desk_and_day(floor, other_agency_officer, clock):
    first, second = take(floor, floor.civil), take(floor, floor.land)
    assert (first.number, second.number) == (1001, 1002)
    other = floor_for(Desk.objects.get(agency__code="000.02.31.H99"))
    assert take(other, other.civil).number == 1001  # another desk counts on its own
    clock(at(8, day=24))
    assert take(floor, floor.civil).number == 1001  # a new day starts again


def test_the_first_ticket_of_a_day_closes_the_days_before(floor, alice, clock):
    waiting = take(floor, floor.civil)
    called = take(floor, floor.civil)
    ticket_call_next(counter_id=floor.civil_only.pk, actor=alice)  # calls `waiting`
    clock(at(7, 45, day=24))
    take(floor, floor.land)
    waiting.refresh_from_db()
    called.refresh_from_db()
    assert waiting.status == Ticket.Status.DONE  # it was at the counter
    assert called.status == Ticket.Status.EXPIRED
    turn = TicketCall.objects.get()
    assert turn.outcome == TicketCall.Outcome.UNFINISHED and turn.ended_at == turn.called_at
    # Yesterday's tickets are no one's to call today.
    assert ticket_call_next(counter_id=floor.civil_only.pk, actor=alice) is None


def test_a_counter_calls_the_oldest_ticket_of_the_services_it_serves(floor, alice, clock):
    clock(at(9))
    land = take(floor, floor.land)
    clock(at(9, 1))
    civil = take(floor, floor.civil)
    assert ticket_call_next(counter_id=floor.civil_only.pk, actor=alice) == civil
    assert ticket_call_next(counter_id=floor.civil_only.pk, actor=alice) is None
    assert ticket_call_next(counter_id=floor.both.pk, actor=alice) == land


def test_service_mix_at_one_counter_is_first_come_first_served(floor, alice, clock):
    order = []
    for minute, service in enumerate([floor.land, floor.civil, floor.land]):
        clock(at(9, minute))
        order.append(take(floor, service))
    clock(at(9, 30))
    called = [ticket_call_next(counter_id=floor.both.pk, actor=alice) for _ in order]
    assert called == order


def test_priority_tickets_are_served_strictly_first(floor, alice, clock):
    clock(at(9))
    ordinary = [take(floor, floor.civil) for _ in range(3)]
    clock(at(9, 10))
    elderly = take(floor, floor.civil, priority_reason=Ticket.PriorityReason.ELDERLY)
    assert elderly.priority
    assert waiting_before(elderly, now=at(9, 10)) == 0
    assert waiting_before(ordinary[2], now=at(9, 10)) == 3
    assert ticket_call_next(counter_id=floor.civil_only.pk, actor=alice) == elderly
    assert ticket_call_next(counter_id=floor.civil_only.pk, actor=alice) == ordinary[0]


def test_a_booked_ticket_is_served_at_its_time_before_walk_ins(floor, alice, clock):
    clock(at(9))
    walk_in = take(floor, floor.civil)
    booked = take(floor, floor.civil, serve_after=at(9, 30))
    clock(at(9, 10))
    # Before its slot, the walk-in goes first.
    assert ticket_call_next(counter_id=floor.civil_only.pk, actor=alice) == walk_in
    later = take(floor, floor.civil)
    clock(at(9, 30))
    assert ticket_call_next(counter_id=floor.civil_only.pk, actor=alice) == booked
    assert ticket_call_next(counter_id=floor.civil_only.pk, actor=alice) == later


def test_a_booked_ticket_before_its_slot_is_called_when_nobody_else_waits(floor, alice, clock):
    clock(at(9))
    booked = take(floor, floor.civil, serve_after=at(10))
    assert ticket_call_next(counter_id=floor.civil_only.pk, actor=alice) == booked


def test_calling_next_finishes_the_ticket_being_served(floor, alice, clock):
    first, second = take(floor, floor.civil), take(floor, floor.civil)
    ticket_call_next(counter_id=floor.civil_only.pk, actor=alice)
    clock(at(9, 12))
    ticket_call_next(counter_id=floor.civil_only.pk, actor=alice)
    first.refresh_from_db()
    assert first.status == Ticket.Status.DONE and first.finished_at == at(9, 12)
    turn = first.calls.get()
    assert turn.outcome == TicketCall.Outcome.SERVED and turn.ended_at == at(9, 12)
    second.refresh_from_db()
    assert second.status == Ticket.Status.CALLED and second.counter == floor.civil_only


def test_each_call_and_recall_is_announced(floor, alice):
    ticket = take(floor, floor.civil)
    ticket_call_next(counter_id=floor.civil_only.pk, actor=alice)
    ticket_recall(counter_id=floor.civil_only.pk, actor=alice)
    kinds = list(Announcement.objects.order_by("pk").values_list("kind", "ticket", "counter"))
    assert kinds == [
        ("call", ticket.pk, floor.civil_only.pk),
        ("recall", ticket.pk, floor.civil_only.pk),
    ]
    assert TicketCall.objects.get().recalls == 1


def test_recall_finish_and_transfer_need_a_ticket_at_the_counter(floor, alice):
    for action in (ticket_recall, ticket_finish):
        with pytest.raises(ValidationError):
            action(counter_id=floor.civil_only.pk, actor=alice)
    with pytest.raises(ValidationError):
        ticket_transfer(counter_id=floor.civil_only.pk, actor=alice, to_service_id=floor.land.pk)
    assert Announcement.objects.count() == 0


def test_no_show_and_finish(floor, alice, clock):
    absent, present = take(floor, floor.civil), take(floor, floor.civil)
    ticket_call_next(counter_id=floor.civil_only.pk, actor=alice)
    ticket_finish(counter_id=floor.civil_only.pk, actor=alice, no_show=True)
    ticket_call_next(counter_id=floor.civil_only.pk, actor=alice)
    clock(at(9, 20))
    ticket_finish(counter_id=floor.civil_only.pk, actor=alice)
    absent.refresh_from_db()
    present.refresh_from_db()
    assert absent.status == Ticket.Status.NO_SHOW
    assert present.status == Ticket.Status.DONE and present.finished_at == at(9, 20)


def test_a_ticket_transferred_to_a_service_keeps_its_place(floor, alice, clock):
    clock(at(9))
    moved = take(floor, floor.civil)
    clock(at(9, 5))
    later = take(floor, floor.land)
    ticket_call_next(counter_id=floor.civil_only.pk, actor=alice)
    clock(at(9, 15))
    ticket_transfer(counter_id=floor.civil_only.pk, actor=alice, to_service_id=floor.land.pk)
    moved.refresh_from_db()
    assert moved.status == Ticket.Status.WAITING and moved.service == floor.land
    # At the land counter it comes before the later land ticket: it keeps its place.
    assert ticket_call_next(counter_id=floor.land_only.pk, actor=alice) == moved
    second_turn = moved.calls.order_by("pk").last()
    assert second_turn.waiting_since == at(9, 15)  # this wait began at the transfer
    assert ticket_call_next(counter_id=floor.land_only.pk, actor=alice) == later


def test_a_ticket_transferred_to_a_counter_is_called_by_that_counter_only(floor, alice):
    ticket = take(floor, floor.civil)
    ticket_call_next(counter_id=floor.civil_only.pk, actor=alice)
    ticket_transfer(counter_id=floor.civil_only.pk, actor=alice, to_counter_id=floor.land_only.pk)
    assert ticket_call_next(counter_id=floor.both.pk, actor=alice) is None
    assert ticket_call_next(counter_id=floor.land_only.pk, actor=alice) == ticket


def test_transfer_to_a_counter_of_another_desk_is_refused(floor, alice, other_agency_officer):
    other = floor_for(Desk.objects.get(agency__code="000.02.31.H99"))
    take(floor, floor.civil)
    ticket_call_next(counter_id=floor.civil_only.pk, actor=alice)
    with pytest.raises(ValidationError):
        ticket_transfer(counter_id=floor.civil_only.pk, actor=alice, to_counter_id=other.both.pk)
    with pytest.raises(ValidationError):
        ticket_transfer(counter_id=floor.civil_only.pk, actor=alice, to_service_id=other.land.pk)
    assert TicketCall.objects.get().ended_at is None  # nothing changed


def test_a_service_of_another_desk_gives_no_ticket(floor, other_agency_officer):
    other = floor_for(Desk.objects.get(agency__code="000.02.31.H99"))
    with pytest.raises(ValidationError):
        ticket_take(desk=floor.desk, service_id=other.civil.pk)
    assert Ticket.objects.count() == 0


def test_only_the_desks_officers_work_at_its_counters(floor, other_agency_officer, admin_user):
    take(floor, floor.civil)
    for user in (other_agency_officer, admin_user):
        with pytest.raises(PermissionDenied):
            ticket_call_next(counter_id=floor.civil_only.pk, actor=actor_for_user(user))
    assert Ticket.objects.get().status == Ticket.Status.WAITING
    assert ticket_call_next(counter_id=floor.civil_only.pk, actor=SYSTEM) is not None


def test_waiting_before_counts_the_same_service_only(floor, clock):
    clock(at(9))
    take(floor, floor.land)
    first = take(floor, floor.civil)
    second = take(floor, floor.civil)
    assert waiting_before(first, now=at(9)) == 0
    assert waiting_before(second, now=at(9)) == 1


def test_close_day_expires_waiting_tickets_of_earlier_days_only(floor, clock):
    old = take(floor, floor.civil)
    clock(at(9) + timedelta(days=1))
    new = take(floor, floor.civil)  # closes yesterday itself
    old.status = Ticket.Status.WAITING
    old.save()
    assert queue_day_close(before=new.day) == 1
    old.refresh_from_db()
    new.refresh_from_db()
    assert old.status == Ticket.Status.EXPIRED and new.status == Ticket.Status.WAITING
