"""The periodic report on handling administrative procedures, in the official layout: per
field and per agency, dossiers received (carried over from the previous period / new
online / new at the desk and by post), handled (early / on time / late) and in progress at
the period's end (on time / overdue). Counted by the same definitions as the dashboard
(``figures``); the carried-over dossiers are those open at the period's start."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext as _

from motcua.dossiers.indicators import Period
from motcua.reports import figures
from motcua.reports.figures import Row, Scope, Tally
from motcua.spreadsheet import csv_safe


@dataclass(frozen=True)
class Line:
    name: str
    carried: int
    new_online: int
    new_other: int
    early: int
    on_time: int
    late: int
    open_on_time: int
    open_overdue: int

    @property
    def received(self) -> int:
        return self.carried + self.new_online + self.new_other

    @property
    def handled(self) -> int:
        return self.early + self.on_time + self.late

    @property
    def in_progress(self) -> int:
        return self.open_on_time + self.open_overdue

    @property
    def cells(self) -> list[int]:
        return [self.received, self.carried, self.new_online, self.new_other, self.handled,
                self.early, self.on_time, self.late, self.in_progress, self.open_on_time,
                self.open_overdue]  # fmt: skip


def headers() -> list[str]:
    return [
        _("Tổng số hồ sơ tiếp nhận"), _("Kỳ trước chuyển qua"), _("Mới tiếp nhận trực tuyến"),
        _("Mới tiếp nhận trực tiếp và qua bưu chính"), _("Tổng số đã giải quyết"),
        _("Trước hạn"), _("Đúng hạn"), _("Quá hạn"), _("Tổng số đang giải quyết"),
        _("Trong hạn"), _("Quá hạn"),
    ]  # fmt: skip


def _line(name: str, tally: Tally, carried: Tally | None) -> Line:
    c = (carried.open_on_time + carried.open_overdue) if carried else 0
    return Line(name, c, tally.received_online, tally.received - tally.received_online,
                tally.finished_early, tally.finished_on_time, tally.finished_late,
                tally.open_on_time, tally.open_overdue)  # fmt: skip


@dataclass(frozen=True)
class Report:
    period: Period
    by_field: list[Line]
    by_agency: list[Line]
    total: Line


def report_for(scope: Scope, period: Period, now: datetime) -> Report:
    current = figures.breakdown(scope, period, now)
    before = figures.breakdown(scope, Period(period.start, period.start), now)

    def lines(rows: list[Row], earlier: list[Row]) -> list[Line]:
        current_rows = {r.key: r.tally for r in rows}
        carried = {r.key: r.tally for r in earlier}
        names = {r.key: r.name for r in [*earlier, *rows]}
        return [
            _line(names[k], current_rows.get(k, Tally()), carried.get(k))
            for k in sorted(names, key=names.get)
        ]

    return Report(
        period,
        lines(current.by_field, before.by_field),
        lines(current.by_agency, before.by_agency),
        _line(_("Tổng cộng"), current.total, before.total),
    )


def report_csv(report: Report) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([csv_safe(h) for h in [_("Lĩnh vực / cơ quan"), *headers()]])
    for title, lines in ((_("Theo lĩnh vực"), report.by_field),
                         (_("Theo cơ quan"), report.by_agency)):  # fmt: skip
        writer.writerow([csv_safe(title)])
        for line in lines:
            writer.writerow([csv_safe(line.name), *line.cells])
    writer.writerow([csv_safe(report.total.name), *report.total.cells])
    return out.getvalue()


def report_xlsx(report: Report, *, agency_name: str, first, last) -> bytes:
    """The report as a formatted workbook: a title, the two-row official header, a row per
    field then per agency, the total."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = _("Báo cáo")
    thin = Side(style="thin", color="808080")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    bold = Font(bold=True)
    sheet.append([_("BÁO CÁO TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH")])
    sheet.append([f"{agency_name} — {first:%d/%m/%Y} – {last:%d/%m/%Y}"])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=12)
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=12)
    sheet.append([])
    groups = [(_("Lĩnh vực / cơ quan"), 1), (_("Số hồ sơ tiếp nhận"), 4),
              (_("Số hồ sơ đã giải quyết"), 4), (_("Số hồ sơ đang giải quyết"), 3)]  # fmt: skip
    column = 1
    for label, span in groups:
        sheet.cell(row=4, column=column, value=label)
        if span > 1:
            sheet.merge_cells(start_row=4, start_column=column, end_row=4,
                              end_column=column + span - 1)  # fmt: skip
        column += span
    sheet.merge_cells(start_row=4, start_column=1, end_row=5, end_column=1)
    for i, header in enumerate(headers(), start=2):
        sheet.cell(row=5, column=i, value=header)
    fill = PatternFill("solid", fgColor="DDE6F0")
    for row in sheet.iter_rows(min_row=4, max_row=5, max_col=12):
        for cell in row:
            cell.font, cell.fill, cell.border = bold, fill, box
            cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
    for title, lines in ((_("Theo lĩnh vực"), report.by_field),
                         (_("Theo cơ quan"), report.by_agency)):  # fmt: skip
        sheet.append([title])
        sheet.cell(row=sheet.max_row, column=1).font = bold
        for line in lines:
            sheet.append([line.name, *line.cells])
    sheet.append([report.total.name, *report.total.cells])
    for cell in sheet[sheet.max_row]:
        cell.font = bold
    for row in sheet.iter_rows(min_row=6, max_row=sheet.max_row, max_col=12):
        for cell in row:
            cell.border = box
    sheet.column_dimensions["A"].width = 42
    for i in range(2, 13):
        sheet.column_dimensions[get_column_letter(i)].width = 14
    sheet.freeze_panes = "B6"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
