"""Feedback pages: the public form and the status page behind its signed link; the
agency's list and a feedback with its actions. Who may see and do what is asked of
``access``; every write is one service call."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from motcua import clock
from motcua.agencies.models import Agency
from motcua.catalog.models import Procedure
from motcua.clientaddress import client_address, rate_limit_key
from motcua.dossiers.access import SYSTEM
from motcua.feedback import access, selectors, services
from motcua.feedback.forms import AnswerForm, AssignForm, CloseForm, FeedbackForm, PublishForm
from motcua.feedback.messages import status_token, status_uid
from motcua.feedback.models import Feedback

LIST_SIZE = 100
BOX_LABELS = {
    "open": gettext_lazy("Chưa trả lời"),
    "overdue": gettext_lazy("Quá hạn"),
    "answered": gettext_lazy("Đã trả lời"),
    "closed": gettext_lazy("Đã đóng"),
}
#: ?thu-tuc=, ?co-quan=, ?ho-so= of a link from a procedure, an agency or a look-up page.
PREFILL = {"thu-tuc": "procedure", "co-quan": "agency", "ho-so": "dossier"}


def _to_form(form, exc: ValidationError) -> None:
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for name, errors in exc.message_dict.items():
        field = name.removeprefix("about.")
        form.add_error(field if field in form.fields else None, errors)


def _fixed_subject(about: str, code: str) -> str:
    """The name of what a link from a page fixed the feedback to be about ("" if none)."""
    if about == "procedure":
        found = Procedure.objects.filter(code=code, current_version__isnull=False).first()
        return f"{found.current_version.name} ({code})" if found else ""
    if about == "agency":
        found = Agency.objects.filter(code=code).first()
        return found.name if found else ""
    return code if code else ""


def submit(request):
    """The public form (SPEC §8): about a procedure, an agency or a dossier; limited per
    address (``FEEDBACK_PER_HOUR``)."""
    fixed = next(
        ((f, request.GET[p].strip()[:60]) for p, f in PREFILL.items() if request.GET.get(p)), None
    )
    if request.method == "POST":
        form = FeedbackForm(request.POST)
        if form.is_valid():
            try:
                feedback = services.feedback_submit(
                    about=form.cleaned_data["about"],
                    code=form.subject_code(),
                    name=form.cleaned_data["name"],
                    phone=form.cleaned_data["phone"],
                    email=form.cleaned_data["email"],
                    content=form.cleaned_data["content"],
                    address=rate_limit_key(client_address(request)),
                    actor=SYSTEM,
                )
            except services.TooManyFeedback as exc:
                form.add_error(None, exc.message())
                response = render(request, "feedback/submit.html", {"form": form}, status=429)
                response["Retry-After"] = str(exc.retry_after)
                return response
            except ValidationError as exc:
                _to_form(form, exc)
            else:
                return redirect("feedback:status", status_token(feedback))
        fixed_name = ""
    else:
        initial = {"about": fixed[0], fixed[0]: fixed[1]} if fixed else {}
        form = FeedbackForm(initial=initial)
        fixed_name = _fixed_subject(*fixed) if fixed else ""
    context = {"form": form, "fixed": fixed if fixed_name else None, "fixed_name": fixed_name}
    return render(request, "feedback/submit.html", context, status=422 if form.errors else 200)


def status(request, token):
    """What the person sees of their feedback: its code, subject, due date and the answer
    (the link of both messages); not what they wrote nor their name."""
    uid = status_uid(token)
    feedback = (
        Feedback.objects.filter(uid=uid)
        .select_related("agency", "procedure__current_version", "about_agency", "dossier")
        .first()
        if uid
        else None
    )
    if feedback is None:
        raise Http404
    context = {"feedback": feedback, "subject": selectors.subject_label(feedback)}
    return render(request, "feedback/status.html", context)


# --- the agency's pages ----------------------------------------------------------------------


@login_required
def staff_list(request):
    actor = access.request_actor(request)
    box = request.GET.get("hop", "open")
    if box not in selectors.BOXES:
        box = "open"
    counts = selectors.feedback_box_counts(actor=actor)
    rows = selectors.feedback_list_for_officer(actor=actor, box=box, limit=LIST_SIZE)
    context = {
        "box": box,
        "boxes": [(key, BOX_LABELS[key], counts[key]) for key in selectors.BOXES],
        "rows": [(f, selectors.subject_label(f)) for f in rows],
    }
    return render(request, "feedback/staff_list.html", context)


def _get(request, code) -> tuple:
    actor = access.request_actor(request)
    feedback = access.feedback_get_visible(actor, code=code)
    if feedback is None:
        raise Http404
    return actor, feedback


def _detail(request, actor, feedback, forms=None, status=200):
    allowed = access.allowed_actions(actor, feedback)
    forms = forms or {}
    if access.Action.ASSIGN in allowed and "assign" not in forms:
        forms["assign"] = AssignForm(officers=access.assignable_officers(feedback))
    if access.Action.ANSWER in allowed and "answer" not in forms:
        forms["answer"] = AnswerForm()
    if access.Action.CLOSE in allowed and "close" not in forms:
        forms["close"] = CloseForm()
    if access.Action.PUBLISH in allowed and "publish" not in forms and feedback.procedure_id:
        forms["publish"] = PublishForm(
            initial={
                "question": feedback.public_question,
                "public_answer": feedback.public_answer or feedback.answer,
            }
        )
    context = {
        "feedback": feedback,
        "subject": selectors.subject_label(feedback),
        "events": feedback.events.order_by("at", "pk"),
        "forms": forms,
        "overdue": feedback.is_open and feedback.due_at < clock.now(),
    }
    return render(request, "feedback/staff_detail.html", context, status=status)


@login_required
def staff_detail(request, code):
    actor, feedback = _get(request, code)
    return _detail(request, actor, feedback)


ACTIONS = {
    "assign": (
        AssignForm,
        lambda actor, f, d: services.feedback_assign(
            actor=actor, feedback_id=f.pk, assignee=d["assignee"], note=d["note"]
        ),
    ),
    "answer": (
        AnswerForm,
        lambda actor, f, d: services.feedback_answer(
            actor=actor, feedback_id=f.pk, answer=d["answer"]
        ),
    ),
    "close": (
        CloseForm,
        lambda actor, f, d: services.feedback_close(actor=actor, feedback_id=f.pk, note=d["note"]),
    ),
    "publish": (
        PublishForm,
        lambda actor, f, d: services.feedback_publish(
            actor=actor,
            feedback_id=f.pk,
            question=d["question"],
            answer=d["public_answer"],
            publish=True,
        ),
    ),
    "unpublish": (
        None,
        lambda actor, f, d: services.feedback_publish(
            actor=actor, feedback_id=f.pk, question="", answer="", publish=False
        ),
    ),
}
DONE = {
    "assign": gettext_lazy("Đã giao phản ánh."),
    "answer": gettext_lazy("Đã gửi câu trả lời cho người phản ánh."),
    "close": gettext_lazy("Đã đóng phản ánh."),
    "publish": gettext_lazy("Đã công khai hỏi đáp trên trang thủ tục."),
    "unpublish": gettext_lazy("Đã thôi công khai hỏi đáp."),
}


@login_required
@require_POST
def staff_act(request, code, action):
    actor, feedback = _get(request, code)
    if action not in ACTIONS:
        raise Http404
    form_class, call = ACTIONS[action]
    if form_class is AssignForm:
        form = AssignForm(request.POST, officers=access.assignable_officers(feedback))
    else:
        form = form_class(request.POST) if form_class else None
    if form is not None and not form.is_valid():
        return _detail(request, actor, feedback, {action: form}, status=422)
    try:
        call(actor, feedback, form.cleaned_data if form else {})
    except PermissionDenied as exc:
        messages.error(request, str(exc) or _("Bạn không có quyền thực hiện thao tác này."))
        return redirect("feedback_staff:detail", feedback.code)
    except ValidationError as exc:
        if form is None:
            messages.error(request, " ".join(exc.messages))
            return redirect("feedback_staff:detail", feedback.code)
        _to_form(form, exc)
        return _detail(request, actor, feedback, {action: form}, status=422)
    messages.success(request, DONE[action])
    return redirect("feedback_staff:detail", feedback.code)
