"""Paying a dossier's fee (SPEC §10): the only writers of ``Payment`` and ``PaymentEvent``.

- ``payment_start``: a pending payment of the dossier's whole fee and the gateway's address.
- ``payment_callback``: a gateway's callback (IPN), verified first: a bad signature changes
  nothing (logged, 97); then ``payment_confirm`` or, when the gateway says the money was not
  taken, the payment is cancelled.
- ``payment_confirm``: idempotent — an unknown reference (01), a wrong amount (04) or a
  payment the gateway already settled (02) records nothing but the log row; otherwise paid,
  and the dossier's trace records it through ``dossier_apply`` in the same transaction: a
  dossier waiting for payment (SPEC §6, DVCQG 6) goes back to processing
  (``payment_received``), any other gets a ``fee_paid`` event and keeps its status.
- ``payment_cancel``, ``payment_record_at_desk``, ``payment_refund``, ``payments_expire``.

A payment that fails or is abandoned leaves the dossier as it was: only a confirmed payment
touches it. Every function writes its ``PaymentEvent`` in its own transaction; the dossier's
row is locked before the payment's, everywhere, so two writers never wait on each other.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import parse_qsl, urlsplit

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from motcua import clock
from motcua.actors import SYSTEM, SystemActor
from motcua.catalog.templatetags.money import vnd
from motcua.dossiers.access import Actor, Officer
from motcua.dossiers.models import Dossier, Status
from motcua.dossiers.services import dossier_apply
from motcua.dossiers.transitions import Action
from motcua.payments import access
from motcua.payments.access import Payer
from motcua.payments.models import Payment, PaymentEvent, PaymentProvider, PaymentState
from motcua.payments.providers import BadSignature, gateway_get
from motcua.payments.providers.base import clean, loggable
from motcua.payments.selectors import PAYABLE_STATUSES, payable_errors
from motcua.workcalendar.calendar import VN_TZ

Outcome = PaymentEvent.Outcome
Kind = PaymentEvent.Kind


@dataclass(frozen=True)
class Started:
    payment: Payment
    url: str


def new_reference(now: datetime) -> str:
    """``MC`` + the day (YYMMDD) + 16 random hex digits: unique, unguessable, and within
    every gateway's limits (VNPay: 100 characters)."""
    return f"MC{now.astimezone(VN_TZ):%y%m%d}{secrets.token_hex(8).upper()}"


def payment_path(payment: Payment, name: str) -> str:
    """The payment's own page (``result``, ``receipt``), by its signed link."""
    return reverse(f"payments:{name}", args=[access.payment_token(payment.reference)])


def _lock(dossier_id: int) -> Dossier:
    return (
        Dossier.objects.select_for_update(of=("self",))
        .select_related("procedure_version__procedure")
        .get(pk=dossier_id)
    )


def _event(payment, *, kind, outcome, provider, actor_name, reference="", **fields):
    return PaymentEvent.objects.create(
        payment=payment,
        at=clock.now(),
        kind=kind,
        outcome=outcome,
        provider=provider,
        reference=clean(reference or (payment.reference if payment else ""), 100),
        actor_name=clean(actor_name, 255),
        **fields,
    )


# --- starting --------------------------------------------------------------------------------


def payment_start(
    *, dossier_id: int, provider: str, payer: Payer, base_url: str, client_ip: str = ""
) -> Started:
    """A pending payment of the dossier's whole fee through ``provider``, and the address to
    send the payer to. Raises ``PermissionDenied`` (``payer`` may not pay this dossier) or
    ``ValidationError`` (gateway not configured, nothing to pay, already paid, dossier
    closed); then nothing is stored. ``base_url`` is this site as the payer reaches it."""
    gateway = gateway_get(provider)
    if gateway is None or not gateway.enabled():
        raise ValidationError(
            {
                "provider": _("Hình thức thanh toán “%(name)s” chưa được cấu hình.")
                % {"name": provider}
            }
        )
    with transaction.atomic():
        dossier = _lock(dossier_id)
        if not access.may_pay(payer, dossier):
            raise PermissionDenied(_("Bạn không có quyền nộp phí cho hồ sơ này."))
        if errors := payable_errors(dossier):
            raise ValidationError(errors)
        now = clock.now()
        payment = Payment.objects.create(
            dossier=dossier,
            reference=new_reference(now),
            amount=dossier.fee_amount,
            provider=provider,
            created_at=now,
            payer_name=dossier.applicant_name,
            started_by=access.payer_user(payer),
            started_by_name=access.payer_name(payer),
        )
        return_url = base_url.rstrip("/") + payment_path(payment, "result")
        url = gateway.payment_url(
            payment, base_url=base_url, return_url=return_url, client_ip=client_ip
        )
        _event(
            payment,
            kind=Kind.STARTED,
            outcome=Outcome.STARTED,
            provider=provider,
            actor_name=access.payer_name(payer),
            params=loggable(dict(parse_qsl(urlsplit(url).query))),
        )
    return Started(payment=payment, url=url)


