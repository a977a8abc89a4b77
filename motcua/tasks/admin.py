"""Tasks in the admin: read-only, for superusers (the deployment's overseers) only. Tasks are
written by their services; an agency's administrator manages settings, not work."""

from django.contrib import admin

from motcua.agencies.admin_scope import ReadOnlyAdminMixin
from motcua.tasks.models import Task, TaskAssignee, TaskEvent, TaskExtension


class ReadOnlyForSuperusers(ReadOnlyAdminMixin, admin.ModelAdmin):
    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)


class AssigneeInline(admin.TabularInline):
    model = TaskAssignee
    fields = ["role", "agency", "unit", "progress"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class EventInline(AssigneeInline):
    model = TaskEvent
    fields = ["at", "action", "actor_name", "assignee_name", "percent", "note", "due_after"]
    readonly_fields = fields


@admin.register(Task)
class TaskAdmin(ReadOnlyForSuperusers):
    list_display = ["title", "agency", "assigned_by_name", "assigned_at", "due_at", "status"]
    list_filter = ["status", "agency"]
    search_fields = ["title", "source_document"]
    date_hierarchy = "assigned_at"
    inlines = [AssigneeInline, EventInline]


@admin.register(TaskExtension)
class TaskExtensionAdmin(ReadOnlyForSuperusers):
    list_display = ["task", "requested_by_name", "requested_at", "days", "state"]
    list_filter = ["state"]
