from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.translation import gettext_lazy as _

from motcua.citizens.backends import citizen_username
from motcua.citizens.identifiers import identifier_parse
from motcua.citizens.selectors import is_citizen_account


class TextField(forms.CharField):
    """A CharField whose refusal of a NUL byte is said in Vietnamese."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        for validator in self.validators:
            if isinstance(validator, ProhibitNullCharactersValidator):
                validator.message = _("Không được chứa ký tự NUL.")


class IdentifierField(TextField):
    """A phone number or an e-mail address, cleaned into an ``Identifier``."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Số điện thoại hoặc thư điện tử"))
        kwargs.setdefault("max_length", 254)
        super().__init__(**kwargs)
        self.widget.attrs.update(
            {"autocomplete": "username", "inputmode": "email", "autocapitalize": "none"}
        )

    def clean(self, value):
        return identifier_parse(super().clean(value))


class SignUpForm(forms.Form):
    full_name = TextField(label=_("Họ và tên"), max_length=255)
    identifier = IdentifierField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["full_name"].widget.attrs["autocomplete"] = "name"


class CodeRequestForm(forms.Form):
    identifier = IdentifierField()


class CodeForm(forms.Form):
    code = TextField(label=_("Mã gồm 6 chữ số"), max_length=6, min_length=6)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs.update(
            {"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9]{6}"}
        )

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        if not (code.isascii() and code.isdigit()):
            raise ValidationError(_("Mã gồm 6 chữ số."))
        return code


class PasswordPairMixin:
    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password") != data.get("password2"):
            self.add_error("password2", _("Hai mật khẩu không giống nhau."))
        return data


def _password(label, autocomplete="new-password"):
    return TextField(
        label=label,
        strip=False,
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": autocomplete}),
    )


class ResetForm(PasswordPairMixin, CodeForm):
    password = _password(_("Mật khẩu mới"))
    password2 = _password(_("Nhập lại mật khẩu mới"))


class PasswordForm(PasswordPairMixin, forms.Form):
    current_password = _password(_("Mật khẩu hiện tại"), "current-password")
    password = _password(_("Mật khẩu mới"))
    password2 = _password(_("Nhập lại mật khẩu mới"))

    def __init__(self, *args, has_password: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not has_password:
            del self.fields["current_password"]


class PasswordLoginForm(forms.Form):
    """Phone or e-mail and password, through ``authenticate`` so django-axes counts it."""

    identifier = IdentifierField()
    password = _password(_("Mật khẩu"), "current-password")

    error_messages = {
        "invalid": _("Số điện thoại, thư điện tử hoặc mật khẩu không đúng."),
    }

    def __init__(self, request, *args, **kwargs):
        self.request = request
        self.user = None
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        identifier, password = data.get("identifier"), data.get("password")
        if identifier and password:
            self.user = authenticate(
                self.request, username=citizen_username(identifier.value), password=password
            )
            if self.user is None:
                raise ValidationError(self.error_messages["invalid"])
        return data


class ProfileForm(forms.Form):
    full_name = TextField(label=_("Họ và tên"), max_length=255)
    id_number = TextField(
        label=_("Số định danh cá nhân (CCCD, 12 chữ số)"), max_length=12, required=False
    )
    address = TextField(label=_("Địa chỉ thường trú"), max_length=500, required=False)

    def __init__(self, *args, verified: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["full_name"].widget.attrs["autocomplete"] = "name"
        self.fields["id_number"].widget.attrs.update({"inputmode": "numeric"})
        self.fields["address"].widget.attrs["autocomplete"] = "street-address"
        if verified:  # sent as they are; the service refuses a change
            for name in ("full_name", "id_number"):
                self.fields[name].widget.attrs["readonly"] = True


class StaffLoginForm(AuthenticationForm):
    """The staff log-in (/dang-nhap/): a citizen's account is refused here, even with the
    right password — citizens log in on their own pages (``citizens`` app)."""

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if is_citizen_account(user):
            raise ValidationError(
                _("Đây là tài khoản công dân. Vui lòng đăng nhập ở trang dành cho công dân."),
                code="citizen_account",
            )
