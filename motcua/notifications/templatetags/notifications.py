from django import template

from motcua.notifications.selectors import notification_list_about

register = template.Library()


@register.simple_tag
def notifications_about(prefix: str, ident) -> list[dict]:
    """The messages about ``<prefix>:<ident>`` (e.g. ``"dossier"`` and a dossier's uid)."""
    return notification_list_about(about=f"{prefix}:{ident}")
