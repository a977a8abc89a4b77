"""The pages of paying a fee: the payer's (choose a gateway, come back, the e-receipt), the
demo gateway's, and the desk's forms on the dossier page. Each parses, calls one service or
selector, renders."""

from __future__ import annotations

import secrets
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from motcua import clock
from motcua.clientaddress import client_address
from motcua.dossiers import access as dossier_access
from motcua.dossiers.models import Dossier
from motcua.payments import access, receipts
from motcua.payments.models import PaymentState
from motcua.payments.providers import gateways_enabled
from motcua.payments.providers import vnpay as vnp
from motcua.payments.providers.demo import TMN_CODE, DemoGateway, demo_enabled
from motcua.payments.selectors import (
    fee_state,
    pay_link,
    payable_errors,
    payment_get,
    payments_of,
)
from motcua.payments.services import (
    payment_callback,
    payment_cancel,
    payment_path,
    payment_record_at_desk,
    payment_refund,
    payment_start,
)


def site_url(request) -> str:
    """This site as the payer reaches it (the gateways send them back here)."""
    return request.build_absolute_uri("/").rstrip("/")


def _messages_of(exc: ValidationError) -> str:
    return " ".join(exc.messages)


# --- the payer's pages -----------------------------------------------------------------------


def _payer_and_dossier(request, ref: str, token: str):
    """(payer, dossier): the logged-in user who may see the dossier, else the holder of the
    dossier's pay link; (None, None) when neither."""
    actor = dossier_access.request_actor(request)
    dossier = dossier_access.dossier_get_visible(actor, ref=ref)
    if dossier is not None:
        return actor, dossier
    holder = access.pay_link_holder(token) if token else None
    if holder is not None:
        dossier = (
            Dossier.objects.select_related("procedure_version__procedure")
            .filter(uid=holder.dossier_uid)
            .first()
        )
        if dossier is not None and dossier.ref == ref:
            return holder, dossier
    return None, None


def pay(request, ref):
    """Pay a dossier's fee online: the gateways configured here, then off to the chosen one.
    The applicant's own account, an officer who sees the dossier, or the look-up's pay link."""
    token = (request.POST.get("t") or request.GET.get("t") or "")[:200]
    payer, dossier = _payer_and_dossier(request, ref, token)
    if dossier is None:
        if not request.user.is_authenticated and not token:
            return redirect_to_login(request.get_full_path())
        raise Http404
    gateways = gateways_enabled()
    if request.method == "POST":
        try:
            started = payment_start(
                dossier_id=dossier.pk,
                provider=request.POST.get("provider", "")[:20],
                payer=payer,
                base_url=site_url(request),
                client_ip=client_address(request) or "",
            )
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as exc:
            messages.error(request, _messages_of(exc))
            return redirect(f"{request.path}?{urlencode({'t': token})}" if token else request.path)
        return redirect(started.url)
    payments = payments_of(dossier)
    context = {
        "dossier": dossier,
        "token": token,
        "gateways": gateways,
        "refusals": payable_errors(dossier),
        "state": fee_state(dossier, payments),
        "payments": [(p, payment_path(p, "result"), payment_path(p, "receipt")) for p in payments],
    }
    response = render(request, "payments/pay.html", context)
    # The form's POST is answered by a redirect to the gateway: the policy must allow it.
    origins = sorted({o for g in gateways for o in g.origins(site_url(request))})
    if origins:
        response._csp_update = {"form-action": origins}
    return response


def _payment_by_token(token: str):
    reference = access.payment_reference(token)
    payment = payment_get(reference) if reference else None
    if payment is None:
        raise Http404
    return payment


def result(request, token):
    """Where a gateway sends the payer back: what Motcua recorded, never what the address
    says (only the gateway's verified callback confirms a payment)."""
    payment = _payment_by_token(token)
    retry = None
    if payment.state == PaymentState.CANCELLED and not payable_errors(payment.dossier):
        retry = pay_link(payment.dossier)
    context = {
        "payment": payment,
        "dossier": payment.dossier,
        "receipt_url": payment_path(payment, "receipt"),
        "retry_url": retry,
    }
    return render(request, "payments/result.html", context)


