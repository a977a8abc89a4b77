"""Staff pages for dossiers: receive at the desk, inboxes, a dossier and its actions, papers."""

import csv
import io
from datetime import datetime, time
from itertools import pairwise

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from motcua.agencies.models import Agency, Desk, Role
from motcua.catalog.models import Field
from motcua.catalog.selectors import procedure_get_published, procedure_search
from motcua.dossiers import papers
from motcua.dossiers.files import IncomingFile, download_name, served_type
from motcua.dossiers.forms import ActionForm, ReceiveForm, RegisterFilterForm
from motcua.dossiers.models import DeskNotice, Dossier
from motcua.dossiers.selectors import (
    INBOXES,
    dossier_get_for_user,
    dossiers_visible_to,
    inbox_counts,
    inbox_page,
)
from motcua.dossiers.services import (
    ACTION_LABELS,
    AlreadyReceived,
    Receipt,
    StaleDossier,
    SubmissionKey,
    allowed_actions,
    desk_notice_create,
    dossier_apply,
    dossier_receive,
)
from motcua.workcalendar.calendar import VN_TZ, add_working_time


def _desk_of(user) -> Desk | None:
    membership = user.memberships.filter(role=Role.DESK_OFFICER, desk__isnull=False).first()
    return membership.desk if membership else None


@login_required
def inbox(request):
    box = request.GET.get("hop", "unit")
    if box not in INBOXES:
        box = "unit"
    counts = inbox_counts(user=request.user)
    context = {
        "box": box,
        "boxes": INBOXES,
        "counts": counts,
        "menu_waiting": counts["unit"],
        "menu_overdue": counts["overdue"],
        "dossiers": inbox_page(user=request.user, box=box, limit=settings.INBOX_PAGE_SIZE),
        "is_desk": _desk_of(request.user) is not None,
    }
    return render(request, "dossiers/inbox.html", context)


def _checked_documents(request, version) -> list[tuple]:
    documents = []
    for doc in version.documents.all():
        if request.POST.get(f"doc_{doc.pk}"):
            originals = _small_int(request.POST.get(f"doc_{doc.pk}_originals"), doc.originals)
            copies = _small_int(request.POST.get(f"doc_{doc.pk}_copies"), doc.copies)
            documents.append((doc.pk, doc.name, originals, copies))
    return documents


def _small_int(raw, default: int) -> int:
    try:
        return max(0, min(99, int(raw)))
    except (TypeError, ValueError):
        return default


@login_required
def receive(request):
    """The desk's receiving page: pick a procedure, then type the dossier in and decide."""
    desk = _desk_of(request.user)
    if desk is None:
        raise PermissionDenied(_("Chỉ cán bộ một cửa mới tiếp nhận hồ sơ."))
    code = request.GET.get("thu_tuc", "")
    version = procedure_get_published(code=code) if code else None
    if version is None:
        query = request.GET.get("q", "")
        result = procedure_search(query=query, limit=15)
        return render(request, "dossiers/receive_pick.html", {"query": query, "result": result})

    province = desk.agency.parent or desk.agency
    agencies = [desk.agency, *Agency.objects.filter(parent=province).exclude(pk=desk.agency_id)]
    form = ReceiveForm(
        request.POST or None, agencies=agencies, initial={"deciding_agency": desk.agency.pk}
    )
    if request.method == "POST" and form.is_valid():
        outcome = request.POST.get("outcome", "receive")
        try:
            if outcome == "receive":
                dossier = dossier_receive(
                    desk=desk,
                    procedure_version=version,
                    actor=request.user,
                    deciding_agency=_chosen(agencies, form.cleaned_data["deciding_agency"]),
                    receipt=Receipt(
                        applicant=form.applicant(),
                        channel=1,
                        documents=_checked_documents(request, version),
                        files=[IncomingFile.of(f) for f in request.FILES.getlist("files")],
                        result_delivery=form.cleaned_data["result_delivery"],
                        delivery_address=form.cleaned_data["delivery_address"],
                        sets_received=form.cleaned_data["sets_received"],
                    ),
                    submission=_desk_submission(request, form),
                )
                messages.success(
                    request, _("Đã tiếp nhận hồ sơ %(code)s. In giấy hẹn.") % {"code": dossier.code}
                )
                return redirect("dossiers:detail", code=dossier.code)
            notice = desk_notice_create(
                kind=DeskNotice.Kind.COMPLETE if outcome == "complete" else DeskNotice.Kind.REFUSE,
                desk=desk,
                procedure_version=version,
                applicant=form.applicant(),
                items=form.cleaned_data["items"].splitlines(),
                reason=form.cleaned_data["reason"],
                officer=request.user,
            )
            return redirect("dossiers:notice_paper", pk=notice.pk)
        except AlreadyReceived as earlier:  # a second click, or the page sent again
            messages.info(
                request,
                _("Hồ sơ này đã được tiếp nhận trước đó, mã %(code)s.")
                % {"code": earlier.dossier.code},
            )
            return redirect("dossiers:detail", code=earlier.dossier.code)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                target = field.replace("applicant.", "applicant_")
                form.add_error(target if target in form.fields else None, errors)
    doc_rows = [(d, bool(request.POST.get(f"doc_{d.pk}"))) for d in version.documents.all()]
    missing = "\n".join(d.name for d, checked in doc_rows if not checked)
    return render(
        request,
        "dossiers/receive_form.html",
        {
            "form": form,
            "version": version,
            "desk": desk,
            "posted": request.POST,
            "doc_rows": doc_rows,
            "missing": missing if request.method == "POST" else "",
        },
    )


