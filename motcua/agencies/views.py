from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from motcua.agencies.models import Membership
from motcua.agencies.selectors import agency_get_for_user, memberships_of


@login_required
def staff_home(request):
    from motcua.dossiers.access import request_actor
    from motcua.reports.access import may_view

    context = {
        "memberships": memberships_of(user=request.user),
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
