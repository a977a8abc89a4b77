from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import Field, Procedure
from motcua.periods import PeriodDateField
from motcua.reports.periods import MAX_DAYS


class DashboardFilterForm(forms.Form):
    """The dashboard's filters: agency (within the leader's subtree), period, field,
    procedure. Names are the page's query parameters."""

    co_quan = forms.ChoiceField(label=_("Cơ quan (gồm cấp dưới)"), required=False)
    tu = PeriodDateField(label=_("Từ ngày"))
    den = PeriodDateField(label=_("Đến ngày"))
    linh_vuc = forms.ModelChoiceField(
        label=_("Lĩnh vực"), queryset=Field.objects.all(), required=False, empty_label=_("Tất cả")
    )
    thu_tuc = forms.ModelChoiceField(label=_("Thủ tục"), required=False, to_field_name="code",
                                     queryset=Procedure.objects.select_related("current_version"),
                                     empty_label=_("Tất cả"))  # fmt: skip

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["co_quan"].choices = [(a.code, a.name) for a in agencies]

    def clean(self):
        data = super().clean()
        first, last = data.get("tu"), data.get("den")
        if first and last and first > last:
            self.add_error("tu", _("Ngày đầu kỳ phải trước hoặc bằng ngày cuối kỳ."))
        elif first and last and (last - first).days >= MAX_DAYS:
            self.add_error("den", _("Kỳ báo cáo dài tối đa 3 năm."))
        return data
