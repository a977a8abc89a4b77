"""The desk floor: queue services and counters of a desk, the day's tickets (số thứ tự), each
turn of a ticket at a counter, what the display board announced, and appointments.

Rows are written only by ``services.py``; the queue's order is ``selectors.queue_order``.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.agencies.models import Desk


class Service(models.Model):
    """What a citizen queues for at a desk: a field (lĩnh vực) or a group of procedures
    ("Hộ tịch", "Đất đai", "Trả kết quả"). Counters serve one or more services."""

    desk = models.ForeignKey(
        Desk, verbose_name=_("bộ phận một cửa"), on_delete=models.CASCADE, related_name="services"
    )
    code = models.SlugField(_("mã dịch vụ"), max_length=40)
    name = models.CharField(_("tên dịch vụ"), max_length=200)
    fields = models.ManyToManyField(
        "catalog.Field", verbose_name=_("lĩnh vực"), blank=True, related_name="+"
    )
    procedures = models.ManyToManyField(
        "catalog.Procedure", verbose_name=_("thủ tục"), blank=True, related_name="+"
    )
    #: For the estimated wait and the appointments' capacity until real figures exist.
    average_minutes = models.PositiveSmallIntegerField(
        _("thời gian phục vụ trung bình (phút)"), default=10
    )
    bookable = models.BooleanField(_("cho đặt lịch hẹn trực tuyến"), default=True)
    order = models.PositiveSmallIntegerField(_("thứ tự hiển thị"), default=0)
    is_active = models.BooleanField(_("đang phục vụ"), default=True)

    class Meta:
        ordering = ["desk", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["desk", "code"], name="queue_service_code_unique"),
            models.CheckConstraint(
                condition=models.Q(average_minutes__gte=1), name="queue_service_minutes_positive"
            ),
        ]
        verbose_name = _("dịch vụ xếp hàng")
        verbose_name_plural = _("dịch vụ xếp hàng")

    def __str__(self):
        return self.name


class Counter(models.Model):
    """A counter (quầy) of a desk, where an officer calls the next ticket."""

    desk = models.ForeignKey(
        Desk, verbose_name=_("bộ phận một cửa"), on_delete=models.CASCADE, related_name="counters"
    )
    number = models.PositiveSmallIntegerField(_("số quầy"))
    name = models.CharField(_("tên quầy"), max_length=100, blank=True)
    services = models.ManyToManyField(
        Service, verbose_name=_("dịch vụ phục vụ"), related_name="counters"
    )
    is_active = models.BooleanField(_("đang mở"), default=True)

    class Meta:
        ordering = ["desk", "number"]
        constraints = [
            models.UniqueConstraint(fields=["desk", "number"], name="queue_counter_number_unique")
        ]
        verbose_name = _("quầy")
        verbose_name_plural = _("quầy")

    def __str__(self):
        return f"Quầy {self.number}" + (f" – {self.name}" if self.name else "")


class TicketDay(models.Model):
    """The numbering of one desk on one day: ``last`` is the last number given. Bumped by one
    atomic upsert (``services.ticket_number_next``); a new day starts a new row."""

    desk = models.ForeignKey(Desk, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["desk", "day"], name="ticket_day_unique")]

    def __str__(self):
        return f"{self.desk_id} {self.day}: {self.last}"


class Ticket(models.Model):
    """A queue ticket (số thứ tự): one citizen's place in the desk's queue for one day."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("Đang chờ")
        CALLED = "called", _("Đang được phục vụ")
        DONE = "done", _("Đã phục vụ xong")
        NO_SHOW = "no_show", _("Vắng mặt")
        EXPIRED = "expired", _("Hết ngày, chưa phục vụ")

    class PriorityReason(models.TextChoices):
        ELDERLY = "elderly", _("Người cao tuổi (từ 60 tuổi)")
        DISABILITY = "disability", _("Người khuyết tật")
        PREGNANT = "pregnant", _("Phụ nữ có thai")
        YOUNG_CHILD = "young_child", _("Người đi cùng trẻ dưới 6 tuổi")
        WAR_INVALID = "war_invalid", _("Thương binh, người có công")

    desk = models.ForeignKey(Desk, on_delete=models.PROTECT, related_name="tickets")
    service = models.ForeignKey(
        Service, verbose_name=_("dịch vụ"), on_delete=models.PROTECT, related_name="tickets"
    )
    day = models.DateField(_("ngày"))
    number = models.PositiveIntegerField(_("số"))
    #: The QR code's link to "your place in the queue" (no personal data there).
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    priority = models.BooleanField(_("ưu tiên"), default=False)
    priority_reason = models.CharField(
        _("đối tượng ưu tiên"), max_length=20, choices=PriorityReason.choices, blank=True
    )
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=Status.choices, default=Status.WAITING
    )
    issued_at = models.DateTimeField(_("lấy số lúc"))
    #: Its place in line: ``issued_at``, kept when the ticket is transferred.
    queued_at = models.DateTimeField()
    #: A booked ticket is served from its slot's start, before walk-ins (``Appointment``).
    serve_after = models.DateTimeField(null=True, blank=True)
    #: Transferred to one counter: only that counter calls it.
    for_counter = models.ForeignKey(
        Counter, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    #: Where and by whom it was last called.
    counter = models.ForeignKey(
        Counter, verbose_name=_("quầy"), on_delete=models.SET_NULL, null=True, blank=True
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    called_at = models.DateTimeField(_("được gọi lúc"), null=True, blank=True)
    finished_at = models.DateTimeField(_("xong lúc"), null=True, blank=True)

    class Meta:
        ordering = ["day", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["desk", "day", "number"], name="ticket_number_unique_per_desk_day"
            )
        ]
        indexes = [models.Index(fields=["desk", "day", "status"], name="ticket_queue_idx")]
        verbose_name = _("số thứ tự")
        verbose_name_plural = _("số thứ tự")

    def __str__(self):
        return f"{self.number} ({self.day:%d/%m/%Y})"


class TicketCall(models.Model):
    """One turn of a ticket at a counter: from the call to its end (served, no-show or
    transferred). Waiting and service times per service, counter and officer come from here."""

    class Outcome(models.TextChoices):
        SERVED = "served", _("Đã phục vụ")
        NO_SHOW = "no_show", _("Vắng mặt")
        TRANSFERRED = "transferred", _("Chuyển quầy / dịch vụ")
        #: Left open when the day closed: its real end is unknown, so it measures nothing.
        UNFINISHED = "unfinished", _("Không bấm kết thúc")

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="calls")
    desk = models.ForeignKey(Desk, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    counter = models.ForeignKey(Counter, on_delete=models.PROTECT, related_name="calls")
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="+")
    waiting_since = models.DateTimeField()
    called_at = models.DateTimeField()
    recalls = models.PositiveSmallIntegerField(default=0)
    ended_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=12, choices=Outcome.choices, blank=True)

    class Meta:
        ordering = ["called_at", "pk"]
        indexes = [models.Index(fields=["desk", "day"], name="ticket_call_day_idx")]
        constraints = [
            # A counter serves one ticket at a time.
            models.UniqueConstraint(
                fields=["counter"],
                condition=models.Q(ended_at__isnull=True),
                name="ticket_call_one_open_per_counter",
            )
        ]

    def __str__(self):
        return f"{self.ticket_id} @ {self.counter_id} {self.called_at:%H:%M}"


