"""Opting out per channel, without logging in: a signed link in each message that may be
stopped, a page that changes nothing until asked, messages to that address skipped (and
recorded as such), the required ones still sent."""

import pytest
from django.core import mail

from motcua.notifications import optout
from motcua.notifications.channels import EmailChannel, channel_get
from motcua.notifications.models import Notification, OptOut
from motcua.notifications.services import Contact, notifications_deliver, outbox_put


def put(kind, *contacts):
    return outbox_put(about="dossier:x", kind=kind, data={"code": "X-1"}, contacts=list(contacts))


def link_in(body: str) -> str:
    return body[body.index("/tu-choi/") :].split()[0]


def test_a_token_names_one_address_and_cannot_be_forged():
    token = optout.token_make("sms", "+84 912 345 678")
    assert optout.token_read(token) == ("sms", "0912345678")
    assert optout.token_make("sms", "0912.345.678") == token  # one spelling per number
    payload, mac = token.split(".")
    other = optout.token_make("sms", "0987654321").split(".")[0]
    assert optout.token_read(f"{other}.{mac}") is None  # someone else's number, my signature
    wrong = "B" if mac.endswith("A") else "A"  # a changed signature, whatever the key
    assert optout.token_read(f"{payload}.{mac[:-1]}{wrong}") is None
    assert optout.token_read("garbage") is None
    assert len(optout.opt_out_url("sms", "0912345678")) < 80  # it travels in an SMS


def test_the_page_changes_nothing_until_the_button_is_pressed(db, client):
    (sms,) = put("result_ready", Contact("sms", "0912345678"))
    link = link_in(sms.body)
    page = client.get(link)
    assert page.status_code == 200 and "091****678" in page.text and "0912345678" not in page.text
    assert "Tiếp nhận hồ sơ, hẹn trả kết quả" in page.text  # what is still sent
    assert not OptOut.objects.exists()  # a link scanner opening it stops nothing
    page = client.post(link, {"stop": "1"})
    assert "đã ngừng nhận" in page.text
    assert OptOut.objects.get().recipient == "0912345678"
    client.post(link, {"stop": "0"})
    assert not OptOut.objects.exists()


def test_a_forged_link_is_not_found(db, client):
    assert client.get("/tu-choi/czA5MTIzNDU2Nzg.AAAAAAAAAAAAAAAA/").status_code == 404
    assert client.post("/tu-choi/czA5MTIzNDU2Nzg.AAAAAAAAAAAAAAAA/").status_code == 404
    assert not OptOut.objects.exists()


def test_a_mail_clients_one_click_unsubscribe_stops_the_emails(db, client):
    (email,) = put("result_ready", Contact("email", "An@Example.vn"))
    EmailChannel().send(email)
    link = mail.outbox[0].extra_headers["List-Unsubscribe"][1:-1]
    answer = client.post(link, {"List-Unsubscribe": "One-Click"})
    assert answer.status_code == 200
    assert OptOut.objects.filter(medium="email", recipient="an@example.vn").exists()


def test_after_an_opt_out_messages_are_skipped_and_recorded_required_ones_still_go(
    db, settings, tmp_path
):
    settings.VAR_DIR = tmp_path
    OptOut.objects.create(medium="sms", recipient="0912345678")
    put("result_ready", Contact("sms", "+84912345678"), Contact("email", "an@example.vn"))
    put("received", Contact("sms", "0912345678"))  # required: the receipt and appointment
    assert notifications_deliver(channel=channel_get()) == (2, 0)
    rows = {(n.kind, n.medium): n.state for n in Notification.objects.all()}
    assert rows == {
        ("result_ready", "sms"): "skipped",  # recorded, not silently lost
        ("result_ready", "email"): "sent",  # another channel: not stopped
        ("received", "sms"): "sent",
    }
    skipped = Notification.objects.get(state="skipped")
    assert skipped.attempts == 0 and skipped.sent_at is None  # nothing was sent
    written = (tmp_path / "outbox" / "messages.jsonl").read_text()
    assert "da co ket qua" not in written and "da duoc tiep nhan" in written


@pytest.mark.parametrize("kind", ["received", "supplement_requested", "payment_requested",
                                  "extended"])  # fmt: skip
def test_a_required_message_carries_no_opt_out_link(db, kind):
    sms, email = put(kind, Contact("sms", "0912345678"), Contact("email", "an@example.vn"))
    assert sms.required and email.required
    assert "/tu-choi/" not in sms.body and "/tu-choi/" not in email.body


@pytest.mark.parametrize("medium", ["sms", "email"])
def test_an_opt_out_stops_every_kind_that_may_be_stopped_on_its_channel(db, medium):
    """Every app's kinds (dossiers, appointments, feedback, tasks, the digest…), not one: the
    opt-out is per channel and address; only the kinds the person must receive still go."""
    from motcua.notifications.kinds import kinds_all

    class Sent:
        def __init__(self):
            self.kinds = []

        def send(self, notification):
            self.kinds.append((notification.kind, notification.medium))

    address = {"sms": "0912345678", "email": "an@example.vn"}
    other = "email" if medium == "sms" else "sms"
    OptOut.objects.create(medium=medium, recipient=address[medium])
    kinds = [k for k in kinds_all() if medium in k.media]
    assert len(kinds) > 10
    for kind in kinds:
        contacts = [Contact(m, address[m].upper()) for m in kind.media]
        outbox_put(about="x:1", kind=kind.name, data=kind.sample, contacts=contacts)
    channel = Sent()
    notifications_deliver(channel=channel, batch=1000)
    stopped = {k.name for k in kinds if not k.required}
    assert stopped and {n for n, m in channel.kinds if m == medium} == {
        k.name for k in kinds if k.required
    }
    assert (
        set(
            Notification.objects.filter(medium=medium, state="skipped").values_list(
                "kind", flat=True
            )
        )
        == stopped
    )
    # The other channel is not stopped.
    assert not Notification.objects.filter(medium=other, state="skipped").exists()
