"""Task pages: an officer's tasks, assigning one, a task with its reports and history, and
the leader's page. Who may see and do what is asked of ``access`` with the request's actor;
every write is one service call."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from motcua import clock
from motcua.agencies.models import Agency
from motcua.dossiers.files import IncomingFile, download_name, served_type
from motcua.tasks import access, selectors, services
from motcua.tasks.forms import (
    AssignForm,
    BoardFilterForm,
    CompleteForm,
    DecideForm,
    ExtensionForm,
    ReportForm,
)
from motcua.tasks.models import TaskExtension
from motcua.tasks.standing import Standing, standing_of

LIST_SIZE = 100
BOX_LABELS = {
    "open": gettext_lazy("Đang thực hiện"),
    "overdue": gettext_lazy("Quá hạn"),
    "done": gettext_lazy("Đã hoàn thành"),
}


def _files(request) -> list[IncomingFile]:
    return [IncomingFile.of(f) for f in request.FILES.getlist("files")]


def _to_form(form, exc: ValidationError) -> None:
    """The service's messages onto the form's fields ("files.0" onto "files", shown apart)."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for name, errors in exc.message_dict.items():
        target = name if name in form.fields else None
        form.add_error(target, errors)


@login_required
def index(request):
    actor = access.request_actor(request)
    box = request.GET.get("hop", "open")
    if box not in selectors.BOXES:
        box = "open"
    now = clock.now()
    counts = selectors.task_box_counts(actor=actor, now=now)
    context = {
        "box": box,
        "boxes": [(key, BOX_LABELS[key], counts[key]) for key in selectors.BOXES],
        "rows": [
            (t, standing_of(t, now=now), True)
            for t in selectors.task_list_for_officer(actor=actor, box=box, now=now, limit=LIST_SIZE)
        ],
        "now": now,
        "assigning": selectors.assigning_agencies(actor=actor),
        "leaders": selectors.board_leaders(agency_ids=access.board_agency_ids(actor)),
    }
    return render(request, "tasks/index.html", context)


@login_required
def assign(request):
    actor = access.request_actor(request)
    agencies = selectors.assigning_agencies(actor=actor)
    if not agencies:
        raise Http404
    code = request.POST.get("agency") or request.GET.get("co_quan")
    agency = next((a for a in agencies if a.code == code), agencies[0])
    options = selectors.assignable_for(agency=agency)
    form = AssignForm(request.POST or None, options=options)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            task = services.task_assign(
                actor=actor,
                agency=agency,
                assignment=services.Assignment(
                    title=data["title"],
                    content=data["content"],
                    source_document=data["source_document"],
                    working_days=data["working_days"],
                    lead=data["lead"],
                    coordinating=data["coordinating"],
                    files=_files(request),
                ),
            )
        except ValidationError as exc:
            _to_form(form, exc)
        else:
            messages.success(request, _("Đã giao nhiệm vụ; các đơn vị được báo qua thư."))
            return redirect("tasks:detail", ref=task.ref)
    context = {"form": form, "agency": agency, "agencies": agencies}
    return render(request, "tasks/assign.html", context)


def _get_task(request, ref):
    task = access.task_get_visible(access.request_actor(request), ref=ref)
    if task is None:
        raise Http404
    return task


def _detail(request, task, **bound):
    actor = access.request_actor(request)
    now = clock.now()
    pending = access.pending_extension(task)
    allowed = access.allowed_actions(actor, task, pending=pending is not None)
    events = list(task.events.select_related("actor").prefetch_related("files"))
    context = {
        "task": task,
        "now": now,
        "standing": standing_of(task, now=now),
        "assignees": task.assignees.all(),
        "events": events,
        "extensions": task.extensions.all(),
        "pending": pending,
        "allowed": {a.value for a in allowed},
        "report_form": bound.get("report") or ReportForm(),
        "complete_form": bound.get("complete") or CompleteForm(),
        "extension_form": bound.get("extension") or ExtensionForm(),
        "decide_form": bound.get("decide") or DecideForm(),
    }
    return render(request, "tasks/detail.html", context)


@login_required
def detail(request, ref):
    return _detail(request, _get_task(request, ref))


