"""Administrators edit the templates in the admin and preview them on sample data; a bad
template is refused with its reason and saves nothing; an agency's own administrator does
not reach them (they are the province's)."""

from django.urls import reverse

from motcua.notifications.models import MessageTemplate
from motcua.notifications.services import Contact, message_templates_load, outbox_put


def extended_sms() -> str:
    (sms,) = outbox_put(
        about="t:1", kind="extended", data={"code": "X-9", "due": "d", "note": "Lý do"},
        contacts=[Contact("sms", "0912")],
    )  # fmt: skip
    return sms.body


def test_an_administrator_edits_a_template_and_sees_it_rendered(client, admin_user):
    message_templates_load()
    row = MessageTemplate.objects.get(kind="extended", medium="sms")
    assert extended_sms().startswith("Ho so X-9 se tra cham")  # (the template is now kept)
    client.force_login(admin_user)
    url = reverse("admin:notifications_messagetemplate_change", args=[row.pk])
    page = client.get(url).text
    assert "{note}" in page and "Nội dung cán bộ ghi khi thao tác" in page  # placeholders
    assert "Ho so 000.00.31.H12-261123-0001 se tra cham" in page  # the preview
    answer = client.post(
        url, {"subject": "", "body": "Ho so {code} tre hen, hen moi {due}. {note}"}
    )
    assert answer.status_code == 302
    page = client.get(url).text
    assert "Ho so 000.00.31.H12-261123-0001 tre hen, hen moi 10:00 26/11/2026. Ban sao" in page
    assert extended_sms() == "Ho so X-9 tre hen, hen moi d. Ly do"  # used at once


def test_a_bad_template_is_refused_with_its_reason(client, admin_user):
    message_templates_load()
    row = MessageTemplate.objects.get(kind="received", medium="email")
    client.force_login(admin_user)
    url = reverse("admin:notifications_messagetemplate_change", args=[row.pk])
    page = client.post(url, {"subject": "{code.__init__}", "body": "x"})
    assert page.status_code == 200 and "không hợp lệ" in page.text
    row.refresh_from_db()
    assert row.subject == "Hồ sơ {code}: đã tiếp nhận, hẹn trả {due}"


def test_a_new_template_for_a_kind_and_medium_already_written_is_refused(client, admin_user):
    message_templates_load()
    client.force_login(admin_user)
    page = client.post(
        reverse("admin:notifications_messagetemplate_add"),
        {"kind": "received", "medium": "sms", "subject": "", "body": "Ho so {code}"},
    )
    assert page.status_code == 200 and "đã tồn tại" in page.text
    assert MessageTemplate.objects.filter(kind="received", medium="sms").count() == 1


def test_an_agencys_administrator_does_not_reach_the_templates(client, commune_admin):
    message_templates_load()
    client.force_login(commune_admin)
    answer = client.get(reverse("admin:notifications_messagetemplate_changelist"))
    assert answer.status_code == 403