# --- callbacks -------------------------------------------------------------------------------


def payment_callback(*, provider: str, params: Mapping[str, str]) -> Outcome:
    """A gateway's callback (IPN): verified, then confirmed or cancelled, idempotently. Every
    callback is logged with its parameters, verified or not; only a verified one changes
    anything."""
    gateway = gateway_get(provider)
    if gateway is None:
        raise ValueError(f"Không có cổng thanh toán {provider!r}")
    logged = loggable(params)
    try:
        callback = gateway.callback(params)
    except BadSignature:
        _event(
            None,
            kind=Kind.CALLBACK,
            outcome=Outcome.BAD_SIGNATURE,
            provider=provider,
            actor_name=gateway.label,
            reference=str(params.get(gateway.reference_param, "")),
            verified=False,
            params=logged,
        )
        return Outcome.BAD_SIGNATURE
    if callback.success:
        return payment_confirm(
            provider=provider,
            reference=callback.reference,
            amount=callback.amount,
            transaction_id=callback.transaction_id,
            gateway_code=callback.gateway_code,
            params=logged,
        )
    return _gateway_refused(
        provider=provider,
        reference=callback.reference,
        amount=callback.amount,
        gateway_code=callback.gateway_code,
        params=logged,
    )


def _settle_check(*, provider, reference, amount, params, actor_name):
    """The payment a verified callback names, locked with its dossier, or the outcome that
    ends the callback there (logged): unknown reference, wrong amount, already settled."""
    found = Payment.objects.filter(reference=reference, provider=provider).first()
    common = {"kind": Kind.CALLBACK, "provider": provider, "actor_name": actor_name}
    if found is None:
        _event(None, outcome=Outcome.UNKNOWN, reference=reference, params=params, **common)
        return None, None, Outcome.UNKNOWN
    dossier = _lock(found.dossier_id)
    payment = Payment.objects.select_for_update().get(pk=found.pk)
    if amount != payment.amount:
        note = _("Cổng báo %(given)s, khoản thanh toán là %(amount)s.") % {
            "given": vnd(amount) if amount is not None else "?",
            "amount": vnd(payment.amount),
        }
        _event(payment, outcome=Outcome.WRONG_AMOUNT, params=params, note=note, **common)
        return None, None, Outcome.WRONG_AMOUNT
    settled = payment.gateway_code or payment.state in (PaymentState.PAID, PaymentState.REFUNDED)
    if settled:
        _event(payment, outcome=Outcome.ALREADY, params=params, **common)
        return None, None, Outcome.ALREADY
    return payment, dossier, None


def payment_confirm(
    *,
    provider: str,
    reference: str,
    amount: int | None,
    transaction_id: str,
    params: Mapping[str, str],
    gateway_code: str = "00",
) -> Outcome:
    """The gateway says the money was taken (its callback already verified): the payment is
    paid, once. Unknown reference, wrong amount, or a payment the gateway settled before:
    nothing changes but the log. A dossier waiting for payment goes back to processing
    (``payment_received`` as the system, SPEC §6). A payment cancelled here (expired, or by
    the desk) whose money the gateway took after all is paid too: the money arrived."""
    gateway = gateway_get(provider)
    with transaction.atomic():
        payment, dossier, ended = _settle_check(
            provider=provider,
            reference=reference,
            amount=amount,
            params=params,
            actor_name=gateway.label,
        )
        if ended:
            return ended
        now = clock.now()
        was_cancelled = payment.state == PaymentState.CANCELLED
        payment.state, payment.paid_at = PaymentState.PAID, now
        payment.gateway_code = clean(gateway_code, 10)
        payment.provider_transaction_id = clean(transaction_id, 100)
        payment.save()
        notes = []
        if was_cancelled:
            notes.append(_("Khoản này đã bị hủy ở Motcua nhưng cổng thanh toán đã thu tiền."))
        traced = _trace_paid(dossier, actor=SystemActor(name=gateway.label), payment=payment)
        if traced == RESUMED:
            notes.append(_("Hồ sơ tiếp tục được xử lý."))
        elif traced == CLOSED:
            notes.append(
                _("Hồ sơ đã kết thúc (“%(status)s”) trước khi tiền về: cần hoàn trả khoản này.")
                % {"status": Status(dossier.status).label}
            )
        if Payment.objects.filter(dossier=dossier, state=PaymentState.PAID).count() > 1:
            notes.append(_("Hồ sơ đã có khoản nộp khác: cần hoàn trả một khoản."))
        _event(
            payment,
            kind=Kind.CALLBACK,
            outcome=Outcome.CONFIRMED,
            provider=provider,
            actor_name=gateway.label,
            params=params,
            note=" ".join(notes),
        )
    return Outcome.CONFIRMED


