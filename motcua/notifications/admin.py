"""Administrators edit the messages' templates (per kind and medium) and see each rendered on
sample data; the opt-outs are listed so the help desk can answer "why no SMS?"."""

from django import forms
from django.contrib import admin
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from motcua.notifications import texts
from motcua.notifications.kinds import kind_get, kinds_all
from motcua.notifications.models import MessageTemplate, OptOut


class MessageTemplateForm(forms.ModelForm):
    kind = forms.ChoiceField(label=_("loại tin"))

    class Meta:
        model = MessageTemplate
        fields = ["kind", "medium", "subject", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 10, "cols": 90})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "kind" in self.fields:  # only when adding: a saved template keeps its kind
            self.fields["kind"].choices = [(k.name, f"{k.label} ({k.name})") for k in kinds_all()]


@admin.register(MessageTemplate)
class MessageTemplateAdmin(admin.ModelAdmin):
    form = MessageTemplateForm
    list_display = ["kind_label", "medium", "subject", "required", "updated_at"]
    list_filter = ["medium", "kind"]
    readonly_fields = ["placeholders", "preview"]
    fieldsets = [
        (None, {"fields": ["kind", "medium", "subject", "body"]}),
        (_("Chỗ trống và xem trước"), {"fields": ["placeholders", "preview"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        # The kind and medium of a saved template stay; only its words change.
        return ["kind", "medium", *self.readonly_fields] if obj else self.readonly_fields

    @admin.display(description=_("loại tin"), ordering="kind")
    def kind_label(self, obj):
        spec = kind_get(obj.kind)
        return spec.label if spec else obj.kind

    @admin.display(description=_("bắt buộc gửi"), boolean=True)
    def required(self, obj):
        spec = kind_get(obj.kind)
        return bool(spec and spec.required)

    @admin.display(description=_("chỗ trống dùng được"))
    def placeholders(self, obj):
        spec = kind_get(obj.kind) if obj and obj.pk else None
        if spec is None:
            return _("Lưu mẫu để xem các chỗ trống của loại tin.")
        rows = format_html_join(
            "", "<li><code>{{{}}}</code>: {}</li>", spec.allowed_fields().items()
        )
        return format_html("<ul>{}</ul>", rows)

    @admin.display(description=_("xem trước với dữ liệu mẫu"))
    def preview(self, obj):
        if not (obj and obj.pk and kind_get(obj.kind)):
            return _("Lưu mẫu để xem trước.")
        try:
            subject, body = texts.preview(
                kind=obj.kind, medium=obj.medium, subject=obj.subject, body=obj.body
            )
        except texts.TemplateError as exc:
            return format_html('<p class="errornote">{}</p>', exc)
        if obj.medium == "sms":
            parts = 1 if len(body) <= 160 else -(-len(body) // 153)
            return format_html(
                '<pre class="message-preview">{}</pre><p>{}</p>',
                body,
                _("%(length)d ký tự, %(parts)d tin SMS") % {"length": len(body), "parts": parts},
            )
        return format_html(
            '<p><strong>{}</strong></p><pre class="message-preview">{}</pre>', subject, body
        )

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        texts.templates_changed()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        texts.templates_changed()


@admin.register(OptOut)
class OptOutAdmin(admin.ModelAdmin):
    list_display = ["recipient", "medium", "created_at"]
    list_filter = ["medium"]
    search_fields = ["recipient"]
    readonly_fields = ["medium", "recipient", "created_at"]

    def has_add_permission(self, request):
        return False  # only the person, through the link in a message

    def has_change_permission(self, request, obj=None):
        return False
