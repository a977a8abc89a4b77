"""A citizen on a phone (375 × 812): signs up with a one-time code, fills the profile (a wrong
ID number first), chooses a password, logs out and in again, finds their own dossier and not
another citizen's; another logs in with VNeID through a provider started for the test."""

from playwright.sync_api import expect

from .citizen import (
    DEMO_PHONE,
    fill_profile,
    log_in_with_code,
    log_in_with_password,
    log_out,
    my_dossiers,
    set_password,
    sign_up,
)

PHONE = "0987000111"
PASSWORD = "Hoa@Khe-Sanh-2026"


def submit_for(user):
    """A dossier submitted online from ``user``'s account, as the submission pages will."""
    from motcua.agencies.models import Desk
    from motcua.catalog.models import Procedure
    from motcua.citizens.selectors import applicant_for
    from motcua.dossiers.access import actor_for_user
    from motcua.dossiers.services import IncomingFile, Receipt, dossier_submit
    from motcua.dossiers.tests.factories import PDF

    return dossier_submit(
        desk=Desk.objects.get(agency__code="000.01.31.H50", code="mot-cua"),
        procedure_version=Procedure.objects.get(code="1.001193").current_version,
        actor=actor_for_user(user),
        receipt=Receipt(
            applicant=applicant_for(user), channel=2, files=[IncomingFile("to-khai.pdf", PDF)]
        ),
    )


def test_a_citizen_signs_up_on_a_phone_and_finds_only_their_dossiers(
    live_server, demo, phone_page, shot
):
    from motcua.citizens.models import CitizenProfile

    base, page = live_server.url, phone_page
    sign_up(page, base, name="Lê Thị Hoa", phone=PHONE, shot=shot)
    shot(page, "citizen-03-profile-new")

    form = page.locator("form", has=page.get_by_role("heading", name="Thông tin cá nhân"))
    form.get_by_label("Số định danh cá nhân (CCCD, 12 chữ số)").fill("04519000112")
    form.get_by_role("button", name="Lưu thông tin").click()
    expect(page.locator(".has-error .error")).to_contain_text("đúng 12 chữ số")
    shot(page, "citizen-04-profile-wrong-id")
    fill_profile(page, id_number="045190001122", address="Khối 1, xã Khe Sanh")
    set_password(page, PASSWORD)
    shot(page, "citizen-05-profile-saved")

    assert my_dossiers(page, base) == []
    expect(page.locator("main")).to_contain_text("Bạn chưa nộp hồ sơ nào")
    hoa = CitizenProfile.objects.get(phone=PHONE).user
    mine = submit_for(hoa)
    theirs = submit_for(CitizenProfile.objects.get(phone=DEMO_PHONE).user)
    assert mine.applicant_id_number == "045190001122"  # the profile filled the applicant

    log_out(page)
    log_in_with_password(page, base, PHONE, PASSWORD)
    assert my_dossiers(page, base) == ["Đăng ký khai sinh"]
    shot(page, "citizen-06-my-dossiers")
    page.locator(".my-dossiers .result-title").first.click()
    expect(page.locator(".facts")).to_contain_text("Lê Thị Hoa")
    expect(page.locator(".facts")).to_contain_text("Mới đăng ký")
    shot(page, "citizen-07-my-dossier")
    page.get_by_role("link", name="Theo dõi chi tiết, nộp phí, đánh giá").click()
    expect(page.locator("main")).to_contain_text("Đăng ký khai sinh")
    shot(page, "citizen-07b-follow-from-my-dossier")

    response = page.goto(f"{base}/cong-dan/ho-so/{theirs.uid.hex}/")
    assert response.status == 404
    expect(page.locator("main")).not_to_contain_text("Nguyễn Văn An")
    shot(page, "citizen-08-not-mine-404")

    page.goto(base + "/")
    log_out(page)
    log_in_with_code(page, base, PHONE)
    expect(page.locator("h1")).to_have_text("Hồ sơ của tôi")
    assert mine.applicant_user_id == hoa.pk


def test_a_citizen_logs_in_with_vneid(live_server, demo, phone_page, shot, settings):
    from motcua.citizens import oidc
    from motcua.citizens.tests.oidc_provider import CLIENT_ID, CLIENT_SECRET, Provider

    provider = Provider().start()
    settings.OIDC_DISCOVERY_URL = provider.discovery_url
    settings.OIDC_CLIENT_ID, settings.OIDC_CLIENT_SECRET = CLIENT_ID, CLIENT_SECRET
    settings.OIDC_CLAIM_ID_NUMBER = "cccd"
    oidc._client.cache_clear()
    provider.person = {
        "sub": "vneid-e2e",
        "name": "Hồ Thị Lan",
        "cccd": "045185002233",
        "phone_number": "0987000222",
        "phone_number_verified": True,
    }
    try:
        page = phone_page
        page.goto(live_server.url + "/cong-dan/dang-nhap/")
        shot(page, "citizen-09-log-in-with-vneid")
        page.get_by_role("link", name="Đăng nhập bằng VNeID").click()
        expect(page.locator("h1")).to_have_text("Tài khoản của tôi")
        expect(page.locator(".messages")).to_contain_text("VNeID")
        expect(page.get_by_label("Họ và tên")).to_have_value("Hồ Thị Lan")
        expect(page.get_by_label("Số định danh cá nhân (CCCD, 12 chữ số)")).to_have_attribute(
            "readonly", ""
        )
        shot(page, "citizen-10-vneid-profile")
    finally:
        provider.stop()
        oidc._client.cache_clear()
