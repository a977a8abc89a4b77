"""The admin is for administrators only (issue #2): a desk officer who is ``is_staff`` by
mistake still gets the log-in page."""

from motcua.agencies.selectors import user_is_administrator


def restrict_admin_to_administrators(site) -> None:
    def has_permission(request):
        user = request.user
        return bool(user.is_active and user.is_staff and user_is_administrator(user=user))

    site.has_permission = has_permission
