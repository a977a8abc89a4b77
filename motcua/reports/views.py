"""The leaders' dashboard (SPEC §9) and the lists behind its figures. Only an agency's
leaders (and superusers) open it, for their agency and those below it; anyone else gets
404."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from motcua import charts, clock
from motcua.agencies.models import Agency
from motcua.agencies.selectors import membership_requests_to_decide
from motcua.dossiers.access import request_actor
from motcua.reports import access, figures, lists, periodic
from motcua.reports.board import indicators_for
from motcua.reports.figures import Scope
from motcua.reports.forms import DashboardFilterForm
from motcua.reports.periods import period_from

LIST_SIZE = 20
PAGE_SIZE = 50


@dataclass
class Filters:
    form: DashboardFilterForm
    agency: Agency
    scope: Scope
    period: object
    first: object
    last: object

    procedure_code: str = ""

    @property
    def query(self) -> str:
        """The resolved filters as a query string (for the drill-down links)."""
        values = {"co_quan": self.agency.code, "tu": self.first, "den": self.last}
        if self.scope.field_id:
            values["linh_vuc"] = self.scope.field_id
        if self.procedure_code:
            values["thu_tuc"] = self.procedure_code
        return urlencode(values)


def _filters(request) -> Filters:
    """The filters of the page's query, within what the actor may see (else 404)."""
    actor = request_actor(request)
    visible = access.led_agency_ids(actor)
    if not visible:
        raise Http404
    agencies = list(
        Agency.objects.filter(pk__in=visible)
        .select_related("level")
        .order_by("level__rank", "name")
    )
    form = DashboardFilterForm(request.GET or None, agencies=agencies)
    data = form.cleaned_data if form.is_valid() else {}
    agency = next((a for a in agencies if a.code == data.get("co_quan")), None)
    agency = agency or access.home_agency(actor)
    if agency is None:
        raise Http404
    field, procedure = data.get("linh_vuc"), data.get("thu_tuc")
    scope = Scope(
        access.subtree_for(actor, agency),
        field_id=field.pk if field else None,
        procedure_id=procedure.pk if procedure else None,
    )
    period, first, last = period_from(data.get("tu"), data.get("den"), now=clock.now())
    return Filters(form, agency, scope, period, first, last, procedure.code if procedure else "")


@login_required
def dashboard(request):
    f = _filters(request)
    now = clock.now()
    actor = request_actor(request)
    split = figures.breakdown(f.scope, f.period, now)
    found = indicators_for(f.scope, f.period, now, tally=split.total)
    line = figures.trend(f.scope, f.period, now)
    t = found.tally
    context = {
        "f": f,
        "now": now,
        "found": found,
        "counts": [x for x in found.figures if x.drill],
        "rates": [x for x in found.figures if not x.drill],
        "split": split,
        "line": line,
        "officers": figures.officers(f.scope, f.period, now)[:LIST_SIZE],
        # Roles given by an administrator that wait for this leader's confirmation.
        "pending_roles": membership_requests_to_decide(user=request.user).count(),
        "due_soon": lists.rows(actor, list(lists.due_soon(f.scope, now)[:LIST_SIZE])),
        "overdue": lists.rows(actor, list(lists.overdue(f.scope, now)[:LIST_SIZE])),
        "chart_channels": charts.bars(
            [
                (_("Trực tiếp"), t.received_desk),
                (_("Trực tuyến"), t.received_online),
                (_("Bưu chính"), t.received_post),
            ],
            title=_("Hồ sơ tiếp nhận theo kênh"),
        ),
        "chart_units": charts.bars(
            [(r.name, r.tally.on_time_rate) for r in split.by_unit],
            title=_("Tỷ lệ đúng hạn theo đơn vị"),
            unit="%",
            top_value=100,
        ),
        "chart_fields": charts.bars(
            [(r.name, r.tally.on_time_rate) for r in split.by_field],
            title=_("Tỷ lệ đúng hạn theo lĩnh vực"),
            unit="%",
            top_value=100,
        ),
        "chart_months": charts.line(
            [(m.start.strftime("%m/%Y"), tally.on_time_rate) for m, tally in line],
            title=_("Tỷ lệ đúng hạn theo tháng"),
        ),
    }
    return render(request, "reports/dashboard.html", context)


TITLES = {
    "received": lambda: _("Hồ sơ tiếp nhận"),
    "received_online": lambda: _("Hồ sơ tiếp nhận trực tuyến"),
    "received_desk": lambda: _("Hồ sơ tiếp nhận trực tiếp"),
    "received_post": lambda: _("Hồ sơ tiếp nhận qua bưu chính"),
    "finished_early": lambda: _("Hồ sơ giải quyết trước hạn"),
    "finished_on_time": lambda: _("Hồ sơ giải quyết đúng hạn"),
    "finished_late": lambda: _("Hồ sơ giải quyết quá hạn"),
    "open_on_time": lambda: _("Hồ sơ đang giải quyết trong hạn"),
    "open_overdue": lambda: _("Hồ sơ đang giải quyết quá hạn"),
    "finished_electronic": lambda: _("Hồ sơ có kết quả điện tử"),
    "finished_digitised": lambda: _("Hồ sơ đã số hóa"),
}


@login_required
def drill(request, figure):
    """The dossiers behind one figure, with the same filters; a dossier the leader may open
    is a link."""
    if figure not in TITLES:
        raise Http404
    f = _filters(request)
    now = clock.now()
    qs = lists.figure_dossiers(f.scope, f.period, now, figure)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("trang"))
    context = {
        "f": f,
        "title": TITLES[figure](),
        "page": page,
        "rows": lists.rows(request_actor(request), list(page.object_list)),
        "now": now,
    }
    return render(request, "reports/drill.html", context)


@login_required
def report(request):
    """The periodic report for the filters' period: printable page, ``?dang=xlsx`` or
    ``?dang=csv``."""
    f = _filters(request)
    found = periodic.report_for(f.scope, f.period, clock.now())
    kind = request.GET.get("dang")
    name = f"bao-cao-tthc-{f.agency.code}-{f.first:%Y%m%d}-{f.last:%Y%m%d}"
    if kind == "xlsx":
        body = periodic.report_xlsx(found, agency_name=f.agency.name, first=f.first, last=f.last)
        response = HttpResponse(body, content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        return response
    if kind == "csv":
        response = HttpResponse(
            "\ufeff" + periodic.report_csv(found), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response
    context = {"f": f, "report": found, "headers": periodic.headers(), "now": clock.now()}
    return render(request, "reports/report.html", context)


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
