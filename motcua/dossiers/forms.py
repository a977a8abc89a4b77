import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.models import ApplicantType, Channel, Dossier, ResultDelivery
from motcua.dossiers.services import Applicant
from motcua.dossiers.services.actions import NOTE_MAX_LENGTH
from motcua.periods import PeriodDateField


def _length(column: str) -> int:
    """The dossier column's length: a longer value is a form error, never a database one."""
    return Dossier._meta.get_field(column).max_length


class ApplicantForm(forms.Form):
    """The applicant's details, as typed or pasted at the desk."""

    applicant_type = forms.TypedChoiceField(
        label=_("Loại chủ hồ sơ"), choices=ApplicantType.choices, coerce=int, initial=1
    )
    applicant_name = forms.CharField(
        label=_("Họ tên / tên tổ chức"), max_length=_length("applicant_name")
    )
    applicant_id_number = forms.CharField(
        label=_("Số định danh cá nhân (12 số) hoặc mã số thuế"),
        max_length=_length("applicant_id_number"),
    )
    applicant_phone = forms.CharField(
        label=_("Điện thoại"), max_length=_length("applicant_phone"), required=False
    )
    applicant_email = forms.EmailField(
        label=_("Thư điện tử"), max_length=_length("applicant_email"), required=False
    )
    applicant_address = forms.CharField(
        label=_("Địa chỉ"), max_length=_length("applicant_address"), required=False
    )
    authorised_name = forms.CharField(
        label=_("Người được ủy quyền (nếu có)"),
        max_length=_length("authorised_name"),
        required=False,
    )
    authorised_id_number = forms.CharField(
        label=_("Số định danh người được ủy quyền"),
        max_length=_length("authorised_id_number"),
        required=False,
    )

    def applicant(self) -> Applicant:
        data = self.cleaned_data
        return Applicant(
            name=data["applicant_name"],
            id_number=data["applicant_id_number"],
            type=data["applicant_type"],
            phone=data.get("applicant_phone", ""),
            email=data.get("applicant_email", ""),
            address=data.get("applicant_address", ""),
            authorised_name=data.get("authorised_name", ""),
            authorised_id_number=data.get("authorised_id_number", ""),
        )


class ReceiveForm(ApplicantForm):
    #: One key per form opened (the page's ``?phien=``): a second click, a resent page, or
    #: Back then the button again never makes a second dossier.
    submission = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)
    deciding_agency = forms.ChoiceField(label=_("Cơ quan giải quyết"), required=False)
    #: At the desk, or opened from the post (KenhThucHien 1 or 3); online dossiers are
    #: submitted by the applicant, never typed in here.
    channel = forms.TypedChoiceField(
        label=_("Hồ sơ nhận"),
        choices=[
            (Channel.DESK.value, _("Trực tiếp tại bộ phận một cửa")),
            (Channel.POST.value, _("Qua dịch vụ bưu chính công ích")),
        ],
        coerce=int,
        required=False,  # at the desk unless the officer says the post brought it
        empty_value=Channel.DESK.value,
        initial=Channel.DESK.value,
        widget=forms.RadioSelect,
    )
    result_delivery = forms.ChoiceField(
        label=_("Hình thức nhận kết quả"), choices=ResultDelivery.choices, initial="desk"
    )
    delivery_address = forms.CharField(
        label=_("Địa chỉ nhận kết quả qua bưu chính"),
        max_length=_length("delivery_address"),
        required=False,
    )
    sets_received = forms.IntegerField(label=_("Số bộ hồ sơ"), min_value=1, max_value=20, initial=1)
    items = forms.CharField(
        label=_("Giấy tờ cần bổ sung (mỗi dòng một giấy tờ)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    reason = forms.CharField(
        label=_("Lý do (khi yêu cầu bổ sung hoặc từ chối)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    #: Receiving a dossier with no document ticked is asked about first (a slip of the hand
    #: at the desk would print a receipt that lists nothing).
    confirm_no_documents = forms.BooleanField(
        label=_("Vẫn tiếp nhận: hồ sơ không kèm giấy tờ nào trong danh mục"), required=False
    )

    def __init__(self, *args, agencies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["submission"].initial = uuid.uuid4().hex
        self.fields["deciding_agency"].choices = [(a.pk, a.name) for a in agencies]


class ActionForm(forms.Form):
    """Every action posts the version the officer saw, so a concurrent change is detected."""

    action = forms.CharField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput)
    #: Its length is judged by the service (``NOTE_MAX_LENGTH``), as the API's is; the
    #: textarea only stops a typist there.
    note = forms.CharField(
        label=_("Ghi chú / lý do"),
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": NOTE_MAX_LENGTH}),
        required=False,
    )
    new_due_at = forms.DateTimeField(
        label=_("Ngày giờ hẹn trả mới"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        input_formats=["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"],
    )
    assignee = forms.CharField(label=_("Cán bộ được phân công"), max_length=150, required=False)
    missing_documents = forms.CharField(
        label=_("Giấy tờ cần bổ sung (mỗi dòng một giấy tờ)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    paper_result = forms.BooleanField(label=_("Kết quả là bản giấy"), required=False)
    returned_to = forms.CharField(label=_("Người nhận kết quả"), max_length=255, required=False)
    postal_tracking = forms.CharField(
        label=_("Số vận đơn bưu chính"), max_length=60, required=False
    )


class RegisterFilterForm(forms.Form):
    start = PeriodDateField(label=_("Từ ngày"))
    end = PeriodDateField(label=_("Đến ngày"))
    field = forms.ChoiceField(label=_("Lĩnh vực"), required=False)

    def __init__(self, *args, fields=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["field"].choices = [("", _("Tất cả")), *[(f.code, f.name) for f in fields]]
