from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.ratings.models import CRITERIA, Score

#: Best first, as the national survey asks.
CHOICES = [(s.value, s.label) for s in sorted(Score, reverse=True)]


class RatingForm(forms.Form):
    """The rating on the look-up page, the kiosk and the message's page; the service
    checks the scores again (the API sends them without this form)."""

    token = forms.CharField(widget=forms.HiddenInput, max_length=300)
    overall = forms.TypedChoiceField(
        label=_("Ông/bà hài lòng với việc giải quyết hồ sơ này ở mức nào?"),
        choices=CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Chọn mức độ hài lòng chung.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label in CRITERIA.items():
            self.fields[name] = forms.TypedChoiceField(
                label=label,
                choices=CHOICES,
                coerce=int,
                required=False,
                empty_value=None,
                widget=forms.RadioSelect,
            )

    def criteria(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in CRITERIA}

    def criteria_fields(self):
        return [self[name] for name in CRITERIA]
