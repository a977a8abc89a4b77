"""The forms of the task pages. They label and show the fields; the rules (lengths aside)
are the services', whose Vietnamese messages come back to the fields."""

from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.periods import PeriodDateField
from motcua.tasks.models import Task
from motcua.tasks.standing import Standing


def _length(column: str) -> int:
    return Task._meta.get_field(column).max_length


class AssignForm(forms.Form):
    title = forms.CharField(label=_("Tên nhiệm vụ"), max_length=_length("title"))
    source_document = forms.CharField(
        label=_("Văn bản giao việc (số, ký hiệu, ngày, trích yếu)"),
        max_length=_length("source_document"),
        required=False,
    )
    content = forms.CharField(
        label=_("Nội dung, yêu cầu"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    working_days = forms.CharField(
        label=_("Thời hạn (số ngày làm việc, tính từ lúc giao)"),
        max_length=8,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    lead = forms.ChoiceField(label=_("Đơn vị chủ trì"))
    coordinating = forms.MultipleChoiceField(
        label=_("Đơn vị phối hợp"), widget=forms.CheckboxSelectMultiple, required=False
    )

    def __init__(self, *args, options=(), **kwargs):
        super().__init__(*args, **kwargs)
        units = [(o.key, o.label) for o in options if not o.is_agency]
        agencies = [(o.key, o.label) for o in options if o.is_agency]
        grouped = [(_("Đơn vị của cơ quan"), units)]
        if agencies:
            grouped.append((_("Cơ quan cấp dưới"), agencies))
        self.fields["lead"].choices = [("", _("— Chọn —")), *grouped]
        self.fields["coordinating"].choices = units + agencies


class PageForm(forms.Form):
    """A form shown beside others on the task's page: its own ids (``prefix_id``)."""

    prefix_id = "form"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", f"{self.prefix_id}-%s")
        super().__init__(*args, **kwargs)


class ReportForm(PageForm):
    prefix_id = "report"
    percent = forms.IntegerField(label=_("Tiến độ đã đạt (%)"), min_value=0, max_value=100)
    note = forms.CharField(
        label=_("Những việc đã làm"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class CompleteForm(PageForm):
    prefix_id = "complete"
    note = forms.CharField(
        label=_("Kết quả thực hiện"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class ExtensionForm(PageForm):
    prefix_id = "extension"
    days = forms.CharField(
        label=_("Xin thêm (số ngày làm việc)"),
        max_length=8,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        required=False,
    )
    reason = forms.CharField(
        label=_("Lý do xin gia hạn"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class DecideForm(PageForm):
    prefix_id = "decide"
    note = forms.CharField(
        label=_("Ý kiến (bắt buộc khi không đồng ý)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )


class BoardFilterForm(forms.Form):
    start = PeriodDateField(label=_("Giao từ ngày"))
    end = PeriodDateField(label=_("đến ngày"))
    lead = forms.ChoiceField(label=_("Đơn vị chủ trì"), required=False)
    standing = forms.ChoiceField(label=_("Tình trạng"), required=False)

    def __init__(self, *args, options=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead"].choices = [("", _("Tất cả")), *options]
        self.fields["standing"].choices = [
            ("", _("Tất cả")),
            *[(s.value, s.label) for s in Standing],
        ]
