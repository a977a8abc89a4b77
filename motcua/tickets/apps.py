from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TicketsConfig(AppConfig):
    name = "motcua.tickets"
    verbose_name = _("Xếp hàng tại bộ phận một cửa")
