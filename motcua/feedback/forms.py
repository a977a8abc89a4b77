from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.agencies.models import Agency
from motcua.feedback.models import Feedback


class FeedbackForm(forms.Form):
    """The public form; ``feedback_submit`` checks everything again (the API sends the same
    fields without this form)."""

    about = forms.ChoiceField(
        label=_("Phản ánh, kiến nghị về"),
        choices=Feedback.About.choices,
        widget=forms.RadioSelect,
        initial=Feedback.About.PROCEDURE,
    )
    procedure = forms.CharField(
        label=_("Mã thủ tục (in trên trang của thủ tục)"), required=False, max_length=40
    )
    agency = forms.ModelChoiceField(
        label=_("Cơ quan"),
        queryset=Agency.objects.order_by("name"),
        to_field_name="code",
        required=False,
        empty_label=_("— Chọn cơ quan —"),
    )
    dossier = forms.CharField(label=_("Mã hồ sơ (in trên giấy hẹn)"), required=False, max_length=60)
    name = forms.CharField(label=_("Họ tên"), max_length=255)
    phone = forms.CharField(label=_("Điện thoại"), required=False, max_length=20)
    email = forms.CharField(label=_("Thư điện tử"), required=False, max_length=254)
    content = forms.CharField(
        label=_("Nội dung phản ánh, kiến nghị"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phone"].widget.attrs.update(inputmode="tel", autocomplete="tel")
        self.fields["email"].widget.attrs.update(inputmode="email", autocomplete="email")
        self.fields["name"].widget.attrs.update(autocomplete="name")

    def subject_code(self) -> str:
        about = self.cleaned_data["about"]
        value = self.cleaned_data.get(about)
        if isinstance(value, Agency):
            return value.code
        return (value or "").strip()


class AssignForm(forms.Form):
    assignee = forms.ChoiceField(label=_("Giao cho cán bộ"))
    note = forms.CharField(
        label=_("Ghi chú"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, officers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].choices = [("", _("— Chọn cán bộ —"))] + [
            (u.username, f"{u.last_name} {u.first_name}".strip() or u.username) for u in officers
        ]


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Nội dung trả lời"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6})
    )


class CloseForm(forms.Form):
    note = forms.CharField(
        label=_("Ghi chú khi đóng"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class PublishForm(forms.Form):
    question = forms.CharField(
        label=_("Câu hỏi công khai (không ghi tên, thông tin cá nhân)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    public_answer = forms.CharField(
        label=_("Câu trả lời công khai"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
