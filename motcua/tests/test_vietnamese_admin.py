"""The administration speaks Vietnamese: where Django's own "vi" catalogue lacks a string of
the admin, the accounts pages or the forms, ``locale/vi`` has it (LOCALE_PATHS wins)."""

from pathlib import Path

import django
import polib
import pytest
from django.urls import reverse
from django.utils import translation

DJANGO = Path(django.__file__).parent
#: Django's catalogues whose strings show in the admin and on our forms, by domain.
CATALOGUES = {
    "django": ["contrib/admin", "contrib/auth", "contrib/contenttypes", "contrib/sessions", "conf"],
    "djangojs": ["contrib/admin"],
}


def msgids(domain: str):
    """Every (context, msgid, plural) Django has in ``domain``, from its English catalogues."""
    for package in CATALOGUES[domain]:
        for entry in polib.pofile(str(DJANGO / package / "locale/en/LC_MESSAGES" / f"{domain}.po")):
            if entry.msgid and not entry.obsolete:
                yield entry.msgctxt, entry.msgid, entry.msgid_plural


def key(context, msgid, plural):
    text = f"{context}\x04{msgid}" if context else msgid
    return (text, 0) if plural else text


@pytest.mark.parametrize("domain", CATALOGUES)
def test_every_string_django_shows_in_the_admin_has_vietnamese(domain):
    catalog = translation.trans_real.DjangoTranslation("vi", domain=domain)._catalog
    missing = [msgid for c, msgid, p in msgids(domain) if not catalog.get(key(c, msgid, p))]
    assert missing == []


def test_the_admin_shows_its_filters_and_password_help_in_vietnamese(client, admin_user):
    client.force_login(admin_user)
    changelist = client.get(reverse("admin:workcalendar_calendaroverride_changelist"))
    assert changelist.status_code == 200
    assert "Hiện số lượng" in changelist.text and "Show counts" not in changelist.text
    add_user = client.get(reverse("admin:auth_user_add"))
    assert add_user.status_code == 200
    assert "Đăng nhập bằng mật khẩu" in add_user.text
    for english in ["Password-based authentication", "Whether the user will be able", "Enabled"]:
        assert english not in add_user.text
