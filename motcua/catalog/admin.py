from decimal import Decimal

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models.fields.files import FieldFile
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _

from motcua.catalog.formfiles import form_upload_check
from motcua.catalog.models import (
    Fee,
    Field,
    Procedure,
    ProcedureVersion,
    ProcessStep,
    RequiredDocument,
)
from motcua.catalog.services import (
    procedure_draft_from_current,
    procedure_publish,
    step_budget_errors,
)


@admin.register(Field)
class FieldAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name"]


class DraftOnlyInline:
    """Published and superseded versions are history: dossiers point at them."""

    def has_change_permission(self, request, obj=None):
        return obj is None or obj.status == ProcedureVersion.Status.DRAFT

    has_add_permission = has_delete_permission = has_change_permission


class RequiredDocumentForm(forms.ModelForm):
    """Form files are checked like a dossier's files, and only DOCX or PDF (formfiles.py)."""

    class Meta:
        model = RequiredDocument
        fields = [
            "order",
            "name",
            "originals",
            "copies",
            "is_optional",
            "form_name",
            "form_file",
            "sample_file",
        ]

    def _checked(self, field: str):
        upload = self.cleaned_data.get(field)
        if not upload or isinstance(upload, FieldFile):  # cleared, or the file already kept
            return upload
        incoming, error = form_upload_check(upload)
        if error:
            raise ValidationError(error)
        return incoming

    def clean_form_file(self):
        return self._checked("form_file")

    def clean_sample_file(self):
        return self._checked("sample_file")


class DocumentInline(DraftOnlyInline, admin.StackedInline):
    model = RequiredDocument
    form = RequiredDocumentForm
    extra = 0
    fields = [
        ("order", "name"),
        ("originals", "copies", "is_optional"),
        ("form_name", "form_file", "sample_file"),
    ]


class FeeInline(DraftOnlyInline, admin.TabularInline):
    model = Fee
    extra = 0


class StepFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        version = self.instance
        budgets = [
            Decimal(form.cleaned_data["budget_hours"])
            for form in self.forms
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and form.cleaned_data.get("budget_hours") is not None
        ]
        errors = step_budget_errors(hours_available=version.processing_hours, budgets=budgets)
        if errors:
            raise ValidationError(errors)


class StepInline(DraftOnlyInline, admin.TabularInline):
    model = ProcessStep
    formset = StepFormSet
    extra = 0


@admin.register(ProcedureVersion)
class ProcedureVersionAdmin(admin.ModelAdmin):
    list_display = [
        "procedure",
        "number",
        "name",
        "status",
        "processing_time",
        "time_unit",
        "online_level",
    ]
    list_filter = [
        "status",
        "online_level",
        "post_allowed",
        "time_unit",
        "fields",
        "agency_levels",
    ]
    search_fields = ["procedure__code", "search_text"]
    list_select_related = ["procedure"]
    filter_horizontal = ["fields", "agency_levels"]
    readonly_fields = ["procedure", "number", "status", "published_at"]
    inlines = [DocumentInline, FeeInline, StepInline]
    actions = ["publish"]

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.status != ProcedureVersion.Status.DRAFT:
            return False
        return super().has_change_permission(request, obj)

    def has_add_permission(self, request):
        return False  # new versions come from "create a draft" on a procedure, or an import

    def get_search_results(self, request, queryset, search_term):
        from motcua.catalog.text import fold

        return super().get_search_results(request, queryset, fold(search_term))

    @admin.action(description=_("Công bố các bản nháp đã chọn"))
    def publish(self, request, queryset):
        for version in queryset.filter(status=ProcedureVersion.Status.DRAFT):
            try:
                procedure_publish(version=version)
            except ValidationError as exc:
                self.message_user(
                    request, f"{version}: {'; '.join(exc.messages)}", level=messages.ERROR
                )
            else:
                self.message_user(request, _("Đã công bố %(v)s.") % {"v": version})


class VersionInline(admin.TabularInline):
    model = ProcedureVersion
    fields = ["number", "name", "status", "decision", "effective_from", "published_at"]
    readonly_fields = fields
    extra = 0
    show_change_link = True
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Procedure)
class ProcedureAdmin(admin.ModelAdmin):
    list_display = ["code", "current_name", "current_status"]
    search_fields = ["code", "versions__search_text"]
    readonly_fields = ["current_version"]
    inlines = [VersionInline]
    actions = ["new_draft"]
    list_select_related = ["current_version"]

    @admin.display(description=_("tên thủ tục"))
    def current_name(self, obj):
        return obj.current_version.name if obj.current_version else "—"

    @admin.display(description=_("trạng thái"))
    def current_status(self, obj):
        return (
            obj.current_version.get_status_display() if obj.current_version else _("Chưa công bố")
        )

    @admin.action(description=_("Tạo bản nháp mới từ phiên bản đang áp dụng"))
    def new_draft(self, request, queryset):
        for procedure in queryset.select_related("current_version"):
            try:
                draft = procedure_draft_from_current(procedure=procedure)
            except ValidationError as exc:
                self.message_user(
                    request, f"{procedure}: {'; '.join(exc.messages)}", level=messages.ERROR
                )
            else:
                self.message_user(request, _("Đã tạo bản nháp %(v)s.") % {"v": draft})
