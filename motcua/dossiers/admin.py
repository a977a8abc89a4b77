"""The record of personal-data reads (ND 13/2023), read-only: a superuser sees every row, an
agency's administrator the reads of the dossiers their agencies decide. Exported as CSV by
``manage.py export_personal_data_reads``."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from motcua.agencies.admin_scope import AgencyScopedAdmin, ReadOnlyAdminMixin
from motcua.dossiers.models import PersonalDataRead


@admin.register(PersonalDataRead)
class PersonalDataReadAdmin(ReadOnlyAdminMixin, AgencyScopedAdmin):
    agency_lookup = "dossier__deciding_agency"
    list_display = ["at", "user", "dossier_code", "what"]
    list_filter = ["what"]
    search_fields = ["dossier__code", "user__username", "user__last_name", "user__first_name"]
    list_select_related = ["dossier", "user"]
    date_hierarchy = "at"

    @admin.display(description=_("mã hồ sơ"), ordering="dossier__code")
    def dossier_code(self, obj):
        return obj.dossier.code or obj.dossier.uid.hex
