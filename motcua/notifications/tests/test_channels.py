"""The channels behind the outbox: a generic HTTP gateway for SMS configured by settings,
Django's e-mail backend, a place for Zalo ZNS, and one channel per medium."""

import json
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from motcua.notifications.channels import (
    EmailChannel,
    FileChannel,
    HttpGatewayChannel,
    Undeliverable,
    channel_get,
    message_id,
)
from motcua.notifications.models import Notification
from motcua.notifications.services import Contact, notifications_deliver, outbox_put
from motcua.notifications.tests.fakes import FakeSmsGateway

ESMS_LIKE = (
    '{"ApiKey": "k-123", "Phone": "{to_intl}", "Content": "{text}", "Brandname": "{brandname}",'
    ' "RequestId": "{key}", "Meta": ["{kind}", 2]}'
)


@pytest.fixture
def gateway():
    fake = FakeSmsGateway()
    yield fake
    fake.close()


def sms(text='Ho so "A"\nda nhan', to="0912345678", kind="received"):
    return outbox_put(about="t:1", kind=kind, body=text, contacts=[Contact("sms", to)])[0]


def test_the_body_template_is_filled_inside_the_json_and_the_key_travels(db, gateway):
    message = sms()
    channel = HttpGatewayChannel(url=gateway.url, body=ESMS_LIKE, brandname="UBND-XA")
    body = json.loads(channel.payload(message))
    assert body == {
        "ApiKey": "k-123",
        "Phone": "84912345678",
        "Content": 'Ho so "A"\nda nhan',  # quotes and newlines escaped by JSON, not broken
        "Brandname": "UBND-XA",
        "RequestId": str(message.key),
        "Meta": ["received", 2],
    }
    HttpGatewayChannel(url=gateway.url).send(message)
    got = gateway.delivered[str(message.key)]
    assert got.headers["Idempotency-Key"] == str(message.key) and got.text == message.body


def test_authentication_and_headers_come_from_the_settings(db, gateway, settings):
    settings.SMS_GATEWAY_URL = gateway.url
    settings.SMS_GATEWAY_USER, settings.SMS_GATEWAY_PASSWORD = "motcua", "bí mật"
    settings.SMS_GATEWAY_HEADERS = '{"X-Api-Key": "abc"}'
    settings.SMS_GATEWAY_KEY_HEADER = "X-Request-Id"
    message = sms()
    HttpGatewayChannel().send(message)
    (got,) = gateway.delivered.values()  # keyed by Idempotency-Key: absent here
    assert got.headers["Authorization"] == "Basic bW90Y3VhOmLDrSBt4bqtdA=="
    assert got.headers["X-Api-Key"] == "abc" and got.headers["X-Request-Id"] == str(message.key)


@pytest.mark.parametrize(
    "body, says",
    [("{not json", "JSON"), ('{"to": "{phone}"}', "{phone}"), ('{"to": "{to.__class__}"}', "")],
)
def test_a_wrong_gateway_setting_stops_the_worker_with_its_reason(settings, body, says):
    settings.SMS_GATEWAY_URL = "http://127.0.0.1:9/"
    with pytest.raises(ImproperlyConfigured, match="SMS_GATEWAY_BODY") as refused:
        HttpGatewayChannel(body=body)
    assert says in str(refused.value)
    settings.SMS_GATEWAY_URL = ""
    with pytest.raises(ImproperlyConfigured, match="SMS_GATEWAY_URL"):
        HttpGatewayChannel()


def test_success_is_judged_by_a_field_of_the_answer_when_asked(db, gateway):
    message = sms()
    HttpGatewayChannel(url=gateway.url, success="code=100").send(message)
    with pytest.raises(ConnectionError, match="không xác nhận"):
        HttpGatewayChannel(url=gateway.url, success="code=0").send(message)


def due_again():
    Notification.objects.update(next_attempt_at=timezone.now() - timedelta(seconds=1))


def test_a_message_the_gateway_refuses_is_given_up_at_once_an_outage_is_retried(
    db, gateway, settings
):
    settings.SMS_CHANNEL, settings.SMS_GATEWAY_URL = "http", gateway.url
    refused = sms()
    Notification.objects.filter(pk=refused.pk).update(recipient="")  # the gateway says 400
    assert notifications_deliver(channel=channel_get()) == (0, 1)
    refused.refresh_from_db()
    assert refused.state == "failed" and refused.attempts == 1 and "400" in refused.last_error
    later = sms()
    gateway.down = True
    assert notifications_deliver(channel=channel_get()) == (0, 1)
    later.refresh_from_db()
    assert later.state == "pending" and "503" in later.last_error
    gateway.down = False
    due_again()
    assert notifications_deliver(channel=channel_get()) == (1, 0)  # not the refused one
    assert list(gateway.delivered) == [str(later.key)]


def test_an_unanswering_gateway_is_a_failure_to_retry(db):
    message = sms()
    with pytest.raises(ConnectionError, match="Không gọi được cổng SMS"):
        HttpGatewayChannel(url="http://127.0.0.1:9/send", timeout=2).send(message)


