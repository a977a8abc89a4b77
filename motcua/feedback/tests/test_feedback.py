"""Feedback (PAKN, SPEC §8, §12.3, issue 10 item 8): about a procedure, an agency or a
dossier; routed to the agency that answers; assigned, answered, closed; due in 15 working
days on that agency's calendar; the person is told of the answer; an answer may be published
as a question and answer on the procedure's page."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from motcua.dossiers.access import SYSTEM
from motcua.dossiers.tests.factories import as_actor, vn
from motcua.feedback import access, services
from motcua.feedback.models import Feedback, FeedbackEvent
from motcua.feedback.selectors import feedback_figures, published_for_procedure
from motcua.notifications.models import Notification
from motcua.notifications.services import opt_out_set
from motcua.workcalendar.models import CalendarOverride

API = "/api/v1/public/feedback"
PERSON = {"name": "Trần Thị Bình", "phone": "0987654321", "email": "binh@example.vn"}


@pytest.fixture(autouse=True)
def _tree(province):
    """The province is the top of the tree: it answers feedback about the catalog."""


def send(about="procedure", code="1.001193", address="203.0.113.5", **over):
    data = {**PERSON, "content": "Lệ phí niêm yết khác số tiền thu.", **over}
    return services.feedback_submit(about=about, code=code, address=address, actor=SYSTEM, **data)


def api(client, body, address="203.0.113.5"):
    return client.post(API, body, content_type="application/json", REMOTE_ADDR=address)


# --- receiving and routing -------------------------------------------------------------------


def test_about_a_procedure_it_goes_to_the_catalogs_agency(version, province, commune):
    feedback = send()
    assert feedback.agency == province and feedback.procedure == version.procedure
    assert feedback.state == Feedback.State.RECEIVED and feedback.code.startswith("PA-261123-")


def test_the_catalogs_agency_is_configurable(version, commune, settings):
    settings.FEEDBACK_CATALOG_AGENCY = commune.code
    assert send().agency == commune


def test_about_an_agency_it_goes_to_that_agency(commune):
    feedback = send(about="agency", code=commune.code)
    assert feedback.agency == commune and feedback.about_agency == commune


def test_about_a_dossier_it_goes_to_the_agency_its_code_names(received, commune):
    feedback = send(about="dossier", code=received.code)
    assert feedback.agency == commune and feedback.dossier == received
    assert feedback.dossier_code == received.code
    assert feedback.procedure == received.procedure_version.procedure


def test_a_made_up_dossier_code_is_answered_like_a_real_one(client, received, commune, province):
    """The form must not tell a guesser which codes exist (the look-up's rule, SPEC §12):
    the same answer, the same agency and due time; the agency sorts it out."""
    made_up = received.code[:-4] + "9999"
    body = {**PERSON, "content": "Hồ sơ của tôi bị chậm."}
    real = api(client, {"about": {"dossier": received.code}, **body})
    fake = api(client, {"about": {"dossier": made_up}, **body}, address="198.51.100.7")
    assert real.status_code == fake.status_code == 201, fake.content
    assert real.json().keys() == fake.json().keys()
    assert real.json()["due_at"] == fake.json()["due_at"]
    guessed = Feedback.objects.get(code=fake.json()["code"])
    assert guessed.agency == commune and guessed.dossier is None
    assert guessed.dossier_code == made_up and guessed.procedure is None
    # The public form says the same too.
    form = {"about": "dossier", "dossier": made_up, **body}
    shown = client.post(reverse("feedback:submit"), form, REMOTE_ADDR="198.51.100.8")
    assert shown.status_code == 302
    # The person's page names what they typed, nothing of the dossier behind it.
    assert received.procedure_version.name not in client.get(shown["Location"]).text
    # A code that names no agency goes to the catalog's agency.
    assert send(about="dossier", code="KHONG-CO").agency == province


def test_due_in_15_working_days_on_the_agencys_calendar(commune, clock):
    # Monday 23/11 09:00 + 15 working days, Tuesday 24/11 being a holiday (Ngày Văn hóa
    # Việt Nam) = Tuesday 15/12 09:00.
    assert send(about="agency", code=commune.code).due_at == vn(2026, 12, 15, 9)
    CalendarOverride.objects.create(
        date=date(2026, 12, 1), kind="day_off", reason="Nghỉ bù", agency=commune
    )
    from motcua import ttlcache

    ttlcache.clear_all()
    assert send(about="agency", code=commune.code).due_at == vn(2026, 12, 16, 9)


@pytest.mark.parametrize(
    "over, field",
    [
        ({"name": ""}, "name"),
        ({"phone": "", "email": ""}, "phone"),
        ({"phone": "12ab"}, "phone"),
        ({"email": "khong-phai-email"}, "email"),
        ({"content": "  "}, "content"),
        ({"content": "x" * 5001}, "content"),
        ({"content": "a\x00b"}, "content"),
        ({"about": "procedure", "code": "9.999999"}, "about.procedure"),
        ({"about": "dossier", "code": ""}, "about.dossier"),
        ({"about": "dossier", "code": "H" * 61}, "about.dossier"),
        ({"about": "agency", "code": ""}, "about.agency"),
        ({"about": "person", "code": "x"}, "about"),
    ],
)
def test_bad_input_is_named_and_nothing_stored(version, commune, over, field):
    with pytest.raises(ValidationError) as refused:
        send(**over)
    assert field in refused.value.message_dict
    assert not Feedback.objects.exists() and not Notification.objects.exists()


def test_the_person_is_told_it_was_received(version):
    feedback = send()
    sms = Notification.objects.get(kind="feedback_received", medium="sms")
    assert feedback.code in sms.body and "15/12/2026" in sms.body
    assert Notification.objects.filter(kind="feedback_received", medium="email").exists()


def test_feedback_is_limited_per_address(version, settings):
    settings.FEEDBACK_PER_HOUR = 2
    send(), send()
    with pytest.raises(services.TooManyFeedback):
        send()
    send(address="198.51.100.1")  # another address is not held back
    assert Feedback.objects.count() == 3


# --- the API (SPEC §12.3) --------------------------------------------------------------------


def test_the_api_answers_the_code_and_due_time(client, version):
    body = {"about": {"procedure": "1.001193"}, **PERSON, "content": "Hỏi về lệ phí."}
    answer = api(client, body)
    assert answer.status_code == 201, answer.content
    assert answer.json()["due_at"].startswith("2026-12-15T09:00:00+07:00")
    assert Feedback.objects.get().code == answer.json()["code"]


@pytest.mark.parametrize(
    "about",
    [{}, {"procedure": "1.001193", "agency": "000.01.31.H99"}, {"person": "x"}],
)
def test_the_api_wants_exactly_one_subject(client, version, commune, about):
    answer = api(client, {"about": about, **PERSON, "content": "x"})
    assert answer.status_code == 422 and not Feedback.objects.exists()


def test_the_api_names_the_wrong_field(client, version):
    answer = api(client, {"about": {"procedure": "9.999999"}, "name": "An", "content": "x"})
    assert answer.status_code == 422
    assert not Feedback.objects.exists()


def test_the_api_answers_429_past_the_limit(client, version, settings):
    settings.FEEDBACK_PER_HOUR = 1
    body = {"about": {"procedure": "1.001193"}, **PERSON, "content": "x"}
    assert api(client, body).status_code == 201
    limited = api(client, body)
    assert limited.status_code == 429 and int(limited["Retry-After"]) > 0


# --- the agency's work -----------------------------------------------------------------------


@pytest.fixture
def about_dossier(received):
    return send(about="dossier", code=received.code)


def test_the_leader_assigns_the_officer_answers_the_leader_closes(
    about_dossier, leader, specialist
):
    f = services.feedback_assign(
        actor=as_actor(leader), feedback_id=about_dossier.pk, assignee="bob", note="Xem giúp"
    )
    assert f.state == "assigned" and f.assignee == specialist
    f = services.feedback_answer(
        actor=as_actor(specialist), feedback_id=f.pk, answer="Đã hoàn lại 8.000 đồng."
    )
    assert f.state == "answered" and f.answered_on_time is True
    f = services.feedback_close(actor=as_actor(leader), feedback_id=f.pk)
    assert f.state == "closed" and f.closed_at is not None
    actions = list(FeedbackEvent.objects.values_list("action", flat=True).order_by("pk"))
    assert actions == ["receive", "assign", "answer", "close"]


def test_who_may_act(about_dossier, leader, specialist, desk_officer, other_agency_officer):
    with pytest.raises(PermissionDenied):
        services.feedback_assign(
            actor=as_actor(specialist), feedback_id=about_dossier.pk, assignee="bob"
        )
    with pytest.raises(ValidationError, match="tình trạng"):  # not assigned yet
        services.feedback_answer(
            actor=as_actor(leader), feedback_id=about_dossier.pk, answer="Trả lời"
        )
    with pytest.raises(ValidationError):  # an officer of another agency
        services.feedback_assign(
            actor=as_actor(leader), feedback_id=about_dossier.pk, assignee="charlie"
        )
    services.feedback_assign(actor=as_actor(leader), feedback_id=about_dossier.pk, assignee="bob")
    with pytest.raises(PermissionDenied):  # a colleague it was not given to
        services.feedback_answer(
            actor=as_actor(desk_officer), feedback_id=about_dossier.pk, answer="Trả lời"
        )
    with pytest.raises(ValidationError):  # not answered yet
        services.feedback_close(actor=as_actor(leader), feedback_id=about_dossier.pk)
    assert Feedback.objects.get().state == "assigned"


def test_who_may_see(client, about_dossier, leader, specialist, desk_officer, other_agency_officer):
    def seen(user):
        return access.feedback_get_visible(as_actor(user), code=about_dossier.code) is not None

    assert seen(leader) and not seen(specialist) and not seen(other_agency_officer)
    services.feedback_assign(actor=as_actor(leader), feedback_id=about_dossier.pk, assignee="bob")
    assert seen(specialist) and not seen(desk_officer)
    detail = reverse("feedback_staff:detail", args=[about_dossier.code])
    for user, status in ((other_agency_officer, 404), (desk_officer, 404), (specialist, 200)):
        client.force_login(user)
        assert client.get(detail).status_code == status, user


def test_the_answer_reaches_the_person_even_after_an_opt_out(about_dossier, leader, specialist):
    opt_out_set(medium="sms", recipient=PERSON["phone"], stopped=True)
    services.feedback_assign(actor=as_actor(leader), feedback_id=about_dossier.pk, assignee="bob")
    services.feedback_answer(
        actor=as_actor(specialist), feedback_id=about_dossier.pk, answer="Đã hoàn lại lệ phí."
    )
    sms = Notification.objects.get(kind="feedback_answered", medium="sms")
    assert sms.state != Notification.State.SKIPPED and sms.required
    email = Notification.objects.get(kind="feedback_answered", medium="email")
    assert "Đã hoàn lại lệ phí." in email.body


def test_answered_late_is_told_apart(about_dossier, leader, specialist, clock):
    services.feedback_assign(actor=as_actor(leader), feedback_id=about_dossier.pk, assignee="bob")
    clock(vn(2026, 12, 15, 9, 1))
    f = services.feedback_answer(
        actor=as_actor(specialist), feedback_id=about_dossier.pk, answer="Xin lỗi vì trả lời chậm."
    )
    assert f.answered_on_time is False
    figures = feedback_figures(agency_ids=[f.agency_id])
    assert (figures.received, figures.answered_late, figures.answered_on_time) == (1, 1, 0)


def test_open_feedback_counts_on_time_until_it_is_due(about_dossier, clock):
    assert feedback_figures(agency_ids=[about_dossier.agency_id]).on_time_rate == 1.0
    clock(vn(2026, 12, 15, 9, 1))
    figures = feedback_figures(agency_ids=[about_dossier.agency_id])
    assert figures.open_overdue == 1 and figures.on_time_rate == 0.0
    assert feedback_figures(agency_ids=[about_dossier.agency_id], start=date(2026, 12, 1)) is None


# --- the person's page and the questions and answers --------------------------------------


def test_the_persons_page_shows_the_answer_not_what_they_wrote(
    client, about_dossier, leader, specialist
):
    sms = Notification.objects.get(kind="feedback_received", medium="sms")
    url = next(word for word in sms.body.split() if "/phan-anh/xem/" in word)
    path = "/" + url.split("/", 3)[3]
    page = client.get(path)
    assert page.status_code == 200 and about_dossier.code in page.text
    assert PERSON["name"] not in page.text and "Lệ phí niêm yết" not in page.text
    services.feedback_assign(actor=as_actor(leader), feedback_id=about_dossier.pk, assignee="bob")
    services.feedback_answer(
        actor=as_actor(specialist), feedback_id=about_dossier.pk, answer="Đã hoàn lại lệ phí."
    )
    assert "Đã hoàn lại lệ phí." in client.get(path).text
    assert client.get(path[:-3] + "xx/").status_code == 404


def test_a_published_answer_shows_on_the_procedure_page(
    client, version, about_dossier, leader, specialist
):
    services.feedback_assign(actor=as_actor(leader), feedback_id=about_dossier.pk, assignee="bob")
    services.feedback_answer(
        actor=as_actor(specialist), feedback_id=about_dossier.pk, answer="Lệ phí là 8.000 đồng."
    )
    with pytest.raises(PermissionDenied):
        services.feedback_publish(
            actor=as_actor(specialist), feedback_id=about_dossier.pk, question="Q", answer="A"
        )
    services.feedback_publish(
        actor=as_actor(leader),
        feedback_id=about_dossier.pk,
        question="Lệ phí đăng ký khai sinh là bao nhiêu?",
        answer="Lệ phí là 8.000 đồng.",
    )
    procedure = reverse("portal:procedure_detail", args=[version.procedure.code])
    page = client.get(procedure).text
    assert "Lệ phí đăng ký khai sinh là bao nhiêu?" in page and "Lệ phí là 8.000 đồng." in page
    assert PERSON["name"] not in page and PERSON["phone"] not in page
    services.feedback_publish(
        actor=as_actor(leader), feedback_id=about_dossier.pk, question="", answer="",
        publish=False,
    )  # fmt: skip
    assert published_for_procedure(procedure_id=version.procedure.pk) == []


def test_feedback_about_an_agency_is_not_published(commune, leader, specialist):
    f = send(about="agency", code=commune.code)
    services.feedback_assign(actor=as_actor(leader), feedback_id=f.pk, assignee="bob")
    services.feedback_answer(actor=as_actor(specialist), feedback_id=f.pk, answer="Đã chấn chỉnh.")
    with pytest.raises(ValidationError, match="không công khai"):
        services.feedback_publish(
            actor=as_actor(leader), feedback_id=f.pk, question="Q", answer="A"
        )


# --- the pages -------------------------------------------------------------------------------


def test_the_public_form_sends_and_shows_the_status(client, version):
    form = client.get(reverse("feedback:submit"), {"thu-tuc": "1.001193"})
    assert "Đăng ký khai sinh" in form.text
    sent = client.post(
        reverse("feedback:submit"),
        {"about": "procedure", "procedure": "1.001193", **PERSON, "content": "Hỏi lệ phí."},
        follow=True,
    )
    assert sent.status_code == 200 and Feedback.objects.get().code in sent.text
    assert "15/12/2026" in sent.text


def test_the_public_form_shows_what_is_wrong(client, version):
    shown = client.post(
        reverse("feedback:submit"),
        {"about": "procedure", "procedure": "1.001193", "name": "An", "content": "x"},
    )
    assert shown.status_code == 422 and "số điện thoại hoặc thư điện tử" in shown.text
    assert not Feedback.objects.exists()


def test_the_staff_pages_assign_and_answer(client, about_dossier, leader, specialist):
    client.force_login(leader)
    listing = client.get(reverse("feedback_staff:list")).text
    assert about_dossier.code in listing
    act = reverse("feedback_staff:act", args=[about_dossier.code, "assign"])
    assert client.post(act, {"assignee": "bob", "note": ""}).status_code == 302
    client.force_login(specialist)
    answer = reverse("feedback_staff:act", args=[about_dossier.code, "answer"])
    assert client.post(answer, {"answer": ""}).status_code == 422
    assert client.post(answer, {"answer": "Đã xử lý."}).status_code == 302
    assert Feedback.objects.get().state == "answered"
