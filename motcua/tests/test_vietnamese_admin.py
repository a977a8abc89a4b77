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


def axes_msgids() -> set[str]:
    """Every literal string django-axes marks for translation (it ships no Vietnamese)."""
    import ast

    import axes

    found = set()
    for path in Path(axes.__file__).parent.rglob("*.py"):
        if "migrations" in path.parts or "tests" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            name = getattr(node, "func", None)
            name = getattr(name, "id", getattr(name, "attr", ""))
            marked = isinstance(node, ast.Call) and name in ("_", "gettext", "gettext_lazy")
            if marked and node.args and isinstance(node.args[0], ast.Constant):
                found.add(node.args[0].value)
    return found


def test_every_string_of_the_log_in_lock_out_has_vietnamese():
    catalog = translation.trans_real.DjangoTranslation("vi", domain="django")._catalog
    assert len(axes_msgids()) > 25
    assert sorted(m for m in axes_msgids() if not catalog.get(m)) == []


def test_the_admin_shows_the_lock_outs_in_vietnamese(client, admin_user):
    from axes.models import AccessAttempt

    AccessAttempt.objects.create(
        user_agent="Firefox", ip_address="10.0.0.1", username="alice", http_accept="*/*",
        path_info="/dang-nhap/", get_data="", post_data="", failures_since_start=5,
    )  # fmt: skip
    client.force_login(admin_user)
    index = client.get(reverse("admin:index")).text
    assert "Khóa đăng nhập" in index and "các lần đăng nhập sai" in index.lower()
    page = client.get(reverse("admin:axes_accessattempt_changelist")).text
    for vietnamese in ["Địa chỉ IP", "Số lần đăng nhập sai", "Thời điểm đăng nhập"]:
        assert vietnamese in page
    for english in ["Failed Logins", "IP Address", "Attempt Time", "access attempts", "Axes"]:
        assert english not in page