class Announcement(models.Model):
    """What the display board showed and said: "Mời số 1023 đến quầy số 2". Append-only;
    its id is the server-sent event's id, so a board that reconnects gets what it missed."""

    class Kind(models.TextChoices):
        CALL = "call", _("Mời")
        RECALL = "recall", _("Mời lại")

    desk = models.ForeignKey(Desk, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    counter = models.ForeignKey(Counter, on_delete=models.CASCADE, related_name="+")
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["desk", "day", "id"], name="announcement_board_idx")]

    def __str__(self):
        return f"{self.kind} {self.ticket_id} → {self.counter_id}"


class TicketDossier(models.Model):
    """The dossier a ticket's holder handed in at the counter (one ticket may bring several
    dossiers; a dossier comes from one ticket)."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="dossiers")
    dossier = models.OneToOneField(
        "dossiers.Dossier", on_delete=models.CASCADE, related_name="queue_ticket"
    )
    at = models.DateTimeField()

    def __str__(self):
        return f"{self.ticket_id} → {self.dossier_id}"


class Appointment(models.Model):
    """A time slot booked online for a service; at the kiosk its code gives a ticket served
    from the slot's start."""

    class Status(models.TextChoices):
        BOOKED = "booked", _("Đã đặt")
        CANCELLED = "cancelled", _("Đã hủy")
        CHECKED_IN = "checked_in", _("Đã lấy số")

    desk = models.ForeignKey(Desk, on_delete=models.PROTECT, related_name="appointments")
    service = models.ForeignKey(
        Service, verbose_name=_("dịch vụ"), on_delete=models.PROTECT, related_name="appointments"
    )
    starts_at = models.DateTimeField(_("bắt đầu"))
    ends_at = models.DateTimeField(_("kết thúc"))
    code = models.CharField(_("mã đặt lịch"), max_length=12, unique=True)
    name = models.CharField(_("họ tên"), max_length=200)
    phone = models.CharField(_("điện thoại"), max_length=20)
    email = models.EmailField(_("thư điện tử"), blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.BOOKED)
    created_at = models.DateTimeField()
    cancelled_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    ticket = models.OneToOneField(
        Ticket, on_delete=models.SET_NULL, null=True, blank=True, related_name="appointment"
    )

    class Meta:
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["status", "starts_at"], name="appointment_due_idx")]
        verbose_name = _("lịch hẹn")
        verbose_name_plural = _("lịch hẹn")

    def __str__(self):
        return self.code


class SlotBooking(models.Model):
    """How many appointments one slot of one service holds: bumped by one atomic statement
    only while below the slot's capacity, so two bookings can never take one last place."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="+")
    starts_at = models.DateTimeField()
    taken = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["service", "starts_at"], name="slot_booking_unique")
        ]

    def __str__(self):
        return f"{self.service_id} {self.starts_at}: {self.taken}"
