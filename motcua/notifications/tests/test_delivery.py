"""Messages that reach people (the issue's "done when"): every event of a dossier sends its
SMS to a fake HTTP gateway and its e-mail to a real SMTP server (aiosmtpd), with the right
text; with both down for a while then up, everything is delivered, once."""

import os
import signal
import subprocess
import sys
import threading
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import act, applicant, as_actor, receive, vn
from motcua.notifications.channels import channel_get, message_id
from motcua.notifications.models import Notification
from motcua.notifications.services import notifications_deliver
from motcua.notifications.tests.fakes import FakeSmsGateway, FakeSmtpServer
from motcua.tests.liveserver import ROOT, database_url, manage, server_env

NOTE_SUPPLEMENT = "Bản sao giấy chứng nhận kết hôn của cha mẹ."
NOTE_PAYMENT = "Lệ phí đăng ký: 8.000 đồng."
NOTE_LATE = "Cần xác minh thêm tại nơi cư trú."


@pytest.fixture
def gateway():
    fake = FakeSmsGateway()
    yield fake
    fake.close()


@pytest.fixture
def smtp():
    fake = FakeSmtpServer()
    yield fake
    fake.close()


@pytest.fixture
def real_channels(settings, gateway, smtp):
    settings.SMS_CHANNEL = "http"
    settings.SMS_GATEWAY_URL = gateway.url
    settings.SMS_GATEWAY_SUCCESS = "code=100"
    settings.EMAIL_CHANNEL = "smtp"
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", smtp.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 10


def every_event(desk, version, desk_officer, specialist, leader, citizen, clock):
    """One dossier through every event that tells the applicant something, and one
    submitted online then accepted."""
    from motcua.dossiers.services import Receipt, dossier_submit

    clock(vn(2026, 11, 23, 9))
    dossier = receive(desk, version, actor=desk_officer)
    dossier = act(dossier, "forward", desk_officer)
    dossier = act(dossier, "request_supplement", specialist, note=NOTE_SUPPLEMENT,
                  missing_documents=["Giấy chứng sinh"])  # fmt: skip
    dossier = act(dossier, "supplement_received", desk_officer)
    dossier = act(dossier, "request_payment", specialist, note=NOTE_PAYMENT)
    dossier = act(dossier, "payment_received", specialist)
    dossier = act(dossier, "extend", leader, note=NOTE_LATE, new_due_at=vn(2026, 11, 30, 10))
    dossier = act(dossier, "forward", specialist)
    dossier = act(dossier, "approve", leader, paper_result=True)
    online = dossier_submit(
        desk=desk, procedure_version=version, actor=as_actor(citizen),
        receipt=Receipt(applicant=applicant(phone="0987654321", email="binh@example.vn"),
                        channel=2),
    )  # fmt: skip
    online = act(online, "accept", desk_officer)
    return Dossier.objects.get(pk=dossier.pk), Dossier.objects.get(pk=online.pk)


def expected_texts(dossier, online):
    """(SMS text start, e-mail subject, a line of the e-mail) of each kind, as the default
    templates write them."""
    code, due = dossier.code, "10:00 30/11/2026"
    first_due = f"{dossier.original_due_at.astimezone(vn(2026, 1, 1).tzinfo):%H:%M %d/%m/%Y}"
    online_due = f"{online.due_at.astimezone(vn(2026, 1, 1).tzinfo):%H:%M %d/%m/%Y}"
    return {
        (dossier.uid, "received"): (
            f"Ho so {code} (Dang ky khai sinh) da duoc tiep nhan. Hen tra: {first_due}. "
            "Tra cuu: http",
            f"Hồ sơ {code}: đã tiếp nhận, hẹn trả {first_due}",
            f"Mã hồ sơ: {code}\nCơ quan giải quyết: UBND xã An Bình\nHẹn trả kết quả: {first_due}",
        ),
        (dossier.uid, "supplement_requested"): (
            f"Ho so {code} can bo sung giay to. Vui long xem phieu yeu cau hoac tra cuu: http",
            f"Hồ sơ {code}: cần bổ sung giấy tờ",
            f"cần bổ sung, hoàn thiện:\n1. Giấy chứng sinh\n\nLý do: {NOTE_SUPPLEMENT}\n",
        ),
        (dossier.uid, "payment_requested"): (
            f"Ho so {code}: vui long thuc hien nghia vu tai chinh. Tra cuu: http",
            f"Hồ sơ {code}: đề nghị thực hiện nghĩa vụ tài chính",
            f"thực hiện nghĩa vụ tài chính:\n{NOTE_PAYMENT}\n",
        ),
        (dossier.uid, "extended"): (
            f"Ho so {code} se tra cham. Xin loi ong/ba. Hen tra moi: {due}.",
            f"Hồ sơ {code}: xin lỗi, hẹn trả mới {due}",
            f"Lý do: {NOTE_LATE}\nHẹn trả kết quả mới: {due}",
        ),
        (dossier.uid, "result_ready"): (
            f"Ho so {code} da co ket qua. Moi ong/ba den nhan theo hinh thuc da dang ky. "
            "Ngung nhan SMS: http",
            f"Hồ sơ {code}: đã có kết quả",
            "Ngừng nhận mọi thư không bắt buộc qua địa chỉ này: http",
        ),
        (online.uid, "submitted"): (
            "Ho so Dang ky khai sinh da duoc gui, dang cho tiep nhan. Theo doi: http",
            "Hồ sơ Đăng ký khai sinh đã được gửi",
            "đã được gửi đến UBND xã An Bình và đang chờ tiếp nhận",
        ),
        (online.uid, "received"): (
            f"Ho so {online.code} (Dang ky khai sinh) da duoc tiep nhan. Hen tra: {online_due}.",
            f"Hồ sơ {online.code}: đã tiếp nhận, hẹn trả {online_due}",
            f"Mã hồ sơ: {online.code}\n",
        ),
    }


