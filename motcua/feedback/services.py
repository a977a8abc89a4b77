"""Feedback (PAKN) as use cases: sent by the public (the form and the API both call
``feedback_submit``), assigned, answered, closed and published by the answering agency. Each
writes its ``FeedbackEvent`` in the same transaction; the person is told through the outbox
(``messages.py``)."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from motcua import clock
from motcua.agencies.models import Agency
from motcua.agencies.selectors import person_name
from motcua.catalog.models import Procedure
from motcua.dossiers.access import Actor, actor_name, actor_user
from motcua.dossiers.models import Dossier
from motcua.feedback import access
from motcua.feedback.access import Action
from motcua.feedback.messages import message_put
from motcua.feedback.models import ANSWER_WORKING_DAYS, Feedback, FeedbackEvent
from motcua.ratelimit.store import counter_store
from motcua.workcalendar.calendar import VN_TZ, add_working_time
from motcua.workcalendar.selectors import calendar_get

S = Feedback.State
HOUR = 3600
#: Codes read aloud and typed from a phone: no 0/O, 1/I/L.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
NUL = _("Không được chứa ký tự NUL.")
PHONE = re.compile(r"^\+?[0-9]{9,15}$")


@dataclass(frozen=True)
class TooManyFeedback(Exception):
    retry_after: int

    def message(self) -> str:
        return str(
            _("Ông/bà đã gửi nhiều phản ánh trong một giờ. Vui lòng thử lại sau %(minutes)d phút.")
            % {"minutes": max(1, -(-self.retry_after // 60))}
        )


@dataclass(frozen=True)
class Subject:
    """What a feedback is about, and the agency that answers it."""

    about: str
    agency: Agency
    procedure: Procedure | None = None
    about_agency: Agency | None = None
    dossier: Dossier | None = None
    dossier_code: str = ""


def catalog_agency() -> Agency | None:
    """The agency that answers feedback about the catalog's procedures:
    ``FEEDBACK_CATALOG_AGENCY``, else the top of the agency tree (the province, whose office
    controls administrative procedures)."""
    if settings.FEEDBACK_CATALOG_AGENCY:
        found = Agency.objects.filter(code=settings.FEEDBACK_CATALOG_AGENCY).first()
        if found is not None:
            return found
    return Agency.objects.filter(parent__isnull=True).order_by("code").first()


def subject_find(*, about: str, code: str) -> Subject:
    """The procedure, agency or dossier ``code`` names, and who answers: the catalog's
    agency for a procedure, the agency itself, the dossier's deciding agency. Raises
    ``ValidationError`` naming ``about.<kind>``."""
    code = (code or "").strip()
    field = f"about.{about}"
    if about not in Feedback.About.values:
        raise ValidationError({"about": _("Chọn phản ánh về thủ tục, cơ quan hoặc hồ sơ.")})
    if not code:
        raise ValidationError({field: _("Cho biết mã của thủ tục, cơ quan hoặc hồ sơ.")})
    if "\x00" in code:
        raise ValidationError({field: NUL})
    if about == Feedback.About.PROCEDURE:
        procedure = Procedure.objects.filter(code=code, current_version__isnull=False).first()
        agency = catalog_agency()
        if procedure is None or agency is None:
            raise ValidationError({field: _("Không có thủ tục đang áp dụng với mã này.")})
        return Subject(about, agency, procedure=procedure)
    if about == Feedback.About.AGENCY:
        agency = Agency.objects.filter(code=code).first()
        if agency is None:
            raise ValidationError({field: _("Không có cơ quan với mã này.")})
        return Subject(about, agency, about_agency=agency)
    if len(code) > Feedback._meta.get_field("dossier_code").max_length:
        raise ValidationError({field: _("Mã hồ sơ dài quá 60 ký tự.")})
    # The same answer whether a dossier has this code or not (the look-up's rule: a guesser
    # learns nothing): routed by the code's own text to the agency it names, the receiving
    # agency of "{agency}-{YYMMDD}-{serial}" (SPEC §5), else the catalog's agency; the
    # dossier is linked when there is one, for the officers.
    dossier = (
        Dossier.objects.filter(code=code)
        .select_related("procedure_version__procedure")
        .only("pk", "code", "procedure_version__procedure")
        .first()
    )
    agency = dossier_code_agency(code)
    if agency is None:
        raise ValidationError({field: _("Chưa có cơ quan nhận phản ánh, kiến nghị.")})
    return Subject(
        about,
        agency,
        procedure=dossier.procedure_version.procedure if dossier else None,
        dossier=dossier,
        dossier_code=code,
    )


def dossier_code_agency(code: str) -> Agency | None:
    """The agency a dossier's code names (its receiving agency, SPEC §5), or the catalog's
    agency when the code names none."""
    parts = code.rsplit("-", 2)
    named = Agency.objects.filter(code=parts[0]).first() if len(parts) == 3 else None
    return named or catalog_agency()


def _contact_errors(*, name: str, phone: str, email: str, content: str) -> dict:
    errors = {}
    for field, value in {"name": name, "phone": phone, "email": email, "content": content}.items():
        if "\x00" in value:
            errors[field] = NUL
    if "name" not in errors:
        if not name:
            errors["name"] = _("Nhập họ tên.")
        elif len(name) > Feedback._meta.get_field("name").max_length:
            errors["name"] = _("Họ tên dài quá 255 ký tự.")
    if "content" not in errors:
        if not content:
            errors["content"] = _("Nhập nội dung phản ánh, kiến nghị.")
        elif len(content) > Feedback._meta.get_field("content").max_length:
            errors["content"] = _("Nội dung dài quá 5.000 ký tự.")
    if not phone and not email and "phone" not in errors and "email" not in errors:
        errors["phone"] = _("Cho biết số điện thoại hoặc thư điện tử để nhận câu trả lời.")
    if phone and "phone" not in errors and not PHONE.match(phone):
        errors["phone"] = _("Số điện thoại gồm 9 đến 15 chữ số (có thể bắt đầu bằng +).")
    if email and "email" not in errors:
        try:
            validate_email(email)
            if len(email) > Feedback._meta.get_field("email").max_length:
                raise ValidationError("")
        except ValidationError:
            errors["email"] = _("Địa chỉ thư điện tử không đúng.")
    return errors


def _limit(address: str) -> None:
    """``FEEDBACK_PER_HOUR`` accepted feedback per client address per hour (against floods,
    and messages to numbers that did not ask). Counted only for a request that would be
    stored: a mistake corrected does not count."""
    count, _peek = counter_store().hit(f"feedback:addr:{address}", window=HOUR)
    if count.value > settings.FEEDBACK_PER_HOUR:
        raise TooManyFeedback(count.retry_after())


def _new_code(now) -> str:
    """``PA-YYMMDD-XXXXXX``: the day of receipt and 6 random characters (31⁶ a day), so codes
    are not guessed one from another; a clash is drawn again."""
    day = now.astimezone(VN_TZ).strftime("%y%m%d")
    return f"PA-{day}-" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(6))


def _event(feedback: Feedback, action: str, actor: Actor, *, at, note: str = "", **data):
    FeedbackEvent.objects.create(
        feedback=feedback,
        action=action,
        actor=actor_user(actor),
        actor_name=actor_name(actor) or str(_("Người dân")),
        at=at,
        state_after=feedback.state,
        note=note,
        data=data,
    )


def feedback_submit(
    *,
    about: str,
    code: str,
    name: str,
    phone: str = "",
    email: str = "",
    content: str,
    address: str,
    actor: Actor,
) -> Feedback:
    """Receive feedback from the public: routed (``subject_find``), due in 15 working days
    on the answering agency's calendar (SPEC §8, §6), acknowledged to the person. Raises
    ``ValidationError`` (a message per field; nothing stored) or ``TooManyFeedback``.
    ``address`` is the client's rate-limit key."""
    name, phone, email, content = (
        name.strip(),
        phone.replace(" ", ""),
        email.strip(),
        content.strip(),
    )
    errors = _contact_errors(name=name, phone=phone, email=email, content=content)
    try:
        subject = subject_find(about=about, code=code)
    except ValidationError as exc:
        errors.update(exc.message_dict)
        subject = None
    if errors:
        raise ValidationError(errors)
    _limit(address)
    now = clock.now()
    due = add_working_time(
        now, days=ANSWER_WORKING_DAYS, calendar=calendar_get(agency=subject.agency)
    )
    for attempt in range(5):
        try:
            with transaction.atomic():
                feedback = Feedback.objects.create(
                    code=_new_code(now),
                    about=subject.about,
                    procedure=subject.procedure,
                    about_agency=subject.about_agency,
                    dossier=subject.dossier,
                    dossier_code=subject.dossier_code,
                    agency=subject.agency,
                    name=name,
                    phone=phone,
                    email=email,
                    content=content,
                    received_at=now,
                    due_at=due,
                )
                _event(feedback, "receive", actor, at=now)
                message_put(feedback, "feedback_received")
                return feedback
        except IntegrityError:
            if attempt == 4:  # five clashes in a row is not chance
                raise
    raise AssertionError("unreachable")


