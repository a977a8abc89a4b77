"""The chairman of Khe Sanh opens the leaders' dashboard, filters a field, drills down to the
overdue dossiers, exports the quarterly report (the .xlsx's totals equal the database's
counts), then assigns a task that a unit reports on and sees its progress — in Chromium, at
1366 px and on a 390 px phone."""

import io
import re
from datetime import datetime

import pytest
from django.db.models import Q
from openpyxl import load_workbook
from playwright.sync_api import expect

from motcua import clock as domain_clock
from motcua.agencies.models import Agency
from motcua.dossiers.models import OPEN_STATUSES, Channel, Dossier
from motcua.tasks.models import Task
from motcua.workcalendar.calendar import VN_TZ

from .test_dossier_journeys import log_in

WIDE = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
QUARTER_START = datetime(2026, 10, 1, tzinfo=VN_TZ)


def open_at(moment) -> Q:
    """SPEC §9: open at ``moment`` — received before it, and finished at or after it or not
    finished and still in someone's hands."""
    return Q(received_at__lt=moment) & (
        Q(finished_at__gte=moment) | Q(finished_at__isnull=True, status__in=OPEN_STATUSES)
    )


@pytest.fixture
def clock_state(monkeypatch):
    """Monday 30/11/2026 09:00 for the demo's dossiers (its results are dated then), for the
    live server too; the test moves it on."""
    state = {"now": datetime(2026, 11, 30, 9, 0, tzinfo=VN_TZ)}
    monkeypatch.setattr(domain_clock, "now", lambda: state["now"])
    return state


def test_chairman_reads_the_figures_exports_the_report_and_follows_a_task(
    clock_state, live_server, demo, page, shot
):
    leader_clock = clock_state["now"] = datetime(2026, 11, 30, 11, 0, tzinfo=VN_TZ)
    base = live_server.url
    page.set_viewport_size(WIDE)
    log_in(page, base, "lanhdao.khesanh")
    page.get_by_role("link", name="Chỉ số giải quyết thủ tục hành chính").click()
    expect(page.locator("h1")).to_have_text("Chỉ số giải quyết thủ tục hành chính")
    shot(page, "50-leader-dashboard-1366")
    page.set_viewport_size(PHONE)
    shot(page, "51-leader-dashboard-390")
    page.set_viewport_size(WIDE)

    # Only the civil-status field: the dossier received twelve days ago is overdue.
    page.get_by_role("combobox", name="Lĩnh vực").select_option(label="Hộ tịch")
    page.get_by_role("button", name="Xem").click()
    expect(page).to_have_url(re.compile(r"linh_vuc=\d+"))
    overdue = page.locator("ul.figures a", has_text="Đang giải quyết, quá hạn")
    # open at the as-of moment (now) and past the due time
    late = Dossier.objects.filter(
        open_at(leader_clock), due_at__lt=leader_clock, procedure_version__fields__name="Hộ tịch"
    )
    assert late.count() >= 1
    expect(overdue.locator(".n")).to_have_text(str(late.count()))
    overdue.click()
    for dossier in late:
        expect(page.locator("main")).to_contain_text(dossier.code)
    shot(page, "52-leader-drill-overdue-1366")

    # The quarter's report, every field, exported to Excel.
    page.goto(f"{base}/can-bo/chi-so/?tu=01/10/2026&den=31/12/2026")
    page.get_by_role("link", name="Báo cáo định kỳ (Excel, CSV, bản in)").click()
    expect(page.locator("h1")).to_contain_text("Báo cáo tình hình")
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải Excel (.xlsx)").click()
    book = load_workbook(io.BytesIO(download.value.path().read_bytes()))
    total = next(r for r in book.active.iter_rows(values_only=True) if r[0] == "Tổng cộng")
    khe_sanh = Agency.objects.get(code="000.01.31.H50")
    mine = Dossier.objects.filter(deciding_agency=khe_sanh)
    new = mine.filter(received_at__gte=QUARTER_START, received_at__lt=leader_clock)
    carried = mine.filter(received_at__lt=QUARTER_START, finished_at__isnull=True)
    handled = mine.filter(finished_at__gte=QUARTER_START, finished_at__lt=leader_clock)
    still_open = mine.filter(open_at(leader_clock))
    assert new.count() > 0 and handled.count() > 0 and still_open.count() > 0
    received, carried_n, online, other, done, *_rest, in_progress, _on_time, overdue_n = total[1:]
    assert carried_n == carried.count() == 0
    assert online == new.filter(channel=Channel.ONLINE).count()
    assert online + other == new.count() and received == new.count()
    assert done == handled.count()
    assert in_progress == still_open.count()
    assert overdue_n == still_open.filter(due_at__lt=leader_clock).count()

    # A task to two units; the lead unit reports 30 %; the chairman sees it.
    page.get_by_role("link", name="Nhiệm vụ", exact=True).click()
    page.get_by_role("link", name="+ Giao nhiệm vụ").click()
    page.get_by_label("Tên nhiệm vụ").fill("Rà soát hồ sơ hộ tịch quá hạn quý IV")
    source = page.get_by_role("textbox", name=re.compile("^Văn bản giao việc"))
    source.fill("Kết luận giao ban ngày 30/11/2026")
    page.get_by_label("Nội dung, yêu cầu").fill("Rà soát từng hồ sơ quá hạn, báo cáo nguyên nhân.")
    page.get_by_label("Thời hạn").fill("5")
    page.get_by_label("Đơn vị chủ trì").select_option(label="Công chức Tư pháp - Hộ tịch")
    page.get_by_label("Văn phòng - Thống kê").check()
    page.get_by_role("button", name="Giao nhiệm vụ").click()
    expect(page.locator(".messages")).to_contain_text("Đã giao nhiệm vụ")
    task = Task.objects.get(title="Rà soát hồ sơ hộ tịch quá hạn quý IV")

    log_in(page, base, "tuphap.khesanh")
    page.get_by_role("link", name="Nhiệm vụ", exact=True).click()
    page.get_by_role("link", name="Rà soát hồ sơ hộ tịch quá hạn quý IV").click()
    page.get_by_label("Tiến độ đã đạt (%)").fill("30")
    page.get_by_label("Những việc đã làm").fill("Đã rà soát 1 hồ sơ quá hạn.")
    page.get_by_role("button", name="Gửi báo cáo tiến độ").click()
    expect(page.locator(".messages")).to_contain_text("Đã gửi báo cáo tiến độ")

    log_in(page, base, "lanhdao.khesanh")
    page.get_by_role("link", name="Nhiệm vụ", exact=True).click()
    page.get_by_role("link", name="Hoàng Văn Thắng").click()
    row = page.locator("table.tasks tr", has_text="Rà soát hồ sơ hộ tịch quá hạn quý IV")
    expect(row).to_contain_text("30%")
    assert Task.objects.get(pk=task.pk).progress == 30
