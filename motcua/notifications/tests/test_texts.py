"""Templates: safe placeholders, SMS without diacritics and within a length, administrators'
edits used at once, defaults loaded by a command."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from motcua.notifications import texts
from motcua.notifications.models import MessageTemplate
from motcua.notifications.services import Contact, outbox_put

DATA = {
    "name": "Nguyễn Văn An",
    "code": "000.01.31.H99-261123-0001",
    "procedure": "Đăng ký khai sinh",
    "agency": "UBND xã An Bình",
    "due": "10:00 26/11/2026",
    "url": "https://motcua.example.vn/tra-cuu/?t=x",
    "note": "",
}


def edit(kind, medium, body, subject=""):
    row = MessageTemplate(kind=kind, medium=medium, subject=subject, body=body)
    row.full_clean()
    row.save()
    texts.templates_changed()
    return row


def test_an_sms_has_no_diacritics_and_an_email_keeps_them(db):
    _subject, sms = texts.render(kind="received", medium="sms", data=DATA, recipient="0912")
    assert sms.startswith("Ho so 000.01.31.H99-261123-0001 (Dang ky khai sinh) da duoc tiep nhan")
    assert sms.isascii()
    subject, body = texts.render(kind="received", medium="email", data=DATA, recipient="a@b.vn")
    assert subject == "Hồ sơ 000.01.31.H99-261123-0001: đã tiếp nhận, hẹn trả 10:00 26/11/2026"
    assert (
        "Kính gửi ông/bà Nguyễn Văn An," in body and "Cơ quan giải quyết: UBND xã An Bình" in body
    )


def test_sms_punctuation_and_symbols_become_plain_ascii():
    assert texts.sms_text("Đơn “gấp” – 8.000₫…") == 'Don "gap" - 8.000...'


@pytest.mark.parametrize(
    "body, says",
    [
        ("Ho so {code.__class__}", "không hợp lệ"),
        ("Ho so {code[0]}", "không hợp lệ"),
        ("Ho so {code!r}", "không hợp lệ"),
        ("Ho so {code:>40}", "không hợp lệ"),
        ("Ho so {0}", "không hợp lệ"),
        ("Ho so {}", "không hợp lệ"),
        ("Ho so {secret_key}", "Không có chỗ trống {secret_key}"),
        ("Ho so {code", "Dấu ngoặc nhọn không khớp"),
        ("Ho so code}", "Dấu ngoặc nhọn không khớp"),
    ],
)
def test_only_bare_whitelisted_placeholders_are_accepted(db, body, says):
    with pytest.raises(ValidationError) as refused:
        edit("received", "sms", body)
    assert says in refused.value.message_dict["body"][0]
    assert not MessageTemplate.objects.exists()


def test_a_value_is_inserted_as_it_is_never_read_as_a_template(db):
    edit("received", "email", "{{code}} = {code}; {name}", subject="{code}")
    data = {**DATA, "name": "{code} {{code}} {url.__class__}"}
    subject, body = texts.render(kind="received", medium="email", data=data, recipient="a@b.vn")
    assert subject == "000.01.31.H99-261123-0001"
    assert body == "{code} = 000.01.31.H99-261123-0001; {code} {{code}} {url.__class__}"


def test_a_message_that_may_be_stopped_must_carry_its_opt_out_link(db):
    with pytest.raises(ValidationError) as refused:
        edit("result_ready", "sms", "Ho so {code} da co ket qua.")
    assert "{opt_out_url}" in refused.value.message_dict["body"][0]
    edit("result_ready", "sms", "Ho so {code} da co ket qua. Tu choi: {opt_out_url}")
    with pytest.raises(ValidationError):  # a required one has no such placeholder
        edit("extended", "sms", "Ho so {code} tre hen. {opt_out_url}")


def test_an_sms_longer_than_the_limit_with_sample_data_is_refused(db, settings):
    settings.SMS_MAX_LENGTH = 120
    with pytest.raises(ValidationError) as refused:
        edit("received", "sms", "Ho so {code} ({procedure}) da duoc tiep nhan. Tra cuu: {url}")
    assert "quá giới hạn 120" in refused.value.message_dict["body"][0]


def test_an_sms_is_fitted_by_shortening_the_procedure_name_first(db, settings):
    settings.SMS_MAX_LENGTH = 90
    data = {**DATA, "procedure": "Đăng ký khai sinh kết hợp đăng ký thường trú và cấp thẻ BHYT"}
    _s, sms = texts.render(kind="extended", medium="sms", data=data, recipient="0912")
    assert len(sms) <= 90
    edit("received", "sms", "Ho so {code}: {procedure}. Hen tra {due}.")
    _s, sms = texts.render(kind="received", medium="sms", data=data, recipient="0912")
    assert len(sms) == 90 and sms.endswith("... Hen tra 10:00 26/11/2026.")
    assert sms.startswith("Ho so 000.01.31.H99-261123-0001: Dang ky khai sinh")


def test_an_edited_template_is_what_the_next_message_says(db):
    edit(
        "received",
        "sms",
        "UBND xa: ho so {code} da nhan, hen {due}.",
    )
    rows = outbox_put(
        about="t:1", kind="received", data=DATA, contacts=[Contact("sms", "0912345678")]
    )
    assert rows[0].body == "UBND xa: ho so 000.01.31.H99-261123-0001 da nhan, hen 10:00 26/11/2026."
    assert rows[0].required


def test_a_stored_template_that_no_longer_parses_falls_back_to_the_default(db, caplog):
    MessageTemplate.objects.create(kind="received", medium="sms", body="Ho so {removed}")
    texts.templates_changed()
    _s, sms = texts.render(kind="received", medium="sms", data=DATA, recipient="0912")
    assert sms.startswith("Ho so 000.01.31.H99-261123-0001 (Dang ky khai sinh)")
    assert "dùng mẫu mặc định" in caplog.text


def test_the_loader_writes_every_default_once_and_keeps_edits(db):
    call_command("load_message_templates", stdout=None)
    count = MessageTemplate.objects.count()
    # Nine dossier kinds × SMS and e-mail, the officers' digest, feedback's two kinds
    # (received, answered), three appointment kinds and the citizens' one-time code, each
    # × SMS and e-mail; the tasks' six kinds, by e-mail only.
    assert count == 37
    for row in MessageTemplate.objects.all():
        row.full_clean()  # every default passes the checks an administrator's edit must
    MessageTemplate.objects.filter(kind="received", medium="sms").update(body="Sua {code}")
    call_command("load_message_templates")
    assert MessageTemplate.objects.count() == count
    assert MessageTemplate.objects.get(kind="received", medium="sms").body == "Sua {code}"
    call_command("load_message_templates", "--reset")
    assert MessageTemplate.objects.get(kind="received", medium="sms").body.startswith(
        "Ho so {code} ({procedure}) da duoc tiep nhan"
    )


def test_a_ready_text_still_goes_through_the_outbox(db):
    """Another app may put a message as ready text (``body=``): an SMS still loses its
    diacritics; the e-mail keeps them and its subject."""
    sms, email = outbox_put(
        about="ticket:1", kind="ticket_called", body="Mời số 15 đến quầy 2",
        contacts=[Contact("sms", "0912"), Contact("email", "a@b.vn", "Số thứ tự")],
    )  # fmt: skip
    assert sms.body == "Moi so 15 den quay 2" and not sms.required
    assert (email.subject, email.body) == ("Số thứ tự", "Mời số 15 đến quầy 2")