# --- the agency's work ---------------------------------------------------------------------


def _locked(feedback_id: int) -> Feedback:
    return (
        Feedback.objects.select_for_update(of=("self",))
        .select_related("agency")
        .get(pk=feedback_id)
    )


def _text(value: str, field: str, limit: int, required) -> str:
    value = (value or "").strip()
    if "\x00" in value:
        raise ValidationError({field: NUL})
    if not value and required:
        raise ValidationError({field: required})
    if len(value) > limit:
        raise ValidationError({field: _("Dài quá %(n)s ký tự.") % {"n": limit}})
    return value


@transaction.atomic
def feedback_assign(*, actor: Actor, feedback_id: int, assignee: str, note: str = "") -> Feedback:
    """The leader gives an open feedback to an officer of the agency (again: to another)."""
    feedback = _locked(feedback_id)
    access.may(actor, Action.ASSIGN, feedback)
    note = _text(note, "note", 2000, None)
    user = access.assignable_officers(feedback).filter(username=(assignee or "").strip()).first()
    if user is None:
        raise ValidationError(
            {"assignee": _("Chọn một cán bộ của %(agency)s.") % {"agency": feedback.agency.name}}
        )
    if user.pk == feedback.assignee_id:
        raise ValidationError(
            {"assignee": _("Phản ánh đang do %(name)s xử lý.") % {"name": person_name(user)}}
        )
    previous = feedback.assignee.username if feedback.assignee_id else None
    feedback.assignee, feedback.state = user, S.ASSIGNED
    feedback.save(update_fields=["assignee", "state"])
    _event(
        feedback,
        Action.ASSIGN,
        actor,
        at=clock.now(),
        note=note,
        assignee=user.username,
        assignee_name=person_name(user),
        previous_assignee=previous,
    )
    return feedback