def _gateway_refused(*, provider, reference, amount, gateway_code, params) -> Outcome:
    """The gateway says the money was not taken (failed, or the payer cancelled on its
    page): the payment is cancelled; the dossier stays as it was."""
    gateway = gateway_get(provider)
    with transaction.atomic():
        payment, _dossier, ended = _settle_check(
            provider=provider,
            reference=reference,
            amount=amount,
            params=params,
            actor_name=gateway.label,
        )
        if ended:
            return ended
        payment.gateway_code = clean(gateway_code, 10)
        if payment.state == PaymentState.PENDING:
            payment.state, payment.cancelled_at = PaymentState.CANCELLED, clock.now()
        payment.save()
        _event(
            payment,
            kind=Kind.CALLBACK,
            outcome=Outcome.CANCELLED,
            provider=provider,
            actor_name=gateway.label,
            params=params,
            note=_("Mã kết quả của cổng: %(code)s.") % {"code": payment.gateway_code},
        )
    return Outcome.CANCELLED


RESUMED, TRACED, CLOSED = "resumed", "traced", "closed"


def _trace_paid(dossier: Dossier, *, actor: Actor, payment: Payment) -> str:
    """The dossier's trace records the fee paid, through the one function that writes it
    (``dossier_apply``): a dossier waiting for payment goes back to processing, its due time
    moved later by the wait (``payment_received``, SPEC §6), done by ``actor`` (the desk
    officer, or the gateway as the system); any other gets a ``fee_paid`` event, the status
    kept, recorded by the system in ``actor``'s name. A dossier closed meanwhile (money a
    gateway took after it was withdrawn) is not touched: ``CLOSED``, the payment is still
    recorded, to be refunded."""
    if dossier.status not in PAYABLE_STATUSES:
        return CLOSED
    note = _("Đã nộp %(amount)s (%(provider)s, mã tham chiếu %(reference)s).") % {
        "amount": vnd(payment.amount),
        "provider": payment.get_provider_display(),
        "reference": payment.reference,
    }
    waiting = dossier.status == Status.WAITING_PAYMENT
    if not waiting and not isinstance(actor, SystemActor):
        actor = SystemActor(name=_actor_name(actor))
    dossier_apply(
        dossier_id=dossier.pk,
        action=Action.PAYMENT_RECEIVED if waiting else Action.FEE_PAID,
        actor=actor,
        expected_version=None,
        note=note,
    )
    return RESUMED if waiting else TRACED


# --- the desk and the staff ------------------------------------------------------------------


