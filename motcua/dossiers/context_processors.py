from functools import cache

from motcua.dossiers.selectors import inbox_queryset


def menu_counters(request):
    """The counters on the staff menu: dossiers waiting for the user's desk/unit, and late.
    Counted only when a page shows them (a view that counts itself passes its own)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    @cache
    def waiting():
        return inbox_queryset(user=user, box="unit").count()

    @cache
    def overdue():
        return inbox_queryset(user=user, box="overdue").count()

    return {"menu_waiting": waiting, "menu_overdue": overdue, "menu_staff": user.memberships.exists}
