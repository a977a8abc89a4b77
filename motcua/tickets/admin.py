"""The desk floor in the admin: the queue services and counters of a desk. An agency's own
administrator sees and edits only their agencies' rows (``AgencyScopedAdmin``, as for desks,
calendars and API keys), picks only their desks, and a counter serves only services of its
own desk. Tickets, calls and appointments are written by the floor's services, not here."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from motcua.agencies.admin_scope import AgencyScopedAdmin
from motcua.tickets.models import Counter, Service


@admin.register(Service)
class ServiceAdmin(AgencyScopedAdmin):
    agency_lookup = "desk__agency"
    list_display = ["name", "code", "desk", "average_minutes", "bookable", "order", "is_active"]
    list_filter = ["is_active", "bookable", ("desk", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "code", "desk__name", "desk__agency__name"]
    list_select_related = ["desk__agency"]
    filter_horizontal = ["fields", "procedures"]
    fields = [
        "desk", "code", "name", "fields", "procedures", "average_minutes", "bookable", "order",
        "is_active",
    ]  # fmt: skip


class CounterForm(forms.ModelForm):
    class Meta:
        model = Counter
        fields = ["desk", "number", "name", "services", "is_active"]

    def clean(self):
        cleaned = super().clean()
        desk, services = cleaned.get("desk"), cleaned.get("services")
        if desk is not None and services:
            others = [s.name for s in services if s.desk_id != desk.pk]
            if others:
                raise ValidationError(
                    {
                        "services": _("Dịch vụ không thuộc bộ phận của quầy: %(names)s.")
                        % {"names": ", ".join(others)}
                    }
                )
        return cleaned


@admin.register(Counter)
class CounterAdmin(AgencyScopedAdmin):
    agency_lookup = "desk__agency"
    form = CounterForm
    list_display = ["__str__", "desk", "services_list", "is_active"]
    list_filter = ["is_active", ("desk", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "desk__name", "desk__agency__name"]
    list_select_related = ["desk__agency"]
    filter_horizontal = ["services"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("services")

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "services":
            services = Service.objects.select_related("desk")
            if not request.user.is_superuser:
                services = services.filter(desk__agency__in=self._scope(request))
            kwargs["queryset"] = services
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    @admin.display(description=_("dịch vụ phục vụ"))
    def services_list(self, obj):
        return ", ".join(s.name for s in obj.services.all())
