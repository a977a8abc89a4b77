"""Citizens log in with their verified phone or e-mail and a password.

The citizens' log-in page calls ``authenticate(request, username="citizen:<phone or e-mail>",
password=…)``: django-axes (first in ``AUTHENTICATION_BACKENDS``) counts the failures and
locks out under that name, exactly as for staff; Django's ``ModelBackend`` finds no user by it
(a username can never contain ":"); this backend finds the citizen. Accounts that are staff
are never found here, and the staff log-in refuses citizens' accounts (``forms.StaffLoginForm``).
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError

from motcua.citizens.identifiers import identifier_parse
from motcua.citizens.selectors import citizen_by_identifier

PREFIX = "citizen:"


def citizen_username(identifier_value: str) -> str:
    return PREFIX + identifier_value


class CitizenBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if not username or not username.startswith(PREFIX) or password is None:
            return None
        try:
            user = citizen_by_identifier(identifier_parse(username.removeprefix(PREFIX)))
        except ValidationError:
            user = None
        if user is None:
            # As long as a real check, so the answer's time does not tell who has an account.
            get_user_model()().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
