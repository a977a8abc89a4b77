from contextvars import ContextVar

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm, AdminUserCreationForm, UserChangeForm
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from motcua.agencies.admin_scope import AgencyScopedAdmin, AgencyScopeMixin, ReadOnlyAdminMixin
from motcua.agencies.models import (
    AccountEvent,
    AccountHome,
    Agency,
    AgencyLevel,
    Desk,
    Membership,
    MembershipRequest,
    Role,
    Unit,
)
from motcua.agencies.selectors import (
    account_events_visible_to,
    accounts_managed_by,
    agencies_administered_by,
)
from motcua.agencies.services import (
    account_create,
    account_home_set,
    account_password_set,
    account_update,
    citizen_account_check,
    membership_change,
    membership_check,
    membership_grant,
    membership_pending_message,
    membership_remove,
    membership_request_confirm,
    membership_request_may_decide,
    membership_request_refuse,
)
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


@admin.register(Desk)
class DeskAdmin(AgencyScopedAdmin):
    """The one-stop desks, also edited inline on their agency; here to reach a desk's queue
    services and counters (``tickets.admin``)."""

    list_display = ["name", "code", "agency", "phone", "address"]
    list_filter = ["agency__level"]
    search_fields = ["name", "code", "agency__name", "agency__code"]
    list_select_related = ["agency"]


def _for_actor(form_class, actor):
    """The form class with the acting administrator attached (one class per request)."""
    return type(form_class.__name__, (form_class,), {"actor": actor})


class MembershipForm(forms.ModelForm):
    """Shows the rule of ``membership_check`` (whose account, which agency, which role) as a
    form error instead of refusing only at save."""

    actor = None

    class Meta:
        model = Membership
        fields = ["user", "agency", "role", "unit", "desk", "title", "phone"]

    def clean(self):
        cleaned = super().clean()
        user = cleaned.get("user") or getattr(self.instance, "user", None)
        agency, role = cleaned.get("agency"), cleaned.get("role")
        if user is not None and agency is not None and role:
            current = self.instance if self.instance.pk is not None else None
            try:
                membership_check(
                    actor=self.actor, user=user, agency=agency, role=role, current=current
                )
            except ValidationError as error:
                for field, errors in getattr(error, "error_dict", {None: error}).items():
                    self.add_error(field if field in self.fields else None, errors)
        return cleaned


_MEMBERSHIP_VALUES = ("agency", "role", "unit", "desk", "title", "phone")


def _membership_save(request, membership: Membership, *, change: bool) -> None:
    """Write ``membership`` as the admin form left it, through the services (rule and log).
    A role that waits for a leader's confirmation is not saved as a membership: the
    administrator is told so (``membership._pending`` holds the request)."""
    actor = request.user
    values = {name: getattr(membership, name) for name in _MEMBERSHIP_VALUES}
    if change:
        membership_change(actor=actor, membership_id=membership.pk, **values)
        return
    saved = membership_grant(actor=actor, user=membership.user, **values)
    if isinstance(saved, MembershipRequest):
        membership._pending = saved
        messages.warning(request, membership_pending_message(saved))
        return
    membership.pk = saved.pk
    membership._state.adding = False


@admin.register(Membership)
class MembershipAdmin(AgencyScopedAdmin):
    form = MembershipForm
    list_display = ["user", "agency", "role", "unit", "desk", "title"]
    list_filter = ["role", "agency__level"]
    search_fields = ["user__username", "user__last_name", "user__first_name", "agency__name"]
    list_select_related = ["user", "agency", "unit", "desk"]
    autocomplete_fields = ["user"]

    def get_autocomplete_fields(self, request):
        # The user search needs the User admin's full list, which is the superusers'.
        return self.autocomplete_fields if request.user.is_superuser else []

    def get_readonly_fields(self, request, obj=None):
        return ["user"] if obj is not None else []  # another person: remove, then grant

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user" and not request.user.is_superuser:
            kwargs["queryset"] = accounts_managed_by(user=request.user).order_by("username")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_form(self, request, obj=None, **kwargs):
        return _for_actor(super().get_form(request, obj, **kwargs), request.user)

    def save_model(self, request, obj, form, change):
        _membership_save(request, obj, change=change)

    def log_addition(self, request, obj, message):
        if obj.pk is not None:  # a pending role is logged in AccountEvent, not as an addition
            return super().log_addition(request, obj, message)
        return None

    def response_add(self, request, obj, post_url_continue=None):
        if getattr(obj, "_pending", None) is not None:  # told by _membership_save
            return HttpResponseRedirect(reverse("admin:agencies_membershiprequest_changelist"))
        return super().response_add(request, obj, post_url_continue)

    def delete_model(self, request, obj):
        membership_remove(actor=request.user, membership_id=obj.pk)

    @transaction.atomic
    def delete_queryset(self, request, queryset):
        for membership in queryset:
            membership_remove(actor=request.user, membership_id=membership.pk)


