from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.forms import ApplicantForm
from motcua.dossiers.models import Dossier, ResultDelivery
from motcua.dossiers.services import Applicant


class StartForm(forms.Form):
    agency = forms.ChoiceField(
        label=_("Nộp hồ sơ tới"),
        help_text=_("Cơ quan giải quyết; bộ phận một cửa của cơ quan này tiếp nhận hồ sơ."),
    )

    def __init__(self, *args, agencies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.agencies = {str(a.pk): a for a in agencies}
        self.fields["agency"].choices = [(str(a.pk), a.name) for a in agencies]
        if len(agencies) == 1:
            self.fields["agency"].initial = str(agencies[0].pk)

    def chosen(self):
        return self.agencies[self.cleaned_data["agency"]]


class ApplicantStepForm(ApplicantForm):
    """The desk's applicant fields, filled in by the citizen."""

    @staticmethod
    def initial_from(applicant: Applicant | None) -> dict:
        if applicant is None:
            return {}
        return {
            "applicant_type": applicant.type,
            "applicant_name": applicant.name,
            "applicant_id_number": applicant.id_number,
            "applicant_phone": applicant.phone,
            "applicant_email": applicant.email,
            "applicant_address": applicant.address,
            "authorised_name": applicant.authorised_name,
            "authorised_id_number": applicant.authorised_id_number,
        }


#: Online first: it is what a citizen who submits online most likely wants.
DELIVERY_CHOICES = [
    (ResultDelivery.ONLINE.value, _("Trực tuyến: tải kết quả điện tử từ tài khoản")),
    (ResultDelivery.POST.value, _("Qua bưu chính công ích, tới địa chỉ dưới đây")),
    (ResultDelivery.DESK.value, _("Tại bộ phận một cửa của cơ quan")),
]


class DeliveryForm(forms.Form):
    result_delivery = forms.ChoiceField(
        label=_("Nhận kết quả"), choices=DELIVERY_CHOICES, widget=forms.RadioSelect
    )
    delivery_address = forms.CharField(
        label=_("Địa chỉ nhận kết quả qua bưu chính"),
        max_length=Dossier._meta.get_field("delivery_address").max_length,
        required=False,
    )


class CompleteForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("Ghi chú gửi bộ phận một cửa (không bắt buộc)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
    )