def payment_record_at_desk(
    *,
    dossier_id: int,
    actor: Officer,
    payer_name: str = "",
    receipt_number: str = "",
    note: str = "",
) -> Payment:
    """The desk officer took the fee in cash (or saw the proof of a transfer): a paid payment
    with the same e-receipt; a dossier waiting for payment goes back to processing, the
    officer named in its trace. Refused when the fee is nothing, already paid, or the
    dossier closed."""
    with transaction.atomic():
        dossier = _lock(dossier_id)
        if not access.may_record_at_desk(actor, dossier):
            raise PermissionDenied(_("Chỉ cán bộ bộ phận một cửa của hồ sơ ghi nhận nộp phí."))
        if errors := payable_errors(dossier):
            raise ValidationError(errors)
        errors = {}
        for field, value, limit in (
            ("payer_name", payer_name, 255),
            ("receipt_number", receipt_number, 100),
            ("note", note, 2000),
        ):
            if "\x00" in value:
                errors[field] = _("Không được chứa ký tự NUL.")
            elif len(value.strip()) > limit:
                errors[field] = _("Tối đa %(n)s ký tự.") % {"n": limit}
        if errors:
            raise ValidationError(errors)
        now = clock.now()
        payment = Payment.objects.create(
            dossier=dossier,
            reference=new_reference(now),
            amount=dossier.fee_amount,
            provider=PaymentProvider.DESK,
            state=PaymentState.PAID,
            created_at=now,
            paid_at=now,
            provider_transaction_id=receipt_number.strip(),
            payer_name=payer_name.strip() or dossier.applicant_name,
            started_by=actor.user,
            started_by_name=actor.name,
            note=note.strip(),
        )
        resumed = _trace_paid(dossier, actor=actor, payment=payment)
        _event(
            payment,
            kind=Kind.DESK,
            outcome=Outcome.RECORDED,
            provider=PaymentProvider.DESK,
            actor_name=actor.name,
            note=_("Hồ sơ tiếp tục được xử lý.") if resumed == RESUMED else "",
        )
    return payment


def _staff_change(reference: str, actor: Actor, allowed, refusal: str):
    found = Payment.objects.filter(reference=reference).first()
    if found is None:
        raise ValidationError(_("Không có khoản thanh toán với mã tham chiếu này."))
    dossier = _lock(found.dossier_id)
    if not allowed(actor, dossier):
        raise PermissionDenied(refusal)
    return Payment.objects.select_for_update().get(pk=found.pk)


def payment_refund(*, reference: str, actor: Actor, reason: str) -> Payment:
    """The fee was given back (through the gateway's merchant portal, or in cash): recorded
    with its reason. Only a paid payment; the dossier is not touched."""
    reason = reason.strip()
    if not reason or "\x00" in reason:
        raise ValidationError({"reason": _("Ghi rõ lý do hoàn trả.")})
    with transaction.atomic():
        payment = _staff_change(
            reference,
            actor,
            access.may_refund,
            _("Chỉ bộ phận một cửa hoặc lãnh đạo cơ quan giải quyết ghi nhận hoàn trả."),
        )
        if payment.state != PaymentState.PAID:
            raise ValidationError(_("Chỉ hoàn trả được khoản đã nộp."))
        payment.state, payment.refunded_at = PaymentState.REFUNDED, clock.now()
        payment.note = reason[:2000]
        payment.save()
        _event(
            payment,
            kind=Kind.REFUNDED,
            outcome=Outcome.REFUNDED,
            provider=payment.provider,
            actor_name=_actor_name(actor),
            note=reason[:2000],
        )
    return payment


def payment_cancel(*, reference: str, actor: Actor, reason: str) -> Payment:
    """A payment still waiting is given up (the payer left; it expired). Should the gateway
    take the money after all, its verified callback still confirms it. The dossier is not
    touched."""
    with transaction.atomic():
        payment = _staff_change(
            reference,
            actor,
            access.may_cancel,
            _("Chỉ cán bộ bộ phận một cửa của hồ sơ hủy giao dịch đang chờ."),
        )
        if payment.state != PaymentState.PENDING:
            raise ValidationError(_("Chỉ hủy được giao dịch đang chờ thanh toán."))
        payment.state, payment.cancelled_at = PaymentState.CANCELLED, clock.now()
        payment.note = clean(reason.strip(), 2000)
        payment.save()
        _event(
            payment,
            kind=Kind.CANCELLED,
            outcome=Outcome.CANCELLED,
            provider=payment.provider,
            actor_name=_actor_name(actor),
            note=payment.note,
        )
    return payment


def payments_expire(*, now: datetime | None = None) -> int:
    """Cancel the gateway payments still pending past their expiry (``vnp_ExpireDate``: the
    gateway takes no money after it) and a grace of as long again for late callbacks."""
    now = now or clock.now()
    limit = now - timedelta(minutes=2 * settings.PAYMENT_EXPIRE_MINUTES)
    references = Payment.objects.filter(
        state=PaymentState.PENDING, created_at__lt=limit
    ).values_list("reference", flat=True)
    count = 0
    for reference in list(references):
        try:
            payment_cancel(reference=reference, actor=SYSTEM, reason=_("Quá thời hạn thanh toán."))
            count += 1
        except ValidationError:
            continue  # settled meanwhile
    return count


def _actor_name(actor: Actor) -> str:
    from motcua.dossiers.access import actor_name

    return actor_name(actor)
