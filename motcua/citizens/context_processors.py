from functools import cache

from motcua.citizens.selectors import is_citizen_account


def citizen_menu(request):
    """Whether the header shows a citizen's links (my dossiers, account) or staff links;
    worked out only when a page asks."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    @cache
    def citizen():
        return is_citizen_account(user)

    return {"menu_citizen": citizen}
