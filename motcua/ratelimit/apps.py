from django.apps import AppConfig


class RateLimitConfig(AppConfig):
    name = "motcua.ratelimit"
    label = "ratelimit"
    verbose_name = "Giới hạn tần suất"
