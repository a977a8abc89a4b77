"""What a leader is shown (SPEC §9, §12.5): each figure with its value and its formula, the
QĐ 766 points per group, for an agency subtree and a period. The dashboard page, the API and
the report all take their figures from ``indicators_for``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.indicators import Period
from motcua.reports import figures
from motcua.reports.figures import Others, ProcedureOffer, Scope, Tally


@dataclass(frozen=True)
class Figure:
    """One figure: its API name, label, value (None: no data), formula, and whether it is a
    count of dossiers a leader can open as a list (its drill-down)."""

    key: str
    label: Promise
    value: int | Decimal | None
    formula: Promise
    unit: str = ""
    drill: bool = False

    @property
    def missing(self) -> bool:
        return self.value is None


@dataclass(frozen=True)
class Indicators:
    scope: Scope
    period: Period
    as_of: datetime
    tally: Tally
    offer: ProcedureOffer
    others: Others

    @property
    def figures(self) -> list[Figure]:
        t, o = self.tally, self.others
        return [
            Figure("received", _("Hồ sơ tiếp nhận"), t.received,
                   _("số hồ sơ tiếp nhận trong kỳ (mọi kênh)"), drill=True),
            Figure("received_online", _("Tiếp nhận trực tuyến"), t.received_online,
                   _("hồ sơ tiếp nhận trong kỳ qua kênh trực tuyến (kênh 2)"), drill=True),
            Figure("received_desk", _("Tiếp nhận trực tiếp"), t.received_desk,
                   _("hồ sơ tiếp nhận trong kỳ tại bộ phận một cửa (kênh 1)"), drill=True),
            Figure("received_post", _("Tiếp nhận qua bưu chính"), t.received_post,
                   _("hồ sơ tiếp nhận trong kỳ qua bưu chính công ích (kênh 3)"), drill=True),
            Figure("finished_early", _("Giải quyết trước hạn"), t.finished_early,
                   _("có kết quả trong kỳ, vào ngày trước ngày hẹn trả"), drill=True),
            Figure("finished_on_time", _("Giải quyết đúng hạn"), t.finished_on_time,
                   _("có kết quả trong kỳ, trong ngày hẹn trả, không muộn hơn giờ hẹn"),
                   drill=True),
            Figure("finished_late", _("Giải quyết quá hạn"), t.finished_late,
                   _("có kết quả trong kỳ sau giờ hẹn trả, hoặc bị yêu cầu bổ sung quá một lần"),
                   drill=True),
            Figure("open_on_time", _("Đang giải quyết, trong hạn"), t.open_on_time,
                   _("chưa có kết quả ở cuối kỳ và chưa đến hạn (thời gian chờ công dân không "
                     "tính)"), drill=True),
            Figure("open_overdue", _("Đang giải quyết, quá hạn"), t.open_overdue,
                   _("chưa có kết quả ở cuối kỳ và đã quá hạn, hoặc bị yêu cầu bổ sung quá một "
                     "lần"), drill=True),
            Figure("on_time_rate", _("Tỷ lệ đúng hạn"), t.on_time_rate,
                   _("(trước hạn + đúng hạn + đang giải quyết trong hạn) ÷ (số đó + quá hạn + "
                     "đang quá hạn) × 100"), unit="%"),
            Figure("average_processing_days", _("Thời gian giải quyết trung bình"),
                   t.average_days,
                   _("tổng thời gian từ tiếp nhận đến có kết quả của hồ sơ có kết quả trong kỳ "
                     "÷ số hồ sơ đó (ngày theo lịch)"), unit=" " + str(_("ngày"))),
            Figure("online_procedure_share", _("Tỷ lệ thủ tục trực tuyến"), self.offer.share,
                   _("thủ tục trực tuyến một phần + toàn trình ÷ thủ tục đang áp dụng × 100 "
                     "(đạt điểm tối đa từ 80 %)"), unit="%"),
            Figure("online_share", _("Tỷ lệ hồ sơ trực tuyến"), t.online_share,
                   _("hồ sơ tiếp nhận trực tuyến ÷ hồ sơ tiếp nhận × 100 (đạt điểm tối đa từ "
                     "50 %)"), unit="%"),
            Figure("online_payment_share", _("Tỷ lệ thanh toán trực tuyến"),
                   o.online_payment_share,
                   _("hồ sơ nộp phí trực tuyến ÷ hồ sơ có nộp phí × 100"), unit="%"),
            Figure("electronic_result_share", _("Tỷ lệ kết quả điện tử"), t.electronic_share,
                   _("hồ sơ có kết quả bản điện tử ÷ hồ sơ có kết quả trong kỳ × 100"),
                   unit="%"),
            Figure("digitisation_share", _("Tỷ lệ số hóa hồ sơ"), t.digitised_share,
                   _("hồ sơ có thành phần được quét và kết quả điện tử ÷ hồ sơ có kết quả "
                     "trong kỳ × 100 (đạt điểm tối đa từ 80 %)"), unit="%"),
            Figure("reuse_share", _("Tỷ lệ khai thác, sử dụng lại dữ liệu số hóa"),
                   o.reuse_share,
                   _("hồ sơ dùng lại giấy tờ đã số hóa ÷ hồ sơ tiếp nhận × 100"), unit="%"),
            Figure("satisfaction", _("Mức độ hài lòng"), o.satisfaction,
                   _("100 % − (tỷ lệ quá hạn + tỷ lệ hồ sơ bị phản ánh hoặc đánh giá không "
                     "hài lòng) (đạt điểm tối đa từ 90 %)"), unit="%"),
            Figure("feedback_on_time_rate", _("Phản ánh, kiến nghị xử lý đúng hạn"),
                   o.feedback_on_time_rate,
                   _("phản ánh, kiến nghị trả lời trong 15 ngày làm việc ÷ phản ánh, kiến nghị "
                     "đến hạn hoặc đã trả lời trong kỳ × 100"), unit="%"),
        ]  # fmt: skip

    def figure(self, key: str) -> Figure:
        return next(f for f in self.figures if f.key == key)

    @property
    def points(self) -> list[Group]:
        return qd766_points(self)


def indicators_for(
    scope: Scope, period: Period, now: datetime, *, tally: Tally | None = None
) -> Indicators:
    """``tally``: the scope's counts over the period when the caller has them already."""
    tally = tally if tally is not None else figures.total(scope, period, now)
    return Indicators(
        scope=scope,
        period=period,
        as_of=period.as_of(now),
        tally=tally,
        offer=figures.procedure_offer(scope),
        others=figures.others(scope, period, now, tally),
    )


