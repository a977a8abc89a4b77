"""Test-only settings and the named actors every access rule is tested against (STYLE.md)."""

import pytest
from django.contrib.auth import get_user_model

from motcua.agencies.models import Agency, AgencyLevel, Desk, Membership, Role, Unit


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    from django.core.cache import cache

    from motcua import ttlcache
    from motcua.dossiers.process import version_facts_clear

    ttlcache.clear_all()  # ids are reused between tests; cached rows must not be
    cache.clear()  # counters, when a test puts them in Django's cache
    version_facts_clear()
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.AXES_ENABLED = True


#: The domain's "now" in every test unless a test sets it (``clock``): a Monday morning, so
#: that dates written in tests never drift out of the rules' windows as real time passes.
TEST_TODAY = (2026, 11, 23, 9, 0)


@pytest.fixture(autouse=True)
def clock(monkeypatch):
    """Set the domain's "now" (``motcua.clock``): ``clock(moment)``."""
    from datetime import datetime

    from motcua import clock as domain_clock
    from motcua.workcalendar.calendar import VN_TZ

    state = {"now": datetime(*TEST_TODAY, tzinfo=VN_TZ)}
    monkeypatch.setattr(domain_clock, "now", lambda: state["now"])

    def set_now(moment):
        state["now"] = moment

    return set_now


@pytest.fixture
def levels(db):
    return {
        code: AgencyLevel.objects.create(code=code, name=name, rank=rank)
        for code, name, rank in [("tinh", "Tỉnh", 1), ("huyen", "Huyện", 2), ("xa", "Xã", 3)]
    }


@pytest.fixture
def province(levels):
    return Agency.objects.create(code="000.00.00.H99", name="UBND tỉnh Thử", level=levels["tinh"])


@pytest.fixture
def commune(levels, province):
    return Agency.objects.create(
        code="000.01.31.H99", name="UBND xã An Bình", level=levels["xa"], parent=province
    )


@pytest.fixture
def other_commune(levels, province):
    return Agency.objects.create(
        code="000.02.31.H99", name="UBND xã Bình Minh", level=levels["xa"], parent=province
    )


def _staff(username, agency, role, *, unit=None, desk=None, is_staff=False, superuser=False):
    user = get_user_model().objects.create_user(
        username=username,
        password="pw-" + username,
        first_name=username.title(),
        is_staff=is_staff,
        is_superuser=superuser,
    )
    Membership.objects.create(user=user, agency=agency, role=role, unit=unit, desk=desk)
    return user


@pytest.fixture
def desk_officer(commune):
    desk = Desk.objects.create(agency=commune, code="mot-cua", name="Bộ phận một cửa")
    return _staff("alice", commune, Role.DESK_OFFICER, desk=desk)


@pytest.fixture
def specialist(commune):
    unit = Unit.objects.create(agency=commune, code="tu-phap", name="Tư pháp", function="tu-phap")
    return _staff("bob", commune, Role.SPECIALIST, unit=unit)


@pytest.fixture
def unit_head(specialist, commune):
    """Head of the specialist's unit (lãnh đạo phòng Tư pháp)."""
    unit = specialist.memberships.get().unit
    return _staff("hung", commune, Role.UNIT_HEAD, unit=unit)


def _citizen(username, full_name, phone, email):
    from motcua.citizens.models import CitizenProfile

    first, last = full_name.split()[-1], " ".join(full_name.split()[:-1])
    user = get_user_model().objects.create_user(
        username=username, password="pw-" + username, first_name=first, last_name=last
    )
    CitizenProfile.objects.create(user=user, full_name=full_name, phone=phone, email=email)
    return user


@pytest.fixture
def citizen(db):
    """A citizen's own account (made on the citizens' side: a profile, no membership, not
    staff); logs in there with 0912000001 or dan@example.vn and the password pw-dan."""
    return _citizen("dan", "Nguyễn Dân", "0912000001", "dan@example.vn")


@pytest.fixture
def other_citizen(db):
    """Another citizen: none of the first one's dossiers is theirs."""
    return _citizen("em", "Trần Em", "0912000002", "em@example.vn")


@pytest.fixture
def leader(commune):
    return _staff("linh", commune, Role.AGENCY_LEADER)


@pytest.fixture
def other_agency_officer(other_commune):
    desk = Desk.objects.create(agency=other_commune, code="mot-cua", name="Bộ phận một cửa")
    return _staff("charlie", other_commune, Role.DESK_OFFICER, desk=desk)


@pytest.fixture
def admin_user(province):
    return _staff("root", province, Role.ADMINISTRATOR, is_staff=True, superuser=True)


@pytest.fixture
def commune_admin(commune):
    return _staff("quantri", commune, Role.ADMINISTRATOR, is_staff=True)


@pytest.fixture
def other_commune_admin(other_commune):
    return _staff("quantri2", other_commune, Role.ADMINISTRATOR, is_staff=True)
