"""The outbox (ADR 0003): stored with the change, sent by the worker, retried, given up."""

from datetime import timedelta

from django.utils import timezone

from motcua.notifications.models import Notification
from motcua.notifications.services import (
    MAX_ATTEMPTS,
    Contact,
    notifications_deliver,
    outbox_put,
)


class Down:
    def send(self, notification):
        raise ConnectionError("gateway down")


def due_again():
    Notification.objects.update(next_attempt_at=timezone.now() - timedelta(seconds=1))


def test_a_message_without_an_address_is_not_stored(db):
    rows = outbox_put(
        about="test:1", kind="k", body="b", contacts=[Contact("sms", ""), Contact("email", "x@y")]
    )
    assert [r.medium for r in rows] == ["email"]


def test_a_failing_message_is_retried_with_back_off_then_given_up(db):
    outbox_put(about="test:1", kind="k", body="b", contacts=[Contact("sms", "0912345678")])
    for attempt in range(1, MAX_ATTEMPTS):
        due_again()
        assert notifications_deliver(channel=Down()) == (0, 1)
        message = Notification.objects.get()
        assert message.state == "pending" and message.attempts == attempt
        wait = message.next_attempt_at - timezone.now()
        assert timedelta(minutes=2**attempt) - timedelta(seconds=5) < wait
    due_again()
    assert notifications_deliver(channel=Down()) == (0, 1)
    message = Notification.objects.get()
    assert message.state == "failed" and message.attempts == MAX_ATTEMPTS
    assert "gateway down" in message.last_error
    due_again()
    assert notifications_deliver(channel=Down()) == (0, 0)  # given up: not tried again