# --- QĐ 766/QĐ-TTg: points per group ----------------------------------------------------------


@dataclass(frozen=True)
class Point:
    """One criterion of a group: the figure it is scored from (None: data we do not hold),
    its points, and the value from which it earns them all."""

    label: Promise
    points: Decimal
    figure: str | None
    full_at: Decimal = Decimal(100)


@dataclass(frozen=True)
class Group:
    label: Promise
    points: int
    criteria: list[tuple[Point, Decimal | None]]

    @property
    def scored(self) -> Decimal | None:
        """Points earned on the criteria we can score (None: none of them)."""
        earned = [s for _p, s in self.criteria if s is not None]
        return sum(earned, Decimal(0)) if earned else None

    @property
    def scorable(self) -> Decimal:
        return sum((p.points for p, s in self.criteria if s is not None), Decimal(0))

    @property
    def missing(self) -> list[Point]:
        return [p for p, s in self.criteria if s is None]


D = Decimal
#: The five groups (SPEC §9) and, in each, the criteria we know of. *Our choice*: a group's
#: points are shared evenly between its criteria, each scored in proportion to its figure up
#: to the value that earns full marks; the publicity criteria need data held by the national
#: portal, not by us.
QD766 = [
    (_("Công khai, minh bạch"), 18, [
        Point(_("Công khai thủ tục, quy trình trên Cổng Dịch vụ công"), D(6), None),
        Point(_("Tiến độ giải quyết hồ sơ được đồng bộ lên Cổng Dịch vụ công quốc gia"),
              D(6), None),
        Point(_("Công khai kết quả đánh giá, phản ánh kiến nghị"), D(6), None),
    ]),
    (_("Tiến độ giải quyết"), 20, [
        Point(_("Tỷ lệ hồ sơ giải quyết đúng hạn"), D(20), "on_time_rate"),
    ]),
    (_("Dịch vụ công trực tuyến"), 22, [
        Point(_("Tỷ lệ thủ tục cung cấp trực tuyến"), D("7.33"), "online_procedure_share",
              D(80)),
        Point(_("Tỷ lệ hồ sơ trực tuyến"), D("7.33"), "online_share", D(50)),
        Point(_("Tỷ lệ thanh toán trực tuyến"), D("7.34"), "online_payment_share"),
    ]),
    (_("Số hóa hồ sơ"), 22, [
        Point(_("Tỷ lệ số hóa hồ sơ, kết quả"), D("7.33"), "digitisation_share", D(80)),
        Point(_("Tỷ lệ cấp kết quả điện tử"), D("7.33"), "electronic_result_share"),
        Point(_("Tỷ lệ khai thác, sử dụng lại dữ liệu đã số hóa"), D("7.34"), "reuse_share"),
    ]),
    (_("Mức độ hài lòng"), 18, [
        Point(_("Mức độ hài lòng trong giải quyết thủ tục"), D(9), "satisfaction", D(90)),
        Point(_("Tiếp nhận, xử lý phản ánh kiến nghị đúng hạn"), D(9), "feedback_on_time_rate"),
    ]),
]  # fmt: skip


def score(point: Point, value: Decimal | None) -> Decimal | None:
    if point.figure is None or value is None:
        return None
    earned = point.points * min(Decimal(1), Decimal(value) / point.full_at)
    return earned.quantize(Decimal("0.01"))


def qd766_points(indicators: Indicators) -> list[Group]:
    values = {f.key: f.value for f in indicators.figures}
    return [
        Group(label, points, [(p, score(p, values.get(p.figure) if p.figure else None))
                              for p in criteria])
        for label, points, criteria in QD766
    ]  # fmt: skip
