"""The chairman of Khe Sanh gives a task to two units with a deadline, the lead unit reports
its progress with a file, and the chairman follows it on the page of his tasks — in
Chromium, at 1366 px and on a 390 px phone."""

import re
from datetime import datetime

import pytest
from playwright.sync_api import expect

from motcua import clock as domain_clock
from motcua.dossiers.tests.factories import PDF, PNG
from motcua.tasks.models import Task
from motcua.workcalendar.calendar import VN_TZ

from .test_dossier_journeys import log_in

WIDE = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def task_clock(monkeypatch):
    """Monday 30/11/2026 09:00 for the demo's tasks and the live server alike."""
    moment = datetime(2026, 11, 30, 9, 0, tzinfo=VN_TZ)
    monkeypatch.setattr(domain_clock, "now", lambda: moment)
    return moment


def test_chairman_assigns_a_unit_reports_the_chairman_sees_it(
    task_clock, live_server, demo, page, shot
):
    base = live_server.url
    page.set_viewport_size(WIDE)
    log_in(page, base, "lanhdao.khesanh")
    page.get_by_role("link", name="Nhiệm vụ", exact=True).click()
    expect(page.locator("h1")).to_have_text("Nhiệm vụ")
    page.get_by_role("link", name="+ Giao nhiệm vụ").click()
    page.get_by_label("Tên nhiệm vụ").fill("Chuẩn bị điểm tiếp công dân định kỳ tháng 12")
    source = page.get_by_role("textbox", name=re.compile("^Văn bản giao việc"))
    source.fill("Thông báo số 120/TB-UBND ngày 27/11/2026")
    page.get_by_label("Nội dung, yêu cầu").fill(
        "Bố trí phòng tiếp, tổng hợp đơn thư tồn đọng, mời đại diện các khối phố."
    )
    pdf = {"name": "thong-bao-120.pdf", "mimeType": "application/pdf", "buffer": PDF}
    page.set_input_files("#files", files=[pdf])
    page.get_by_label("Thời hạn").fill("3")
    page.get_by_label("Đơn vị chủ trì").select_option(label="Công chức Tư pháp - Hộ tịch")
    page.get_by_label("Văn phòng - Thống kê").check()
    shot(page, "40-task-assign-1366")
    page.get_by_role("button", name="Giao nhiệm vụ").click()
    expect(page.locator(".messages")).to_contain_text("Đã giao nhiệm vụ")
    expect(page.locator(".facts")).to_contain_text("09:00 03/12/2026")  # 3 working days
    task = Task.objects.get(title__startswith="Chuẩn bị điểm tiếp công dân")

    # The lead unit's officer finds it in his list and reports 40 % with a photo.
    log_in(page, base, "tuphap.khesanh")
    page.get_by_role("link", name="Nhiệm vụ", exact=True).click()
    shot(page, "47-task-list-1366")
    page.get_by_role("link", name="Chuẩn bị điểm tiếp công dân định kỳ tháng 12").click()
    page.get_by_label("Tiến độ đã đạt (%)").fill("40")
    page.get_by_label("Những việc đã làm").fill("Đã bố trí phòng, tổng hợp 7 đơn thư tồn đọng.")
    page.set_input_files(
        "#report-files", files=[{"name": "phong-tiep.png", "mimeType": "image/png", "buffer": PNG}]
    )
    page.get_by_role("button", name="Gửi báo cáo tiến độ").click()
    expect(page.locator(".messages")).to_contain_text("Đã gửi báo cáo tiến độ")
    expect(page.locator("#task-progress")).to_have_text("40%")
    shot(page, "41-task-reported-1366")

    # The chairman sees it on his page of tasks: the bar, the table and the list.
    log_in(page, base, "lanhdao.khesanh")
    page.get_by_role("link", name="Nhiệm vụ", exact=True).click()
    page.get_by_role("link", name="Hoàng Văn Thắng").click()
    expect(page.locator("h1")).to_contain_text("Theo dõi nhiệm vụ do Hoàng Văn Thắng giao")
    row = page.locator("table.tasks tr", has_text="Chuẩn bị điểm tiếp công dân")
    expect(row).to_contain_text("40%")
    expect(row).to_contain_text("Đang thực hiện, trong hạn")
    expect(page.locator("svg.task-bar").first).to_be_visible()
    lead = page.locator("table.board-table tr", has_text="Công chức Tư pháp - Hộ tịch")
    expect(lead).to_be_visible()
    shot(page, "42-task-board-1366")
    page.set_viewport_size(PHONE)
    shot(page, "43-task-board-390")
    row.get_by_role("link").click()
    expect(page.locator(".timeline")).to_contain_text("Báo cáo tiến độ")
    expect(page.locator(".timeline")).to_contain_text("phong-tiep.png")
    shot(page, "44-task-detail-390")
    assert Task.objects.get(pk=task.pk).progress == 40


def test_more_time_asked_by_the_unit_and_granted_by_the_chairman(
    task_clock, live_server, demo, page, shot
):
    """The demo's digital-transformation plan waits for the chairman's decision on 5 more
    working days; the officer of the colleague's unit, who is not the chairman, reads the
    shared page but not the task."""
    base = live_server.url
    task = Task.objects.get(title__startswith="Xây dựng kế hoạch chuyển đổi số")
    before = task.due_at
    log_in(page, base, "lanhdao.khesanh")
    page.goto(f"{base}/can-bo/nhiem-vu/{task.ref}/")
    page.set_viewport_size(PHONE)
    expect(page.locator("#decide-form")).to_contain_text("xin thêm 5 ngày làm việc")
    shot(page, "45-task-extension-decide-390")
    page.get_by_role("button", name="Đồng ý gia hạn").click()
    expect(page.locator(".messages")).to_contain_text("Đã đồng ý gia hạn")
    expect(page.locator(".facts")).to_contain_text("ban đầu")
    task.refresh_from_db()
    assert task.due_at > before

    log_in(page, base, "motcua.khesanh")  # a desk officer of the commune: the shared page
    page.goto(f"{base}/can-bo/nhiem-vu/theo-doi/000.01.31.H50/lanhdao.khesanh/")
    expect(page.locator("h1")).to_contain_text("Hoàng Văn Thắng")
    expect(page.locator("table.tasks")).to_contain_text("Xây dựng kế hoạch chuyển đổi số")
    expect(page.locator("table.tasks a")).to_have_count(0)  # the tasks themselves stay closed
    page.set_viewport_size(WIDE)
    shot(page, "46-task-board-shared-1366")
    assert re.search(r"/nhiem-vu/theo-doi/", page.url)
