"""A citizen on a phone looks for a building permit: finds it without diacritics, reads where
and how to hand it in, sees the number to call, downloads the form, and opens the commune's
page with its figures counted now from its dossiers."""

import re

from playwright.sync_api import expect

from motcua.catalog.models import Procedure
from motcua.portal.submission import online_submit_url

PHONE = {"width": 375, "height": 812}


def test_citizen_finds_a_building_permit_on_a_phone(live_server, demo, browser, shot, tmp_path):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="vi-VN")
    page = context.new_page()

    page.goto(live_server.url + "/")
    page.get_by_label("Tên hoặc mã thủ tục").fill("giay phep xay dung")
    page.keyboard.press("Enter")
    titles = page.locator(".result-title")
    expect(titles.nth(0)).to_have_text("Cấp giấy phép xây dựng nhà ở riêng lẻ")
    expect(titles.nth(1)).to_have_text("Cấp giấy phép xây dựng sửa chữa, cải tạo nhà ở riêng lẻ")
    expect(titles.nth(2)).to_have_text("Gia hạn giấy phép xây dựng")
    shot(page, "30-phone-search-building-permit")

    titles.first.click()
    expect(page.locator("h1")).to_have_text("Cấp giấy phép xây dựng nhà ở riêng lẻ")
    how = page.get_by_role("region", name="Nộp hồ sơ ở đâu, bằng cách nào")
    expect(how).to_contain_text("Trực tiếp")
    expect(how).to_contain_text("Bưu chính công ích")
    # "một phần": online too, with a button to the submission page once that page exists
    start = online_submit_url(Procedure.objects.get(code="1.009994").current_version)
    if start is None:
        expect(how).not_to_contain_text("Trực tuyến")
        expect(how.get_by_role("link", name="Nộp trực tuyến")).to_have_count(0)
    else:
        expect(how).to_contain_text("Trực tuyến")
        expect(how.get_by_role("link", name="Nộp trực tuyến")).to_have_attribute("href", start)
    how.get_by_text("Ủy ban nhân dân xã Khe Sanh", exact=True).click()  # open its details
    call = how.get_by_role("link", name="Gọi 0233 3880 101")
    expect(call).to_be_visible()
    expect(call).to_have_attribute("href", "tel:02333880101")
    expect(how).to_contain_text("Mùa đông (1/10 – 31/3)")
    call.scroll_into_view_if_needed()
    shot(page, "31-phone-procedure-where-and-how", full_page=False)

    with page.expect_download() as download:
        page.get_by_role("link", name="Tải mẫu để điền (DOCX)").click()
    form = download.value
    assert form.suggested_filename == "Đơn đề nghị cấp giấy phép xây dựng (theo mẫu).docx"
    saved = tmp_path / "form.docx"
    form.save_as(saved)
    assert saved.read_bytes().startswith(b"PK\x03\x04")
    page.locator("#forms").scroll_into_view_if_needed()
    shot(page, "32-phone-procedure-forms", full_page=False)

    how.get_by_role("link", name="Trang của Ủy ban nhân dân xã Khe Sanh").click()
    expect(page.locator("h1")).to_have_text("Ủy ban nhân dân xã Khe Sanh")
    figures = page.get_by_role("region", name="Công khai kết quả giải quyết hồ sơ")
    expect(figures).to_contain_text("Tỷ lệ giải quyết đúng hạn")
    expect(figures).to_contain_text(re.compile(r"Cách tính: \(xong trước hạn"))
    expect(figures.get_by_text("chưa có dữ liệu").first).to_be_visible()
    expect(page.get_by_role("link", name="Gọi 0233 3880 101").first).to_be_visible()
    figures.scroll_into_view_if_needed()
    shot(page, "33-phone-agency-figures", full_page=False)
    page.get_by_text("Xây dựng", exact=True).click()  # the field's procedures
    expect(page.get_by_role("link", name="Cấp giấy phép xây dựng nhà ở riêng lẻ")).to_be_visible()
    shot(page, "34-phone-agency-page")
    context.close()