def _chosen(agencies, pk: str) -> Agency:
    """The deciding agency picked in the form (its choices are ``agencies``); the desk's own
    agency, listed first, when none was picked."""
    return next((a for a in agencies if str(a.pk) == pk), agencies[0])


def _desk_submission(request, form) -> SubmissionKey | None:
    key = form.cleaned_data.get("submission", "")
    return (
        SubmissionKey(sender=f"desk:{request.user.pk}", key=key, request_hash="") if key else None
    )


def _get_dossier(request, code) -> Dossier:
    dossier = dossier_get_for_user(user=request.user, code=code)
    if dossier is None:
        raise Http404
    return dossier


@login_required
def detail(request, code):
    dossier = _get_dossier(request, code)
    actions = allowed_actions(request.user, dossier)
    now = timezone.now()
    context = {
        "dossier": dossier,
        # Issue #3: flagged from 1 working day before the appointment.
        "due_soon": dossier.is_open and now <= dossier.due_at <= add_working_time(now, days=1),
        "events": dossier.events.select_related("actor").order_by("seq"),
        "documents": dossier.documents.all(),
        "attachments": dossier.attachments.all(),
        "actions": [(a, ACTION_LABELS[a]) for a in actions],
        "action_labels": ACTION_LABELS,
        "steps": dossier.procedure_version.steps.all(),
        "papers": _papers_for(dossier),
    }
    return render(request, "dossiers/detail.html", context)


def _papers_for(dossier) -> list[tuple[str, str]]:
    forms = ["01", "06"]
    if dossier.is_extended:
        forms.append("04")
    if dossier.status in ("withdrawn", "stopped"):
        forms.append("05")
    if dossier.status == "rejected":
        forms.append("03")
    return [(f, papers.FORMS[f]) for f in sorted(forms)]


@login_required
@require_POST
def act(request, code):
    dossier = _get_dossier(request, code)
    form = ActionForm(request.POST)
    if not form.is_valid():
        messages.error(
            request,
            _("Dữ liệu thao tác không hợp lệ: ")
            + "; ".join(e for errors in form.errors.values() for e in errors),
        )
        return redirect("dossiers:detail", code=code)
    data = form.cleaned_data
    new_due = data.get("new_due_at")
    if new_due is not None:
        new_due = new_due.astimezone(VN_TZ) if new_due.tzinfo else new_due.replace(tzinfo=VN_TZ)
    try:
        dossier_apply(
            dossier_id=dossier.pk,
            action=data["action"],
            actor=request.user,
            expected_version=data["version"],
            note=data["note"],
            new_due_at=new_due,
            returned_to=data["returned_to"],
            postal_tracking=data["postal_tracking"],
        )
    except StaleDossier as exc:
        messages.error(request, str(exc))
    except PermissionDenied as exc:
        messages.error(request, str(exc) or _("Bạn không có quyền thực hiện thao tác này."))
    except ValidationError as exc:
        messages.error(request, "; ".join(exc.messages))
    else:
        label = ACTION_LABELS.get(data["action"], "")
        messages.success(request, _("Đã thực hiện: %(action)s.") % {"action": label})
    return redirect("dossiers:detail", code=code)


