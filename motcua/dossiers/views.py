"""Staff pages for dossiers: receive at the desk, inboxes, a dossier and its actions, papers.
Who may see and do what is asked of ``access`` with the request's actor."""

import csv
import re
import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from motcua import clock
from motcua.agencies.selectors import deciding_agencies_for
from motcua.catalog.models import Field
from motcua.catalog.selectors import procedure_get_published, procedure_search
from motcua.dossiers import access, deadlines, papers, search
from motcua.dossiers.files import IncomingFile, served_type
from motcua.dossiers.forms import ActionForm, ReceiveForm, RegisterFilterForm
from motcua.dossiers.models import Attachment, DeskNotice, Dossier
from motcua.dossiers.selectors import (
    INBOXES,
    dossier_events,
    extension_proposal,
    inbox_counts,
    inbox_first_box,
    inbox_search,
    register_page,
    register_queryset,
    unit_load,
)
from motcua.dossiers.services import (
    AlreadyReceived,
    Receipt,
    StaleDossier,
    SubmissionKey,
    desk_notice_create,
    dossier_apply,
    dossier_receive,
)
from motcua.dossiers.transitions import ACTION_LABELS, SPECS, Action, main_actions
from motcua.spreadsheet import csv_safe
from motcua.tickets.selectors import dossier_ticket
from motcua.tickets.services import ticket_dossier_attach, ticket_for_receipt
from motcua.workcalendar.calendar import VN_TZ

REGISTER_PAGE_SIZE = 200


