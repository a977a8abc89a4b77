"""Admin pages that an agency's own administrator may use, limited to their agencies.

A superuser (the province's IT team) sees everything; an administrator of a commune sees and
edits only the rows of the agencies they administer, and picks only those in forms."""

from django.contrib import admin
from django.http import Http404

from motcua.agencies.models import Agency, Desk, Unit
from motcua.agencies.selectors import agencies_administered_by, user_is_administrator


class AgencyScopeMixin:
    """For a ModelAdmin or an inline. ``agency_lookup``: the path from the model to its agency
    ("" for Agency itself)."""

    agency_lookup = "agency"

    def _scope(self, request):
        return agencies_administered_by(user=request.user)

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        lookup = f"{self.agency_lookup}__in" if self.agency_lookup else "pk__in"
        return qs.filter(**{lookup: self._scope(request)})

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if not request.user.is_superuser:
            scope = self._scope(request)
            if db_field.related_model is Agency:
                kwargs["queryset"] = scope
            elif db_field.related_model in (Unit, Desk):
                kwargs["queryset"] = db_field.related_model.objects.filter(agency__in=scope)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        # Django redirects to the list; an outsider gets 404 like everywhere else (SPEC §3).
        raise Http404

    def _allowed(self, request) -> bool:
        return request.user.is_superuser or user_is_administrator(user=request.user)

    def has_module_permission(self, request):
        return self._allowed(request)

    def has_view_permission(self, request, obj=None):
        return self._allowed(request)

    def has_change_permission(self, request, obj=None):
        return self._allowed(request)

    def has_add_permission(self, request, obj=None):
        return self._allowed(request)

    def has_delete_permission(self, request, obj=None):
        return self._allowed(request)


class AgencyScopedAdmin(AgencyScopeMixin, admin.ModelAdmin):
    pass


class ReadOnlyAdminMixin:
    """Before a ModelAdmin: rows written by their services only (a log, a record), never
    added, changed or deleted from the admin."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
