from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from motcua.agencies.admin_scope import AgencyScopedAdmin, AgencyScopeMixin
from motcua.agencies.models import Agency, AgencyLevel, Desk, Membership, Unit
from motcua.workcalendar.models import OfficeHoursSeason
from motcua.workcalendar.selectors import calendar_cache_clear


@admin.register(AgencyLevel)
class AgencyLevelAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "rank"]


class UnitInline(admin.TabularInline):
    model = Unit
    extra = 0


class DeskInline(admin.TabularInline):
    model = Desk
    extra = 0


class OfficeHoursInline(admin.TabularInline):
    model = OfficeHoursSeason
    extra = 0


@admin.register(Agency)
class AgencyAdmin(AgencyScopedAdmin):
    agency_lookup = ""
    list_display = ["name", "code", "level", "parent", "is_active"]
    list_filter = ["level", "is_active"]
    search_fields = ["name", "code", "short_name"]
    list_select_related = ["level", "parent"]
    autocomplete_fields = ["parent"]
    inlines = [UnitInline, DeskInline, OfficeHoursInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        calendar_cache_clear()  # office hours are edited inline here

    def has_add_permission(self, request):
        return request.user.is_superuser  # new agencies are the province's business

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def get_readonly_fields(self, request, obj=None):
        return [] if request.user.is_superuser else ["code", "level", "parent"]


@admin.register(Membership)
class MembershipAdmin(AgencyScopedAdmin):
    list_display = ["user", "agency", "role", "unit", "desk", "title"]
    list_filter = ["role", "agency__level"]
    search_fields = ["user__username", "user__last_name", "user__first_name", "agency__name"]
    list_select_related = ["user", "agency", "unit", "desk"]
    autocomplete_fields = ["user"]

    def get_autocomplete_fields(self, request):
        # The user search needs the User admin, which stays the superusers'.
        return self.autocomplete_fields if request.user.is_superuser else []


class MembershipInline(AgencyScopeMixin, admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["agency"]

    def get_autocomplete_fields(self, request):
        return self.autocomplete_fields if request.user.is_superuser else []


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class StaffUserAdmin(AgencyScopeMixin, UserAdmin):
    """An agency administrator creates and edits the accounts of their own agencies' staff,
    never a superuser, never someone who also works elsewhere, and cannot grant admin-wide
    permissions (those fields are the superusers')."""

    inlines = [MembershipInline]
    staff_fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Thông tin cá nhân"), {"fields": ("last_name", "first_name", "email")}),
        (_("Trạng thái"), {"fields": ("is_active",)}),
    )

    def get_queryset(self, request):
        qs = UserAdmin.get_queryset(self, request)
        if request.user.is_superuser:
            return qs
        scope = self._scope(request)
        # Own staff, plus accounts not yet assigned anywhere (just created, to be assigned).
        return (
            qs.filter(is_superuser=False)
            .filter(Q(memberships__agency__in=scope) | Q(memberships__isnull=True))
            .exclude(memberships__agency__in=Agency.objects.exclude(pk__in=scope))
            .distinct()
        )

    def get_fieldsets(self, request, obj=None):
        if obj is not None and not request.user.is_superuser:
            return self.staff_fieldsets
        return super().get_fieldsets(request, obj)