@login_required
def inbox(request):
    actor = access.request_actor(request)
    counts = inbox_counts(actor=actor)
    box = request.GET.get("hop") or inbox_first_box(actor=actor, counts=counts)
    if box not in INBOXES:
        box = "unit"
    query = request.GET.get("q", "").strip()[: search.QUERY_MAX_LENGTH]
    found = inbox_search(actor=actor, box=box, query=query, limit=settings.INBOX_PAGE_SIZE)
    dossiers = found.rows
    context = {
        "box": box,
        "box_label": INBOXES[box],
        "boxes": INBOXES,
        "counts": counts,
        "menu_waiting": counts["unit"],
        "menu_overdue": counts["overdue"],
        "query": query,
        "dossiers": dossiers,
        "page_full": len(dossiers) >= settings.INBOX_PAGE_SIZE,
        "search_complete": found.complete,
        "common_scan_rows": search.COMMON_SCAN_ROWS,
        "is_desk": access.desk_of(actor) is not None,
        "unit_load": unit_load(actor=actor),
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
    actor = access.request_actor(request)
    desk = access.desk_of(actor)
    if desk is None:
        raise PermissionDenied(_("Chỉ cán bộ một cửa mới tiếp nhận hồ sơ."))
    code = request.GET.get("thu_tuc", "")
    version = procedure_get_published(code=code) if code else None
    queue_ticket = _queue_ticket(request, actor)
    if version is None:
        query = request.GET.get("q", "")
        result = procedure_search(query=query, limit=15)
        return render(
            request,
            "dossiers/receive_pick.html",
            {"query": query, "result": result, "queue_ticket": queue_ticket},
        )

    key = request.GET.get("phien", "")
    if request.method == "GET" and not SUBMISSION_KEY.fullmatch(key):
        return _with_new_submission_key(request)
    agencies = deciding_agencies_for(agency=desk.agency)
    form = ReceiveForm(
        request.POST or None,
        agencies=agencies,
        initial={"deciding_agency": desk.agency.pk, "submission": key},
    )
    documents = _checked_documents(request, version) if request.method == "POST" else []
    ask_no_documents = False
    if request.method == "POST" and form.is_valid():
        outcome = request.POST.get("outcome", "receive")
        ask_no_documents = outcome == "receive" and _lists_nothing(form, version, documents)
        if ask_no_documents:
            form.add_error(None, NO_DOCUMENTS)
        else:
            decided = _decide(
                request, form, outcome, desk, version, agencies, documents, queue_ticket
            )
            if decided is not None:
                return decided
    doc_rows = [(d, bool(request.POST.get(f"doc_{d.pk}"))) for d in version.documents.all()]
    missing = "\n".join(d.name for d, checked in doc_rows if not checked)
    return render(
        request,
        "dossiers/receive_form.html",
        {
            "form": form,
            "version": version,
            "desk": desk,
            "doc_rows": doc_rows,
            "missing": missing if request.method == "POST" else "",
            "queue_ticket": queue_ticket,
            "ask_no_documents": ask_no_documents,
        },
    )


def _queue_ticket(request, actor):
    """The queue ticket (``?ve=``) the dossier is received from, if it is one being served
    at this officer's desk today (``tickets``)."""
    raw = request.GET.get("ve", "")
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 12:  # "²".isdigit() is true
        return None
    return ticket_for_receipt(ticket_id=int(raw), actor=actor)


NO_DOCUMENTS = gettext_lazy(
    "Chưa đánh dấu giấy tờ nào đã nhận. Đánh dấu các giấy tờ công dân nộp; nếu hồ sơ thật sự "
    "không kèm giấy tờ nào trong danh mục, chọn “Vẫn tiếp nhận” rồi bấm Tiếp nhận lần nữa."
)


def _decide(request, form, outcome, desk, version, agencies, documents, queue_ticket):
    """Receive the dossier (form 01), or write form 02 / 03: where to go next, or None when
    the form got errors."""
    actor = access.request_actor(request)
    try:
        if outcome == "receive":
            dossier = dossier_receive(
                desk=desk,
                procedure_version=version,
                actor=actor,
                deciding_agency=_chosen(agencies, form.cleaned_data["deciding_agency"]),
                receipt=Receipt(
                    applicant=form.applicant(),
                    channel=form.cleaned_data["channel"],
                    documents=documents,
                    files=[IncomingFile.of(f) for f in request.FILES.getlist("files")],
                    result_delivery=form.cleaned_data["result_delivery"],
                    delivery_address=form.cleaned_data["delivery_address"],
                    sets_received=form.cleaned_data["sets_received"],
                ),
                submission=_desk_submission(request, form),
            )
            if queue_ticket is not None:  # received from a queue ticket at a counter
                ticket_dossier_attach(ticket=queue_ticket, dossier=dossier, actor=actor)
            messages.success(
                request, _("Đã tiếp nhận hồ sơ %(code)s. In giấy hẹn.") % {"code": dossier.code}
            )
            return redirect("dossiers:detail", ref=dossier.ref)
        notice = desk_notice_create(
            kind=DeskNotice.Kind.COMPLETE if outcome == "complete" else DeskNotice.Kind.REFUSE,
            desk=desk,
            procedure_version=version,
            applicant=form.applicant(),
            items=form.cleaned_data["items"].splitlines(),
            reason=form.cleaned_data["reason"],
            actor=actor,
        )
        return redirect("dossiers:notice_paper", pk=notice.pk)
    except AlreadyReceived as earlier:  # a second click, or the page sent again
        messages.info(
            request,
            _("Hồ sơ này đã được tiếp nhận trước đó, mã %(code)s.")
            % {"code": earlier.dossier.code},
        )
        return redirect("dossiers:detail", ref=earlier.dossier.ref)
    except ValidationError as exc:
        for field, errors in exc.message_dict.items():
            target = field.replace("applicant.", "applicant_")
            form.add_error(target if target in form.fields else None, errors)
    return None


def _lists_nothing(form, version, documents) -> bool:
    """Receiving with no document ticked, for a procedure that has some, and not confirmed."""
    return (
        not documents
        and not form.cleaned_data["confirm_no_documents"]
        and version.documents.exists()
    )


def _chosen(agencies, pk: str):
    """The deciding agency picked in the form (its choices are ``agencies``); the desk's own
    agency, listed first, when none was picked."""
    return next((a for a in agencies if str(a.pk) == pk), agencies[0])


#: The one-time key of a receiving form, carried in its address (``?phien=``).
SUBMISSION_KEY = re.compile(r"[0-9a-f]{32}")


def _with_new_submission_key(request):
    """Each receiving form opened gets its one-time key in its address: Back returns to that
    address, so the form sent again carries the same key and makes no second dossier, even
    when the browser asks the server for the page again (a fresh key would make another)."""
    query = request.GET.copy()
    query["phien"] = uuid.uuid4().hex
    return redirect(f"{request.path}?{query.urlencode()}")


def _desk_submission(request, form) -> SubmissionKey | None:
    key = form.cleaned_data.get("submission", "")
    return (
        SubmissionKey(sender=f"desk:{request.user.pk}", key=key, request_hash="") if key else None
    )


def _get_dossier(request, ref: str, *, what: str) -> Dossier:
    """The dossier if the request's actor may see it (404 otherwise); an overseer's read of
    its personal data is recorded. These are staff pages: they show the officers' opinions
    and working files, so a citizen gets 404 here even for their own dossier."""
    actor = access.request_actor(request)
    if not isinstance(actor, access.Officer):
        raise Http404
    dossier = access.dossier_get_visible(actor, ref=ref)
    if dossier is None:
        raise Http404
    access.personal_data_read(actor, dossier, what=what)
    return dossier


@login_required
def detail(request, ref):
    dossier = _get_dossier(request, ref, what="page")
    return render(request, "dossiers/detail.html", _detail_context(request, dossier))


def _detail_context(request, dossier: Dossier, typed: dict | None = None) -> dict:
    """The dossier's page; ``typed`` is what the officer typed into an action the service
    refused (its inputs are shown again, with the refusal, in that action's form)."""
    actor = access.request_actor(request)
    allowed = access.allowed_actions(actor, dossier)
    if Action.EXTEND in allowed and Action.PROPOSE_EXTENSION in allowed:
        allowed.remove(Action.PROPOSE_EXTENSION)  # a leader issues it, no need to propose it
    events = dossier_events(dossier)
    proposal = extension_proposal(dossier, events)
    main = main_actions(
        allowed,
        step_unassigned=dossier.current_unit_id is not None and dossier.current_assignee_id is None,
        proposal_pending=proposal is not None,
    )
    files = list(dossier.attachments.select_related("event"))
    context = {
        "dossier": dossier,
        "due_soon": deadlines.is_due_soon(dossier, now=clock.now()),
        "events": events,
        "documents": dossier.documents.all(),
        "attachments": [f for f in files if f.kind == Attachment.Kind.DOCUMENT],
        "working_files": [f for f in files if f.kind == Attachment.Kind.WORKING],
        "result_files": [f for f in files if f.kind == Attachment.Kind.RESULT],
        "actions": [(a, SPECS[a]) for a in main + [a for a in allowed if a not in main]],
        # The main action stands first, the others are folded; with no main action (the desk
        # once it passed the dossier on: only "withdraw"), every one is folded.
        "fold_from": 2 if main else 1,
        "action_labels": ACTION_LABELS,
        "steps": dossier.procedure_version.steps.all(),
        "papers": papers.papers_for(dossier),
        "earlier_papers": papers.earlier_papers(dossier, events),
        "proposal": proposal,
        "assigns_others": Action.ASSIGN in allowed and access.assigns_others(actor, dossier),
        "step_officers": access.step_officers(dossier) if Action.ASSIGN in allowed else [],
        "typed": typed,
        "queue_ticket": dossier_ticket(dossier),
    }
    return context


@login_required
@require_POST
def act(request, ref):
    dossier = _get_dossier(request, ref, what="action")
    form = ActionForm(request.POST)
    if not form.is_valid():
        messages.error(
            request,
            _("Dữ liệu thao tác không hợp lệ: ")
            + "; ".join(e for errors in form.errors.values() for e in errors),
        )
        return redirect("dossiers:detail", ref=dossier.ref)
    data = form.cleaned_data
    new_due = data.get("new_due_at")
    if new_due is not None:
        new_due = new_due.astimezone(VN_TZ) if new_due.tzinfo else new_due.replace(tzinfo=VN_TZ)
    result = request.FILES.get("result_file")
    try:
        dossier = dossier_apply(
            dossier_id=dossier.pk,
            action=data["action"],
            actor=access.request_actor(request),
            expected_version=data["version"],
            note=data["note"],
            new_due_at=new_due,
            assignee=data["assignee"] or None,
            missing_documents=data["missing_documents"].splitlines(),
            files=[IncomingFile.of(f) for f in request.FILES.getlist("files")],
            result_file=IncomingFile.of(result) if result else None,
            paper_result=data["paper_result"],
            returned_to=data["returned_to"],
            postal_tracking=data["postal_tracking"],
        )
    except StaleDossier as exc:
        messages.error(request, str(exc))
    except PermissionDenied as exc:
        messages.error(request, str(exc) or _("Bạn không có quyền thực hiện thao tác này."))
    except ValidationError as exc:
        # Shown again with what was typed (a list of missing papers is long to type twice).
        refusal = "; ".join(exc.messages)
        messages.error(request, refusal)
        typed = {
            "action": data["action"],
            "error": refusal,
            "note": data["note"],
            "missing_documents": data["missing_documents"],
            "new_due_at": request.POST.get("new_due_at", ""),
            "returned_to": data["returned_to"],
            "postal_tracking": data["postal_tracking"],
        }
        context = _detail_context(request, dossier, typed)  # unchanged: the service refused
        return render(request, "dossiers/detail.html", context, status=400)
    else:
        spec = SPECS[Action(data["action"])]
        done = spec.done or _("Đã thực hiện: %(action)s.") % {"action": spec.label}
        messages.success(request, str(done))
    return redirect("dossiers:detail", ref=dossier.ref)


@login_required
def attachment(request, ref, pk):
    dossier = _get_dossier(request, ref, what=f"file {pk}")
    item = get_object_or_404(dossier.attachments, pk=pk)
    response = FileResponse(  # always a download, named and typed by its content
        item.file.open("rb"),
        as_attachment=True,
        filename=item.served_name,
        content_type=served_type(item.content_type),
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _paper_response(request, paper: papers.Paper, *, back: tuple[str, str]):
    """A paper is a legal form in Vietnamese, whatever language the officer's screen is in;
    on screen it has a way back to where the officer came from (``back``: url, label)."""
    if request.GET.get("pdf"):
        response = HttpResponse(paper.pdf(), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{paper.filename}.pdf"'
        return response
    context = {**paper.context, "back_url": back[0], "back_label": back[1]}
    with translation.override("vi"):
        return render(request, paper.template, context)


@login_required
def paper(request, ref, form):
    dossier = _get_dossier(request, ref, what=f"paper {form}"[:40])
    seq = request.GET.get("su_kien", "")  # an earlier paper of the form, by its event
    if seq and not (seq.isascii() and seq.isdigit() and len(seq) <= 9):
        raise Http404
    try:
        built = papers.dossier_paper(dossier, form, int(seq) if seq else None)
    except papers.NoSuchPaper:
        raise Http404 from None
    back = (
        reverse("dossiers:detail", args=[dossier.ref]),
        _("Về hồ sơ %(code)s") % {"code": dossier.code},
    )
    return _paper_response(request, built, back=back)


@login_required
def notice_paper(request, pk):
    visible = access.desk_notices_visible(access.request_actor(request))
    notice = get_object_or_404(
        DeskNotice.objects.filter(visible).select_related("desk__agency", "officer"), pk=pk
    )
    back = (reverse("dossiers:receive"), _("Tiếp nhận hồ sơ khác"))
    return _paper_response(request, papers.notice_paper(notice), back=back)


@login_required
def register(request):
    """Form 07: the register of the officer's desk, one field at a time, for a period, page by
    page; the CSV holds every row."""
    actor = access.request_actor(request)
    desk = access.desk_of(actor)
    form = RegisterFilterForm(request.GET or None, fields=Field.objects.order_by("name"))
    filters = form.cleaned_data if form.is_valid() else {}
    qs = register_queryset(
        actor=actor,
        desk=desk,
        start=filters.get("start"),
        end=filters.get("end"),
        field_code=filters.get("field", ""),
    )
    if request.GET.get("csv"):
        return _register_csv(qs, actor)
    page = register_page(qs, number=request.GET.get("trang"), per_page=REGISTER_PAGE_SIZE)
    access.personal_data_read_many(actor, page.object_list, what="register")
    query = request.GET.copy()
    query.pop("trang", None)
    context = {
        "form": form,
        "page": page,
        "rows": page.object_list,
        "first_number": page.start_index(),
        "query": query.urlencode(),
        "desk": desk,
        "title": papers.FORMS["07"],
        "form_no": "07",
        "now": clock.now(),
    }
    paper = papers.Paper("07", "dossiers/forms/form07.html", context, "so-theo-doi")
    return _paper_response(
        request, paper, back=(reverse("dossiers:inbox"), _("Về hồ sơ cần xử lý"))
    )


class _Echo:
    def write(self, value):
        return value


def _register_csv(qs, actor) -> StreamingHttpResponse:
    """Every row of the register, streamed (a year of a busy desk does not fit in memory);
    a superuser's read is recorded chunk by chunk as it goes out."""
    writer = csv.writer(_Echo())
    header = [
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

    def rows():
        yield "\ufeff" + writer.writerow(header)
        chunk = []
        for i, d in enumerate(qs.iterator(chunk_size=1000), start=1):
            chunk.append(d)
            if len(chunk) == 1000:
                access.personal_data_read_many(actor, chunk, what="register-csv")
                chunk = []
            yield writer.writerow(
                csv_safe(cell)
                for cell in [
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
        access.personal_data_read_many(actor, chunk, what="register-csv")

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="so-theo-doi-ho-so.csv"'
    return response
