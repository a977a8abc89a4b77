from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "motcua.payments"
    verbose_name = _("Thanh toán phí, lệ phí")

    def ready(self):
        from motcua.payments import checks  # noqa: F401  (registers the settings checks)
