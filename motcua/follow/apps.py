from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowConfig(AppConfig):
    name = "motcua.follow"
    verbose_name = _("Theo dõi hồ sơ")