def receipt(request, token):
    """The e-receipt of a paid (or since refunded) payment, as HTML or PDF (``?pdf=1``)."""
    payment = _payment_by_token(token)
    if payment.state not in (PaymentState.PAID, PaymentState.REFUNDED):
        raise Http404
    if request.GET.get("pdf"):
        response = HttpResponse(receipts.receipt_pdf(payment), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="bien-lai-{payment.reference}.pdf"'
        return response
    return render(request, receipts.TEMPLATE, receipts.receipt_context(payment))


# --- the demo gateway ------------------------------------------------------------------------


def _demo_request(params) -> dict[str, str] | None:
    """A payment request signed for the demo merchant, or None."""
    gateway = DemoGateway()
    request_params = {k: str(v) for k, v in params.items() if k.startswith("vnp_")}
    if request_params.get("vnp_TmnCode") != TMN_CODE:
        return None
    if not vnp.signature_holds(request_params, gateway.secret()):
        return None
    return request_params


def _demo_refusal(request, message: str):
    return render(request, "payments/demo_gateway.html", {"refusal": message}, status=400)


def demo_gateway(request):
    """The demo gateway's page: what is asked, and two buttons (paid, cancelled)."""
    if not demo_enabled():
        raise Http404
    params = _demo_request(request.GET)
    if params is None:
        return _demo_refusal(request, _("Yêu cầu thanh toán không hợp lệ (sai chữ ký)."))
    expires = params.get("vnp_ExpireDate", "")
    if expires and expires < vnp.vnp_time(clock.now()):
        return _demo_refusal(request, _("Yêu cầu thanh toán đã hết hạn."))
    context = {
        "params": sorted(params.items()),
        "amount": vnp.amount_of(params.get("vnp_Amount", "")),
        "reference": params.get("vnp_TxnRef", ""),
        "order_info": params.get("vnp_OrderInfo", ""),
    }
    return render(request, "payments/demo_gateway.html", context)


@require_POST
def demo_finish(request):
    """The payer pressed "paid" or "cancel": the demo gateway calls back through the same
    signed IPN handling as VNPay's (``payment_callback``), then sends the payer back to the
    return address, as a gateway does."""
    if not demo_enabled():
        raise Http404
    params = _demo_request(request.POST)
    if params is None:
        return _demo_refusal(request, _("Yêu cầu thanh toán không hợp lệ (sai chữ ký)."))
    paid = request.POST.get("outcome") == "paid"
    ipn = {
        "vnp_Amount": params.get("vnp_Amount", ""),
        "vnp_BankCode": "MOTCUADEMO",
        "vnp_CardType": "DEMO",
        "vnp_OrderInfo": params.get("vnp_OrderInfo", ""),
        "vnp_PayDate": vnp.vnp_time(clock.now()),
        "vnp_ResponseCode": vnp.SUCCESS if paid else vnp.CANCELLED_BY_PAYER,
        "vnp_TmnCode": TMN_CODE,
        "vnp_TransactionNo": str(10_000_000 + secrets.randbelow(90_000_000)),
        "vnp_TransactionStatus": vnp.SUCCESS if paid else "02",
        "vnp_TxnRef": params.get("vnp_TxnRef", ""),
    }
    ipn[vnp.HASH] = vnp.sign(ipn, DemoGateway().secret())
    payment_callback(provider="demo", params=ipn)
    back = params.get("vnp_ReturnUrl", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return _demo_refusal(request, _("Địa chỉ trả về không thuộc máy chủ này."))
    return redirect(f"{back}?{urlencode(ipn)}")


# --- the desk's forms ------------------------------------------------------------------------


def _staff_dossier(request, ref):
    actor = dossier_access.request_actor(request)
    dossier = dossier_access.dossier_get_visible(actor, ref=ref)
    if dossier is None:
        raise Http404
    return actor, dossier


@login_required
@require_POST
def record_at_desk(request, ref):
    actor, dossier = _staff_dossier(request, ref)
    try:
        payment = payment_record_at_desk(
            dossier_id=dossier.pk,
            actor=actor,
            payer_name=request.POST.get("payer_name", ""),
            receipt_number=request.POST.get("receipt_number", ""),
            note=request.POST.get("note", ""),
        )
    except (PermissionDenied, ValidationError) as exc:
        messages.error(request, _messages_of(exc) if isinstance(exc, ValidationError) else str(exc))
    else:
        messages.success(
            request,
            _("Đã ghi nhận nộp phí, lệ phí tại bộ phận một cửa (biên lai %(reference)s).")
            % {"reference": payment.reference},
        )
    return redirect("dossiers:detail", ref=dossier.ref)


def _staff_payment_change(request, ref, reference, service, done):
    actor, dossier = _staff_dossier(request, ref)
    if not dossier.payments.filter(reference=reference).exists():
        raise Http404
    try:
        service(reference=reference, actor=actor, reason=request.POST.get("reason", ""))
    except (PermissionDenied, ValidationError) as exc:
        messages.error(request, _messages_of(exc) if isinstance(exc, ValidationError) else str(exc))
    else:
        messages.success(request, done)
    return redirect("dossiers:detail", ref=dossier.ref)


@login_required
@require_POST
def refund(request, ref, reference):
    return _staff_payment_change(
        request, ref, reference, payment_refund, _("Đã ghi nhận hoàn trả.")
    )


@login_required
@require_POST
def cancel(request, ref, reference):
    return _staff_payment_change(
        request, ref, reference, payment_cancel, _("Đã hủy giao dịch đang chờ thanh toán.")
    )
