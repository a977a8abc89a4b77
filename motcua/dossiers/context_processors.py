from motcua.dossiers.selectors import inbox_queryset


def menu_counters(request):
    """The counters on the staff menu: dossiers waiting for the user's desk/unit, and late."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.memberships.exists():
        return {}
    return {
        "menu_waiting": inbox_queryset(user=user, box="unit").count(),
        "menu_overdue": inbox_queryset(user=user, box="overdue").count(),
    }
