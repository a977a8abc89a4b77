"""Settings checks of the payment gateways, run at start-up (``manage.py check``)."""

from django.conf import settings
from django.core.checks import Error, register

from motcua.payments.providers import dvcqg


@register()
def dvcqg_fields_check(app_configs=None, **kwargs):
    """The DVCQG platform's signed fields (configurable, ``providers/dvcqg.py``) must be known
    names and include what Motcua reads; else a callback could be forged in the unsigned
    part."""
    errors = []
    for setting, known, required in (
        ("DVCQG_PAY_REQUEST_FIELDS", dvcqg.REQUEST_FIELDS, dvcqg.REQUEST_REQUIRED),
        ("DVCQG_PAY_CALLBACK_FIELDS", dvcqg.CALLBACK_FIELDS, dvcqg.CALLBACK_REQUIRED),
    ):
        names = dvcqg.fields(getattr(settings, setting), known)
        unknown = [name for name in names if name not in known]
        missing = sorted(required - set(names))
        if unknown or missing or len(set(names)) != len(names):
            errors.append(
                Error(
                    f"MOTCUA_{setting}: tên trường phải thuộc {', '.join(known)}, không lặp, "
                    f"và có đủ {', '.join(sorted(required))}"
                    + (f"; không biết: {', '.join(unknown)}" if unknown else "")
                    + (f"; thiếu: {', '.join(missing)}" if missing else "")
                    + ".",
                    id="payments.E001",
                )
            )
    return errors
