"""Fees paid for a dossier (SPEC §10): one ``Payment`` per attempt to pay, through a gateway or
at the desk, and the append-only ``PaymentEvent`` log of everything that happened to them —
every gateway callback included, verified or not."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.models import Dossier


class PaymentState(models.TextChoices):
    """SPEC §10. A ``Payment`` row is pending, paid, cancelled or refunded; "unpaid" is the
    state of a dossier's fee that no payment covers (``selectors.fee_state``)."""

    UNPAID = "unpaid", _("Chưa nộp")
    PENDING = "pending", _("Đang chờ thanh toán")
    PAID = "paid", _("Đã nộp")
    CANCELLED = "cancelled", _("Đã hủy")
    REFUNDED = "refunded", _("Đã hoàn trả")


class PaymentProvider(models.TextChoices):
    """Where the money was paid: a gateway (``providers``), or the desk's cashier."""

    DEMO = "demo", _("Cổng thanh toán thử (không phải tiền thật)")
    VNPAY = "vnpay", _("VNPay")
    DVCQG = "dvcqg", _("Nền tảng thanh toán của Cổng Dịch vụ công quốc gia")
    DESK = "desk", _("Nộp tại Bộ phận một cửa")


ROW_STATES = [
    PaymentState.PENDING,
    PaymentState.PAID,
    PaymentState.CANCELLED,
    PaymentState.REFUNDED,
]


class Payment(models.Model):
    """One attempt to pay a dossier's fee: started (pending) and sent to a gateway, then paid
    or cancelled by the gateway's verified callback; paid at once when the desk records it;
    refunded by the desk afterwards. Its ``reference`` is the gateway's order reference
    (``vnp_TxnRef``) and the e-receipt's number."""

    dossier = models.ForeignKey(
        Dossier, verbose_name=_("hồ sơ"), on_delete=models.PROTECT, related_name="payments"
    )
    reference = models.CharField(_("mã tham chiếu"), max_length=40, unique=True)
    amount = models.PositiveBigIntegerField(_("số tiền (đồng)"))
    provider = models.CharField(_("hình thức"), max_length=10, choices=PaymentProvider.choices)
    state = models.CharField(
        _("trạng thái"),
        max_length=10,
        choices=[(s.value, s.label) for s in ROW_STATES],
        default=PaymentState.PENDING,
    )
    created_at = models.DateTimeField(_("tạo lúc"))
    paid_at = models.DateTimeField(_("nộp lúc"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("hủy lúc"), null=True, blank=True)
    refunded_at = models.DateTimeField(_("hoàn trả lúc"), null=True, blank=True)
    #: The gateway's own transaction number (``vnp_TransactionNo``), or the desk's paper
    #: receipt number.
    provider_transaction_id = models.CharField(_("mã giao dịch"), max_length=100, blank=True)
    #: The gateway's result code once its verified callback settled the payment (paid or
    #: not); a second callback then changes nothing (SPEC §12.3: "already confirmed").
    gateway_code = models.CharField(_("mã kết quả của cổng"), max_length=10, blank=True)
    #: Who paid, as the e-receipt names them (the applicant unless the desk wrote another).
    payer_name = models.CharField(_("người nộp"), max_length=255)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    started_by_name = models.CharField(_("người tạo"), max_length=255)
    #: Why it was cancelled or refunded, or the desk officer's note.
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        ordering = ["dossier", "created_at", "pk"]
        indexes = [models.Index(fields=["dossier", "state"], name="payment_dossier_state_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state__in=[s.value for s in ROW_STATES]),
                name="payment_state_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(state__in=["paid", "refunded"])
                | models.Q(paid_at__isnull=False),
                name="payment_paid_has_time",
            ),
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="payment_amount_positive"
            ),
        ]
        verbose_name = _("khoản thanh toán")
        verbose_name_plural = _("khoản thanh toán")

    def __str__(self):
        return f"{self.reference} ({self.get_state_display()})"

    @property
    def is_online(self) -> bool:
        return self.provider != PaymentProvider.DESK

    @property
    def counts_as_paid(self) -> bool:
        return self.state == PaymentState.PAID


class AppendOnlyError(Exception):
    pass


class PaymentEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("Nhật ký thanh toán chỉ được ghi thêm, không được sửa.")

    def delete(self):
        raise AppendOnlyError("Nhật ký thanh toán không được xóa.")


class PaymentEvent(models.Model):
    """Something that happened to a payment, or a gateway callback that named one (or none it
    knows): who or which gateway, when, the outcome, whether its signature held, and the
    parameters received (never a secret). Append-only: saving an existing row, deleting,
    and queryset ``update``/``delete`` raise."""

    class Kind(models.TextChoices):
        STARTED = "started", _("Tạo giao dịch")
        CALLBACK = "callback", _("Cổng thanh toán báo kết quả")
        DESK = "desk", _("Ghi nhận nộp tại bộ phận một cửa")
        CANCELLED = "cancelled", _("Hủy giao dịch")
        REFUNDED = "refunded", _("Hoàn trả")

    class Outcome(models.TextChoices):
        """What the event did; a callback's outcome is also its answer to the gateway."""

        STARTED = "started", _("Đã tạo, chờ thanh toán")
        CONFIRMED = "confirmed", _("Đã xác nhận thanh toán")
        CANCELLED = "cancelled", _("Đã hủy (thanh toán không thành công)")
        UNKNOWN = "unknown", _("Không có giao dịch với mã tham chiếu này")
        ALREADY = "already", _("Giao dịch đã được xử lý trước đó: không ghi lại")
        WRONG_AMOUNT = "wrong_amount", _("Sai số tiền: không xác nhận")
        BAD_SIGNATURE = "bad_signature", _("Sai chữ ký: không thay đổi gì")
        RECORDED = "recorded", _("Đã ghi nhận")
        REFUNDED = "refunded", _("Đã hoàn trả")

    payment = models.ForeignKey(
        Payment, on_delete=models.PROTECT, null=True, blank=True, related_name="events"
    )
    at = models.DateTimeField(_("thời điểm"), db_index=True)
    kind = models.CharField(_("loại"), max_length=10, choices=Kind.choices)
    provider = models.CharField(_("hình thức"), max_length=10, choices=PaymentProvider.choices)
    #: The reference as the callback gave it (kept even when no payment has it).
    reference = models.CharField(_("mã tham chiếu"), max_length=100, blank=True)
    verified = models.BooleanField(_("chữ ký hợp lệ"), default=True)
    outcome = models.CharField(_("kết quả"), max_length=15, choices=Outcome.choices)
    actor_name = models.CharField(_("người / hệ thống"), max_length=255)
    note = models.TextField(_("ghi chú"), blank=True)
    #: The parameters received or sent, minus secrets (``providers.base.loggable``).
    params = models.JSONField(_("tham số"), default=dict, blank=True)

    objects = PaymentEventQuerySet.as_manager()

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("nhật ký thanh toán")
        verbose_name_plural = _("nhật ký thanh toán")

    def __str__(self):
        return f"{self.at:%d/%m/%Y %H:%M} {self.reference} {self.get_outcome_display()}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("Nhật ký thanh toán chỉ được ghi thêm, không được sửa.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Nhật ký thanh toán không được xóa.")
