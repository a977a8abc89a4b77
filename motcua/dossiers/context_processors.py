from functools import cache

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
    def staff():
        return user.memberships.exists()

    @cache
    def counter():  # a desk officer's counters (/can-bo/quay/), from the actor's memberships
        from motcua.tickets.access import desks_of

        return bool(desks_of(request_actor(request)))

    return {
        "menu_waiting": waiting,
        "menu_overdue": overdue,
        "menu_staff": staff,
        "menu_counter": counter,
    }