def test_a_redirecting_gateway_is_not_followed_and_the_message_is_not_sent(db, gateway):
    """A gateway moved to https answers 301: following it would re-send the credentials as a
    GET without the message, and count the message as sent."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    seen = []

    class Moved(BaseHTTPRequestHandler):
        def do_POST(self):
            seen.append(self.headers.get("Authorization"))
            self.send_response(301)
            self.send_header("Location", gateway.url)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    moved = ThreadingHTTPServer(("127.0.0.1", 0), Moved)
    threading.Thread(target=moved.serve_forever, daemon=True).start()
    try:
        channel = HttpGatewayChannel(
            url=f"http://127.0.0.1:{moved.server_address[1]}/send",
            user="apiuser", password="s3cret", timeout=5,
        )  # fmt: skip
        with pytest.raises(ConnectionError, match="chuyển hướng \\(301\\)"):
            channel.send(sms())
    finally:
        moved.shutdown()
    assert len(seen) == 1 and not gateway.delivered  # nothing went on to the redirect target


def test_email_goes_through_djangos_backend_with_a_message_id_from_its_key(db, settings):
    settings.PUBLIC_BASE_URL = "https://motcua.example.vn"
    required, optional = (
        outbox_put(about="t:1", kind=kind, data={"code": "X-1"},
                   contacts=[Contact("email", "an@example.vn")])[0]
        for kind in ("received", "result_ready")
    )  # fmt: skip
    channel = EmailChannel()
    channel.send(required)
    channel.send(optional)
    channel.close()
    first, second = mail.outbox
    assert first.extra_headers["Message-ID"] == f"<{required.key}@motcua.example.vn>"
    assert message_id(required) == first.extra_headers["Message-ID"]
    assert first.to == ["an@example.vn"] and first.subject == required.subject
    assert "List-Unsubscribe" not in first.extra_headers  # the receipt cannot be stopped
    link = second.extra_headers["List-Unsubscribe"]
    assert link.startswith("<https://motcua.example.vn/tu-choi/")
    assert f"Ngừng nhận mọi thư không bắt buộc qua địa chỉ này: {link[1:-1]}\n" in second.body
    assert second.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_each_medium_goes_to_its_own_channel(db, settings, tmp_path, gateway):
    settings.VAR_DIR = tmp_path
    settings.SMS_CHANNEL, settings.SMS_GATEWAY_URL = "http", gateway.url
    settings.EMAIL_CHANNEL = "file"
    outbox_put(
        about="t:1", kind="received", data={"code": "X-1"},
        contacts=[Contact("sms", "0912"), Contact("email", "an@example.vn")],
    )  # fmt: skip
    assert notifications_deliver(channel=channel_get()) == (2, 0)
    assert len(gateway.delivered) == 1
    (line,) = (tmp_path / "outbox" / "messages.jsonl").read_text().splitlines()
    assert json.loads(line)["medium"] == "email"


def test_file_is_the_development_default_for_both_media(settings):
    settings.SMS_CHANNEL = settings.EMAIL_CHANNEL = "file"
    channel = channel_get()
    assert isinstance(channel.channels["sms"], FileChannel)
    assert channel.channels["sms"] is channel.channels["email"]  # one writer of the file


def test_zalo_is_a_documented_place_not_a_working_channel(settings):
    settings.SMS_CHANNEL = "zalo"
    with pytest.raises(ImproperlyConfigured, match="Zalo ZNS chưa được cài đặt"):
        channel_get()
    settings.SMS_CHANNEL, settings.EMAIL_CHANNEL = "file", "pigeon"
    with pytest.raises(ImproperlyConfigured, match="MOTCUA_EMAIL_CHANNEL='pigeon'"):
        channel_get()


def test_a_mailbox_the_server_refuses_is_given_up(db):
    import smtplib

    class Refusing:
        def open(self):
            pass

        def close(self):
            pass

        def send_messages(self, messages):
            raise smtplib.SMTPRecipientsRefused({"x@y.vn": (550, b"No such user")})

    message = outbox_put(
        about="t:1", kind="k", body="b", contacts=[Contact("email", "x@y.vn", "s")]
    )[0]
    with pytest.raises(Undeliverable):
        EmailChannel(connection=Refusing()).send(message)


@pytest.mark.parametrize("status", [500, 400])
def test_a_gateway_error_without_text_still_gives_a_reason(db, settings, status):
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class Silent(BaseHTTPRequestHandler):
        def do_POST(self):
            self.rfile.read(int(self.headers["Content-Length"]))
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Silent)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        settings.SMS_CHANNEL = "http"
        settings.SMS_GATEWAY_URL = f"http://127.0.0.1:{server.server_address[1]}/send"
        message = sms()
        assert notifications_deliver(channel=channel_get()) == (0, 1)
    finally:
        server.shutdown()
    message.refresh_from_db()
    assert message.last_error.endswith(f"({status}): không rõ lý do") or message.last_error == (
        f"Cổng SMS trả lời {status}: không rõ lý do"
    )


def test_an_error_without_words_is_recorded_with_its_kind(db):
    class Mute:
        def send(self, notification):
            raise ConnectionResetError()

    message = sms()
    assert notifications_deliver(channel=Mute()) == (0, 1)
    message.refresh_from_db()
    assert message.last_error == "ConnectionResetError: không rõ lý do"
