from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.api.models import UserToken


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Tên mã (dùng ở đâu)"),
        max_length=UserToken._meta.get_field("name").max_length,
        required=False,
        help_text=_("Ví dụ: điện thoại của tôi. Để trống: “Mã truy cập”."),
    )