@login_required
def attachment(request, code, pk):
    dossier = _get_dossier(request, code)
    item = get_object_or_404(dossier.attachments, pk=pk)
    response = FileResponse(  # always a download, named and typed by its content
        item.file.open("rb"),
        as_attachment=True,
        filename=download_name(item.original_name, item.content_type),
        content_type=served_type(item.content_type),
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _paper_response(request, template, context, filename):
    """A paper is a legal form in Vietnamese, whatever language the officer's screen is in."""
    with translation.override("vi"):
        if request.GET.get("pdf"):
            pdf = papers.render_pdf(template, context)
            response = HttpResponse(pdf, content_type="application/pdf")
            response["Content-Disposition"] = f'inline; filename="{filename}.pdf"'
            return response
        return render(request, template, context)


@login_required
def paper(request, code, form):
    dossier = _get_dossier(request, code)
    if form not in dict(_papers_for(dossier)):
        raise Http404
    context = {
        "dossier": dossier,
        "form_no": form,
        "title": papers.FORMS[form],
        "qr": papers.dossier_qr(dossier, form),
        "documents": dossier.documents.all(),
        "rows": _control_rows(dossier) if form == "06" else [],
        "now": datetime.now(VN_TZ),
    }
    return _paper_response(
        request, f"dossiers/forms/form{form}.html", context, f"mau-{form}-{dossier.code}"
    )


def _control_rows(dossier) -> list[dict]:
    """Form 06: a row per hand-over, with the outcome of each step against its budget."""
    from motcua.workcalendar.calendar import deadline_outcome

    rows, events = [], list(dossier.events.order_by("seq"))
    for previous, event in pairwise(events):
        due = event.data.get("step_due_at")
        rows.append(
            {
                "event": event,
                "given_by": previous.actor_name,
                "due": due,
                "outcome": deadline_outcome(event.at, datetime.fromisoformat(due)) if due else None,
            }
        )
    return rows


@login_required
def notice_paper(request, pk):
    notice = get_object_or_404(DeskNotice, pk=pk, desk__in=request.user.memberships.values("desk"))
    form = "02" if notice.kind == DeskNotice.Kind.COMPLETE else "03"
    context = {
        "notice": notice,
        "form_no": form,
        "title": papers.FORMS[form],
        "qr": papers.qr_data_uri(
            papers.qr_payload(
                form=form,
                procedure=notice.procedure_version.procedure.code,
                id_number=notice.applicant_id_number,
            )
        ),
        "now": datetime.now(VN_TZ),
    }
    return _paper_response(request, f"dossiers/forms/form{form}.html", context, f"mau-{form}")


@login_required
def register(request):
    """Form 07: the register of the officer's desk, one field at a time, for a period."""
    desk = _desk_of(request.user)
    fields = Field.objects.order_by("name")
    form = RegisterFilterForm(request.GET or None, fields=fields)
    qs = dossiers_visible_to(user=request.user)
    if desk:
        qs = qs.filter(receiving_desk=desk)
    if form.is_valid():
        if form.cleaned_data["start"]:
            qs = qs.filter(
                received_at__gte=datetime.combine(form.cleaned_data["start"], time.min, VN_TZ)
            )
        if form.cleaned_data["end"]:
            qs = qs.filter(
                received_at__lte=datetime.combine(form.cleaned_data["end"], time.max, VN_TZ)
            )
        if form.cleaned_data["field"]:
            qs = qs.filter(procedure_version__fields__code=form.cleaned_data["field"])
    rows = list(
        qs.select_related("procedure_version", "deciding_agency").order_by("received_at")[:2000]
    )
    if request.GET.get("csv"):
        return _register_csv(rows)
    context = {
        "form": form,
        "rows": rows,
        "desk": desk,
        "title": papers.FORMS["07"],
        "form_no": "07",
        "now": datetime.now(VN_TZ),
    }
    return _paper_response(request, "dossiers/forms/form07.html", context, "so-theo-doi")


def _register_csv(rows) -> HttpResponse:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "STT",
            "Mã hồ sơ",
            "Thủ tục",
            "Chủ hồ sơ",
            "Địa chỉ, điện thoại",
            "Cơ quan giải quyết",
            "Ngày nhận",
            "Hẹn trả",
            "Ngày trả",
            "Hình thức nhận kết quả",
        ]
    )
    for i, d in enumerate(rows, start=1):
        writer.writerow(
            [
                i,
                d.code,
                d.procedure_version.name,
                d.applicant_name,
                f"{d.applicant_address} {d.applicant_phone}".strip(),
                d.deciding_agency.name,
                f"{d.received_at.astimezone(VN_TZ):%d/%m/%Y %H:%M}",
                f"{d.due_at.astimezone(VN_TZ):%d/%m/%Y %H:%M}",
                f"{d.returned_at.astimezone(VN_TZ):%d/%m/%Y %H:%M}" if d.returned_at else "",
                d.get_result_delivery_display(),
            ]
        )
    response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="so-theo-doi-ho-so.csv"'
    return response
