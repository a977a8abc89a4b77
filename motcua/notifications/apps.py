from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "motcua.notifications"
    verbose_name = _("Tin nhắn cho người dân")

    def ready(self):
        # Each app that sends messages registers their kinds in its ``messages.py``.
        autodiscover_modules("messages")