class MembershipInline(AgencyScopeMixin, admin.TabularInline):
    model = Membership
    form = MembershipForm
    extra = 0
    autocomplete_fields = ["agency"]

    def get_autocomplete_fields(self, request):
        return self.autocomplete_fields if request.user.is_superuser else []

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form = _for_actor(formset.form, request.user)
        return formset


class HomeAgencyField(forms.ModelChoiceField):
    def __init__(self):
        super().__init__(
            queryset=Agency.objects.all(),
            required=False,
            label=_("Cơ quan quản lý tài khoản"),
            help_text=_(
                "Quản trị viên của cơ quan này (và cấp trên) quản lý tài khoản; quản trị viên "
                "cơ quan khác không thấy tài khoản này."
            ),
        )


def _limit_home_choices(form, actor, current: Agency | None) -> None:
    """Superusers: any agency or none. An agency's administrator: one of their agencies,
    required; an account homed elsewhere keeps its home, shown but not editable."""
    field = form.fields["home_agency"]
    if actor.is_superuser:
        return
    scope = agencies_administered_by(user=actor)
    field.required = True
    if current is not None and not scope.filter(pk=current.pk).exists():
        field.queryset = Agency.objects.filter(pk=current.pk)
        field.disabled = True
    else:
        field.queryset = scope


class StaffUserCreationForm(AdminUserCreationForm):
    actor = None
    home_agency = HomeAgencyField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _limit_home_choices(self, self.actor, None)
        own = Membership.objects.filter(user=self.actor, role=Role.ADMINISTRATOR).order_by("pk")
        first = own.values_list("agency_id", flat=True).first()
        if first is not None:
            self.fields["home_agency"].initial = first


class StaffUserChangeForm(UserChangeForm):
    actor = None
    home_agency = HomeAgencyField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        home = AccountHome.objects.filter(user_id=self.instance.pk).select_related("agency").first()
        current = home.agency if home else None
        self.initial["home_agency"] = current.pk if current else None
        _limit_home_choices(self, self.actor, current)

    def clean(self):
        cleaned = super().clean()
        staff = bool(cleaned.get("is_staff") or cleaned.get("is_superuser"))
        try:
            citizen_account_check(self.instance, staff=staff)
        except ValidationError as error:
            self.add_error(None, error.error_dict["user"])
        return cleaned


_acting_admin: ContextVar = ContextVar("acting_admin")