def _act(request, ref, *, form_class, name: str, call, done: str):
    """Run one write for a task page's form: on success back to the task with ``done``; on
    bad input the page again with the messages at the fields; refused: a message."""
    task = _get_task(request, ref)
    form = form_class(request.POST)
    if not form.is_valid():
        return _detail(request, task, **{name: form})
    try:
        call(task, form.cleaned_data)
    except PermissionDenied as exc:
        messages.error(request, str(exc) or str(access.FORBIDDEN))
    except ValidationError as exc:
        _to_form(form, exc)
        return _detail(request, task, **{name: form})
    else:
        messages.success(request, done)
    return redirect("tasks:detail", ref=task.ref)


@login_required
@require_POST
def report(request, ref):
    actor = access.request_actor(request)
    return _act(
        request, ref, form_class=ReportForm, name="report",
        call=lambda task, data: services.task_report(
            actor=actor, task_id=task.pk, percent=data["percent"], note=data["note"],
            files=_files(request),
        ),
        done=_("Đã gửi báo cáo tiến độ."),
    )  # fmt: skip


@login_required
@require_POST
def complete(request, ref):
    actor = access.request_actor(request)
    return _act(
        request, ref, form_class=CompleteForm, name="complete",
        call=lambda task, data: services.task_complete(
            actor=actor, task_id=task.pk, note=data["note"], files=_files(request)
        ),
        done=_("Đã báo cáo hoàn thành nhiệm vụ."),
    )  # fmt: skip


@login_required
@require_POST
def extension_request(request, ref):
    actor = access.request_actor(request)
    return _act(
        request, ref, form_class=ExtensionForm, name="extension",
        call=lambda task, data: services.task_extension_request(
            actor=actor, task_id=task.pk, days=data["days"], reason=data["reason"]
        ),
        done=_("Đã gửi đề nghị gia hạn tới lãnh đạo giao việc."),
    )  # fmt: skip


@login_required
@require_POST
def extension_decide(request, ref, pk):
    actor = access.request_actor(request)
    approve = request.POST.get("decision") == "approve"
    return _act(
        request, ref, form_class=DecideForm, name="decide",
        call=lambda task, data: services.task_extension_decide(
            actor=actor, task_id=task.pk, extension_id=pk, approve=approve, note=data["note"]
        ),
        done=_("Đã đồng ý gia hạn.") if approve else _("Đã trả lời không đồng ý gia hạn."),
    )  # fmt: skip


@login_required
def attachment(request, ref, pk):
    task = _get_task(request, ref)
    item = get_object_or_404(task.files, pk=pk)
    response = FileResponse(  # always a download, named and typed by its content
        item.file.open("rb"),
        as_attachment=True,
        filename=download_name(item.original_name, item.content_type),
        content_type=served_type(item.content_type),
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def board(request, code, username):
    """A leader's page: the tasks they gave, each unit's record and its chart. Any officer of
    the agency may open it (read-only), so its address can be shared inside the agency."""
    actor = access.request_actor(request)
    agency = Agency.objects.filter(code=code).first()
    if agency is None or not access.may_view_board(actor, agency):
        raise Http404
    leader = selectors.board_leader_get(agency=agency, username=username)
    if leader is None:
        raise Http404
    options = [(o.key, o.label) for o in selectors.assignable_for(agency=agency)]
    form = BoardFilterForm(request.GET or None, options=options)
    filters = form.cleaned_data if form.is_valid() else {}
    now = clock.now()
    standing = filters.get("standing")
    result = selectors.board_get(
        agency=agency,
        leader=leader,
        now=now,
        start=filters.get("start"),
        end=filters.get("end"),
        lead=filters.get("lead", ""),
        standing=Standing(standing) if standing else None,
    )
    # Officers of the agency read the page; a task's own page stays with those who see it.
    readable = set(
        access.tasks_visible(actor)
        .filter(pk__in=[t.pk for t in result.tasks])
        .values_list("pk", flat=True)
    )
    context = {
        "agency": agency,
        "leader": leader,
        "board": result,
        "form": form,
        "now": now,
        "standings": list(Standing),
        "rows": [(t, standing_of(t, now=now), t.pk in readable) for t in result.tasks],
        "is_own": getattr(actor, "user", None) == leader,
        "share_url": request.build_absolute_uri(request.path),
        "pending_extensions": TaskExtension.objects.filter(
            task__agency=agency, task__assigned_by=leader, state=TaskExtension.State.PENDING
        ).count(),
    }
    return render(request, "tasks/board.html", context)
