from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.agencies.models import Membership, MembershipRequest
from motcua.agencies.selectors import (
    agency_get_for_user,
    membership_requests_to_decide,
    memberships_of,
)
from motcua.agencies.services import membership_request_confirm, membership_request_refuse


@login_required
def staff_home(request):
    from motcua.dossiers.access import request_actor
    from motcua.reports.access import may_view

    context = {
        "memberships": memberships_of(user=request.user),
        "pending_roles": membership_requests_to_decide(user=request.user).count(),
        "leads": may_view(request_actor(request)),  # the leaders' dashboard
    }
    return render(request, "agencies/staff_home.html", context)


@login_required
def agency_detail(request, code):
    agency = agency_get_for_user(user=request.user, code=code)
    if agency is None:
        raise Http404
    staff = (
        Membership.objects.filter(agency=agency)
        .select_related("user", "unit", "desk")
        .order_by("role", "user__last_name")
    )
    context = {
        "agency": agency,
        "units": agency.units.all(),
        "desks": agency.desks.all(),
        "staff": staff,
        "office_hours": agency.office_hours.all(),
    }
    return render(request, "agencies/agency_detail.html", context)


class DecisionForm(forms.Form):
    request = forms.IntegerField(min_value=1, max_value=2**31 - 1)
    decision = forms.ChoiceField(
        choices=[("confirm", gettext_lazy("Xác nhận")), ("refuse", gettext_lazy("Không xác nhận"))]
    )
    note = forms.CharField(
        label=gettext_lazy("Ghi chú"),
        required=False,
        max_length=MembershipRequest._meta.get_field("decision_note").max_length,
    )


@login_required
def membership_requests(request):
    """Roles that read dossiers, given by an agency administrator and waiting for a leader of
    that agency (or a superuser) to confirm or refuse them."""
    if request.method == "POST":
        form = DecisionForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Đề nghị không hợp lệ; chưa có gì thay đổi."))
            return redirect("agencies:membership_requests")
        data = form.cleaned_data
        decide = (
            membership_request_confirm
            if data["decision"] == "confirm"
            else membership_request_refuse
        )
        try:
            decide(actor=request.user, request_id=data["request"], note=data["note"].strip())
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("Đã xác nhận phân công.")
                if data["decision"] == "confirm"
                else _("Đã không xác nhận phân công; vai trò không được giao."),
            )
        return redirect("agencies:membership_requests")
    pending = membership_requests_to_decide(user=request.user)
    return render(request, "agencies/membership_requests.html", {"pending": pending})
