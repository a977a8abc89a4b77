"""django-axes (the log-in lock-out, docs/security.md) under a Vietnamese name in the admin;
its own strings have Vietnamese in ``locale/vi`` (it ships none)."""

from axes.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LockoutConfig(AppConfig):
    verbose_name = _("Khóa đăng nhập")
