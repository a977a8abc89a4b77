from functools import cache

from motcua.agencies.models import Role
from motcua.dossiers.access import request_actor
from motcua.dossiers.selectors import capped_count, inbox_queryset


def menu_counters(request):
    """The counters on the staff menu: dossiers waiting for the user's desk/unit, and late.
    Counted only when a page shows them (a view that counts itself passes its own)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    @cache
    def waiting():
        return capped_count(inbox_queryset(actor=request_actor(request), box="unit"))

    @cache
    def overdue():
        return capped_count(inbox_queryset(actor=request_actor(request), box="overdue"))

    @cache
    def counter():  # a desk officer's counters (/can-bo/quay/)
        return user.memberships.filter(role=Role.DESK_OFFICER, desk__isnull=False).exists()

    return {
        "menu_waiting": waiting,
        "menu_overdue": overdue,
        "menu_staff": user.memberships.exists,
        "menu_counter": counter,
    }
