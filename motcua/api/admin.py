from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from motcua.agencies.admin_scope import AgencyScopedAdmin
from motcua.agencies.selectors import accounts_managed_by
from motcua.api.models import ApiKey, UserToken
from motcua.api.services import api_key_revoke, user_token_revoke


@admin.register(ApiKey)
class ApiKeyAdmin(AgencyScopedAdmin):
    """Keys of the agencies an administrator administers (superusers: all). Keys are issued by
    ``create_api_key`` (shown once) and never edited or deleted here: only revoked."""

    list_display = ["name", "prefix", "agency", "created_at", "last_used_at", "revoked_at"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "prefix", "agency__name", "agency__code"]
    list_select_related = ["agency"]
    readonly_fields = ["name", "agency", "prefix", "created_at", "last_used_at", "revoked_at"]
    fields = readonly_fields
    actions = ["revoke"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Thu hồi các khóa đã chọn (có hiệu lực ngay)"))
    def revoke(self, request, queryset):
        # The queryset is already limited to the keys this administrator may manage.
        revoked = [key for key in queryset if api_key_revoke(key=key)]
        for key in revoked:
            self.log_change(request, key, [{"changed": {"fields": ["revoked_at"]}}])
        self.message_user(
            request,
            ngettext("Đã thu hồi %(n)d khóa.", "Đã thu hồi %(n)d khóa.", len(revoked))
            % {"n": len(revoked)},
            messages.SUCCESS if revoked else messages.WARNING,
        )


@admin.register(UserToken)
class UserTokenAdmin(AgencyScopedAdmin):
    """Officers' personal access tokens (SPEC §12.2) of the accounts an administrator manages
    (superusers: all). Made by the officer or ``create_user_token`` (shown once), never edited
    or deleted here: only revoked, at once on every process (as ``revoke_user_token``)."""

    list_display = ["name", "prefix", "user", "created_at", "last_used_at", "revoked_at"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "prefix", "user__username", "user__last_name", "user__first_name"]
    list_select_related = ["user"]
    readonly_fields = ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
    fields = readonly_fields
    actions = ["revoke"]

    def get_queryset(self, request):
        qs = admin.ModelAdmin.get_queryset(self, request)
        if request.user.is_superuser:
            return qs
        return qs.filter(user__in=accounts_managed_by(user=request.user))

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Thu hồi các mã đã chọn (có hiệu lực ngay)"))
    def revoke(self, request, queryset):
        # The queryset is already limited to the accounts this administrator manages.
        revoked = [token for token in queryset if user_token_revoke(token=token)]
        for token in revoked:
            self.log_change(request, token, [{"changed": {"fields": ["revoked_at"]}}])
        self.message_user(
            request,
            ngettext("Đã thu hồi %(n)d mã.", "Đã thu hồi %(n)d mã.", len(revoked))
            % {"n": len(revoked)},
            messages.SUCCESS if revoked else messages.WARNING,
        )