class StaffPasswordForm(AdminPasswordChangeForm):
    """Django's password page saves through its form; this one saves through the service,
    which checks the account is the administrator's and logs the change."""

    def save(self, commit=True):
        usable = self.cleaned_data["set_usable_password"]
        password = self.cleaned_data["password1"] if usable else None
        account_password_set(actor=_acting_admin.get(), user=self.user, password=password)
        return self.user


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class StaffUserAdmin(AgencyScopeMixin, UserAdmin):
    """An agency administrator creates and edits the accounts of their own agencies' staff
    (``accounts_managed_by``), never a superuser, never someone who also works elsewhere, and
    cannot grant admin-wide permissions (those fields are the superusers'). Accounts are
    deactivated, not deleted, so their history stays."""

    inlines = [MembershipInline]
    form = StaffUserChangeForm
    add_form = StaffUserCreationForm
    change_password_form = StaffPasswordForm
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "usable_password", "password1", "password2", "home_agency"),
            },
        ),
    )
    staff_fieldsets = (
        (None, {"fields": ("username", "password", "home_agency")}),
        (_("Thông tin cá nhân"), {"fields": ("last_name", "first_name", "email")}),
        (_("Trạng thái"), {"fields": ("is_active",)}),
    )

    def get_queryset(self, request):
        qs = UserAdmin.get_queryset(self, request)
        if request.user.is_superuser:
            return qs
        return qs.filter(pk__in=accounts_managed_by(user=request.user).values("pk"))

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return self.add_fieldsets
        if not request.user.is_superuser:
            return self.staff_fieldsets
        (first, options), *rest = UserAdmin.fieldsets
        return ((first, {**options, "fields": (*options["fields"], "home_agency")}), *rest)

    def get_form(self, request, obj=None, **kwargs):
        return _for_actor(super().get_form(request, obj, **kwargs), request.user)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def save_model(self, request, obj, form, change):
        home = form.cleaned_data.get("home_agency")
        if not change:
            account_create(actor=request.user, user=obj, home=home)
            return
        account_update(actor=request.user, user=obj)
        account_home_set(actor=request.user, user=obj, home=home)

    def save_formset(self, request, form, formset, change):
        if formset.model is not Membership:
            return super().save_formset(request, form, formset, change)
        formset.save(commit=False)
        for membership in formset.deleted_objects:
            membership_remove(actor=request.user, membership_id=membership.pk)
        for membership, _fields in formset.changed_objects:
            _membership_save(request, membership, change=True)
        for membership in formset.new_objects:
            _membership_save(request, membership, change=False)

    def user_change_password(self, request, id, form_url=""):
        token = _acting_admin.set(request.user)
        try:
            return super().user_change_password(request, id, form_url)
        finally:
            _acting_admin.reset(token)


def _confirmed_message(n: int) -> str:
    return ngettext("Đã xác nhận %(n)d phân công.", "Đã xác nhận %(n)d phân công.", n) % {"n": n}


def _refused_message(n: int) -> str:
    return ngettext(
        "Đã không xác nhận %(n)d phân công.", "Đã không xác nhận %(n)d phân công.", n
    ) % {"n": n}


@admin.register(MembershipRequest)
class MembershipRequestAdmin(AgencyScopedAdmin):
    """Roles that read dossiers given by agency administrators, waiting for confirmation (and
    what became of them). Administrators see those of their agencies; superusers confirm or
    refuse here (leaders do it on their page, ``/can-bo/xac-nhan-phan-cong/``)."""

    list_display = ["user", "agency", "role", "unit", "desk", "requested_by", "requested_at",
                    "status", "decided_by", "decided_at"]  # fmt: skip
    list_filter = ["status", "role"]
    search_fields = ["user__username", "user__last_name", "agency__name"]
    list_select_related = ["user", "agency", "unit", "desk", "requested_by", "decided_by"]
    actions = ["confirm", "refuse"]

    def has_add_permission(self, request, obj=None):
        return False  # a role is given on the membership pages

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_decide_permission(self, request):
        return request.user.is_superuser

    def _decide(self, request, queryset, decide, done_message):
        done = 0
        for pending in queryset.filter(status=MembershipRequest.Status.PENDING):
            if not membership_request_may_decide(actor=request.user, request=pending):
                continue  # their own request: someone else confirms it
            decide(actor=request.user, request_id=pending.pk)
            done += 1
        self.message_user(
            request, done_message(done), messages.SUCCESS if done else messages.WARNING
        )

    @admin.action(description=_("Xác nhận các phân công đã chọn"), permissions=["decide"])
    def confirm(self, request, queryset):
        self._decide(request, queryset, membership_request_confirm, _confirmed_message)

    @admin.action(description=_("Không xác nhận các phân công đã chọn"), permissions=["decide"])
    def refuse(self, request, queryset):
        self._decide(request, queryset, membership_request_refuse, _refused_message)


@admin.register(AccountEvent)
class AccountEventAdmin(ReadOnlyAdminMixin, AgencyScopedAdmin):
    """The account and role log, read-only for everyone: superusers read all of it, an
    agency's administrator the rows of their agencies."""

    list_display = ["at", "actor_name", "action", "account_username", "agency", "role_before",
                    "role_after"]  # fmt: skip
    list_filter = ["action", "role_after"]
    search_fields = ["account_username", "actor_name", "agency__name"]
    list_select_related = ["agency"]
    date_hierarchy = "at"

    def get_queryset(self, request):
        return account_events_visible_to(user=request.user).select_related("agency")
