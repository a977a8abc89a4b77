"""An officer makes a personal token on their profile page, the staff API answers to it, and
once revoked it no longer does (SPEC §12.2)."""

import re

from playwright.sync_api import expect

from .test_dossier_journeys import log_in


def test_an_officer_makes_and_revokes_a_token(live_server, demo, page, shot):
    base = live_server.url
    log_in(page, base, "motcua.khesanh")
    page.get_by_role("link", name=re.compile("Mã truy cập API")).click()
    expect(page.locator("h1")).to_have_text("Mã truy cập API cá nhân")
    page.get_by_label("Tên mã (dùng ở đâu)").fill("Điện thoại")
    page.get_by_role("button", name="Tạo mã").click()
    token = page.get_by_label("Mã truy cập", exact=True).input_value()
    assert token.startswith("mcu_")
    shot(page, "60-personal-token-created")

    answer = page.request.get(
        f"{base}/api/v1/inbox?box=unit", headers={"Authorization": f"Bearer {token}"}
    )
    assert answer.status == 200 and answer.json()["count"] > 0

    page.get_by_role("button", name="Thu hồi mã Điện thoại").click()
    expect(page.locator(".messages")).to_contain_text("Đã thu hồi mã “Điện thoại”")
    expect(page.locator("table.tokens")).to_contain_text("Đã thu hồi lúc")
    refused = page.request.get(
        f"{base}/api/v1/inbox?box=unit", headers={"Authorization": f"Bearer {token}"}
    )
    assert refused.status == 401