def due_again():
    Notification.objects.exclude(state__in=["sent", "failed", "skipped"]).update(
        next_attempt_at=timezone.now() - timedelta(seconds=1)
    )


def check_each_delivered_once(gateway, smtp, dossier, online):
    """Each message in the gateway or the mailbox once, with the right text. (The rows as
    they were written: on SQLite, the worker process works on a copy of the database.)"""
    expected = expected_texts(dossier, online)
    rows = list(Notification.objects.all())
    assert len(rows) == 2 * len(expected)  # an SMS and an e-mail per event
    by_uid = {dossier.uid: dossier, online.uid: online}
    for row in rows:
        uid = next(u for u in by_uid if row.about == f"dossier:{u}")
        sms_start, subject, line = expected[(uid, row.kind)]
        if row.medium == "sms":
            got = gateway.delivered[str(row.key)]
            assert got.to == row.recipient == by_uid[uid].applicant_phone
            assert got.text == row.body and got.text.startswith(sms_start), got.text
            assert got.text.isascii()
        else:
            mail = smtp.mails[message_id(row)]
            assert mail.to == [by_uid[uid].applicant_email]
            assert mail.subject == subject
            assert line in mail.body and "Kính gửi ông/bà Nguyễn Văn An" in mail.body
            may_stop = row.kind in ("result_ready", "submitted")
            assert ("List-Unsubscribe" in mail.headers) == may_stop == (not row.required)
    sms_keys = {str(r.key) for r in rows if r.medium == "sms"}
    assert set(gateway.delivered) == sms_keys  # each once: a repeat is not a delivery
    assert set(smtp.mails) == {message_id(r) for r in rows if r.medium == "email"}


def test_every_event_reaches_the_gateway_and_the_mail_server_once_after_an_outage(
    version, desk, desk_officer, specialist, leader, citizen, clock, gateway, smtp,
    real_channels,
):  # fmt: skip
    dossier, online = every_event(desk, version, desk_officer, specialist, leader, citizen, clock)
    total = Notification.objects.count()
    assert total == 14

    gateway.down = smtp.down = True  # both down: every attempt fails, nothing is lost
    assert notifications_deliver(channel=channel_get()) == (0, total)
    assert Notification.objects.filter(state="pending", attempts=1).count() == total
    assert "503" in Notification.objects.filter(medium="sms").first().last_error
    assert "451" in Notification.objects.filter(medium="email").first().last_error
    assert notifications_deliver(channel=channel_get()) == (0, 0)  # waiting for its retry

    gateway.down = smtp.down = False  # up again
    due_again()
    assert notifications_deliver(channel=channel_get()) == (total, 0)
    due_again()
    assert notifications_deliver(channel=channel_get()) == (0, 0)
    assert set(Notification.objects.values_list("state", flat=True)) == {"sent"}
    check_each_delivered_once(gateway, smtp, dossier, online)

    # A worker killed after sending, before recording it: the message is sent again with
    # its key and Message-ID, and neither the gateway nor the mailbox gets a second copy.
    Notification.objects.update(state="pending", next_attempt_at=timezone.now())
    assert notifications_deliver(channel=channel_get()) == (total, 0)
    assert len(gateway.repeats) == len(smtp.repeats) == total // 2
    check_each_delivered_once(gateway, smtp, dossier, online)


@pytest.mark.django_db(transaction=True)
def test_the_worker_process_delivers_everything_once_when_the_gateways_come_back(
    version, desk, desk_officer, specialist, leader, citizen, clock, tmp_path, smtp,
):  # fmt: skip
    """The real worker (``send_notifications --loop``), configured only by the environment,
    against a gateway and a mail server that are down for its first attempts."""
    dossier, online = every_event(desk, version, desk_officer, specialist, leader, citizen, clock)
    gateway = FakeSmsGateway(down=True)
    smtp.down = True
    env = {
        **server_env(database_url(tmp_path), tmp_path / "media"),
        "MOTCUA_SMS_CHANNEL": "http",
        "MOTCUA_SMS_GATEWAY_URL": gateway.url,
        "MOTCUA_SMS_GATEWAY_SUCCESS": "code=100",
        "MOTCUA_EMAIL_CHANNEL": "smtp",
        "MOTCUA_EMAIL_HOST": "127.0.0.1",
        "MOTCUA_EMAIL_PORT": str(smtp.port),
        "MOTCUA_EMAIL_USE_TLS": "0",
        "MOTCUA_NOTIFICATION_RETRY_SECONDS": "0.2",
    }
    log = (tmp_path / "worker.log").open("w")
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "send_notifications", "--loop", "--interval", "0.2"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 180  # a busy machine starts the worker slowly
        while gateway.refused == 0 or smtp.refused == 0:  # it tried while they were down
            assert time.monotonic() < deadline, (tmp_path / "worker.log").read_text()
            time.sleep(0.05)
        threading.Timer(1.0, lambda: setattr(gateway, "down", False)).start()
        threading.Timer(1.0, lambda: setattr(smtp, "down", False)).start()
        while len(gateway.delivered) < 7 or len(smtp.mails) < 7:
            assert time.monotonic() < deadline, (tmp_path / "worker.log").read_text()
            time.sleep(0.05)
        time.sleep(1)  # time for a second copy, were one to be sent
    finally:
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(10)
        gateway.close()
    assert gateway.repeats == [] and smtp.repeats == []
    check_each_delivered_once(gateway, smtp, dossier, online)
    left = manage(env, "send_notifications")  # every message recorded as sent: none left
    assert "Đã gửi 0, lỗi 0" in left.stdout, left.stdout + left.stderr
