"""Delivery status on the dossier page: the dossier's messages, their recipients masked,
state, attempts and last error; one query however many messages."""

from django.urls import reverse
from django.utils import timezone

from motcua.dossiers.tests.factories import act, applicant, receive
from motcua.notifications.models import Notification
from motcua.notifications.selectors import recipient_masked


def test_the_dossier_page_lists_its_messages_and_how_they_went(client, version, desk, desk_officer):
    person = applicant(phone="0912345678", email="nguyenvanan@gmail.com")
    dossier = receive(desk, version, applicant=person)
    other = receive(desk, version, applicant=applicant(phone="0987000111"))
    Notification.objects.filter(medium="sms", about=f"dossier:{dossier.uid}").update(
        state="pending", attempts=3, last_error="Cổng SMS trả lời 503: Service Unavailable"
    )
    Notification.objects.filter(medium="email").update(state="sent", sent_at=timezone.now())
    client.force_login(desk_officer)
    page = client.get(reverse("dossiers:detail", args=[dossier.code])).text
    section = page[page.index('id="delivery-status-title"') :]
    assert "Tiếp nhận hồ sơ, hẹn trả kết quả" in section
    assert "091****678" in section and "ng***@gmail.com" in section
    assert "0912345678" not in section and "nguyenvanan@" not in section
    assert "Chờ gửi" in section and "Đã gửi" in section
    assert "Lỗi gần nhất: Cổng SMS trả lời 503" in section
    assert "<td>3</td>" in section
    assert "098****111" not in section  # another dossier's messages are not shown
    assert other.code


def test_the_section_costs_one_query_however_many_messages(
    client, version, desk, desk_officer, specialist, django_assert_max_num_queries
):
    dossier = receive(desk, version)
    url = reverse("dossiers:detail", args=[dossier.code])
    client.force_login(desk_officer)
    with django_assert_max_num_queries(60) as few:
        client.get(url)
    dossier = act(dossier, "forward", desk_officer)
    for _ in range(3):
        dossier = act(dossier, "request_payment", specialist, note="Lệ phí")
        dossier = act(dossier, "payment_received", specialist)
    assert Notification.objects.count() == 8
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url)
    assert page.status_code == 200
    assert page.text.count('<tr class="delivery-') == 8


def test_masking_keeps_enough_to_recognise_an_address():
    assert recipient_masked("sms", "0912345678") == "091****678"
    assert recipient_masked("email", "an@example.vn") == "an***@example.vn"
    assert recipient_masked("sms", "113") == "***"


def test_a_failure_without_a_recorded_reason_says_so(client, version, desk, desk_officer):
    dossier = receive(desk, version, applicant=applicant(phone="0912345678", email=""))
    Notification.objects.filter(medium="sms").update(state="failed", attempts=1, last_error="")
    client.force_login(desk_officer)
    page = client.get(reverse("dossiers:detail", args=[dossier.code])).text
    section = page[page.index('id="delivery-status-title"') :]
    assert "Lỗi gần nhất: không rõ lý do" in section