@transaction.atomic
def feedback_answer(*, actor: Actor, feedback_id: int, answer: str) -> Feedback:
    """The answer, sent to the person at once (SMS with a link, e-mail with the text); on
    time when not after ``due_at``."""
    feedback = _locked(feedback_id)
    access.may(actor, Action.ANSWER, feedback)
    feedback.answer = _text(answer, "answer", 5000, _("Nhập nội dung trả lời."))
    now = clock.now()
    feedback.state, feedback.answered_at = S.ANSWERED, now
    feedback.answered_by = actor_user(actor)
    feedback.save(update_fields=["answer", "state", "answered_at", "answered_by"])
    _event(
        feedback,
        Action.ANSWER,
        actor,
        at=now,
        note=feedback.answer,
        on_time=feedback.answered_on_time,
    )
    message_put(feedback, "feedback_answered")
    return feedback


@transaction.atomic
def feedback_close(*, actor: Actor, feedback_id: int, note: str = "") -> Feedback:
    feedback = _locked(feedback_id)
    access.may(actor, Action.CLOSE, feedback)
    note = _text(note, "note", 2000, None)
    now = clock.now()
    feedback.state, feedback.closed_at = S.CLOSED, now
    feedback.save(update_fields=["state", "closed_at"])
    _event(feedback, Action.CLOSE, actor, at=now, note=note)
    return feedback


@transaction.atomic
def feedback_publish(
    *, actor: Actor, feedback_id: int, question: str, answer: str, publish: bool = True
) -> Feedback:
    """Show the question and answer on the procedure's page, in the leader's words (no name,
    nothing personal), or take them down. Only feedback about a procedure or a dossier
    (whose procedure it is) can be published."""
    feedback = _locked(feedback_id)
    access.may(actor, Action.PUBLISH, feedback)
    if publish:
        if feedback.procedure_id is None:
            raise ValidationError(
                _("Phản ánh về một cơ quan không gắn với thủ tục nào: không công khai được.")
            )
        feedback.public_question = _text(question, "question", 2000, _("Nhập câu hỏi."))
        feedback.public_answer = _text(answer, "public_answer", 5000, _("Nhập câu trả lời."))
        feedback.published, feedback.published_at = True, clock.now()
    else:
        feedback.published, feedback.published_at = False, None
    feedback.save(update_fields=["public_question", "public_answer", "published", "published_at"])
    _event(feedback, Action.PUBLISH, actor, at=clock.now(), published=feedback.published)
    return feedback
