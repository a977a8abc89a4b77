"""Online submissions being filled in (hồ sơ nháp): kept on the server, so a citizen can
leave and come back — from another device too — until they submit it and it becomes a
dossier (``dossiers.Dossier``, DVCQG status 1)."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.agencies.models import Agency
from motcua.catalog.models import ProcedureVersion, RequiredDocument
from motcua.dossiers.models import Dossier, ResultDelivery


class Draft(models.Model):
    """One online submission in progress, for one procedure version, sent to one agency (its
    intake desk receives it). Once submitted it keeps only the dossier it became, so that
    sending the same form again finds that dossier instead of making a second one."""

    #: Names the draft in its addresses (never its row id: they would be guessable).
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    procedure_version = models.ForeignKey(
        ProcedureVersion, verbose_name=_("thủ tục"), on_delete=models.PROTECT, related_name="+"
    )
    #: The agency that decides it; its intake desk receives it (ND 118: the citizen chooses).
    agency = models.ForeignKey(
        Agency, verbose_name=_("cơ quan"), on_delete=models.PROTECT, related_name="+"
    )
    #: The applicant's details as typed (``dossiers.services.Applicant``'s fields).
    applicant = models.JSONField(default=dict, blank=True)
    result_delivery = models.CharField(
        _("hình thức nhận kết quả"), max_length=10, choices=ResultDelivery.choices, blank=True
    )
    delivery_address = models.CharField(_("địa chỉ nhận kết quả"), max_length=500, blank=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    submitted_at = models.DateTimeField(null=True, blank=True)
    dossier = models.OneToOneField(
        Dossier, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        indexes = [models.Index(fields=["user", "-updated_at"], name="draft_user_idx")]
        verbose_name = _("hồ sơ nháp")
        verbose_name_plural = _("hồ sơ nháp")

    def __str__(self):
        return f"{self.procedure_version_id} · {self.user_id} · {self.uid.hex[:8]}"


class DraftFile(models.Model):
    """The file a citizen uploaded for one required document of their draft (one each; a new
    upload replaces it). Stored under a random name like a dossier's files, checked by
    content when uploaded and again when submitted."""

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="files")
    required_document = models.ForeignKey(
        RequiredDocument, on_delete=models.PROTECT, related_name="+"
    )
    file = models.FileField(upload_to="drafts/%Y/%m/")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["draft", "required_document"], name="one_file_per_draft_document"
            )
        ]

    def __str__(self):
        return self.original_name
