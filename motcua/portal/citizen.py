"""Who may open a citizen's own pages (online submission, completing a dossier): a logged-in
citizen. The one place that says where a citizen logs in (``settings.CITIZEN_LOGIN_URL``);
an officer's account is told to use a citizen's account instead."""

import functools

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import render, resolve_url

from motcua.dossiers import access


def citizen_required(view):
    """The view for a logged-in citizen: anyone else is sent to the citizens' log-in page
    (and back here after it); an officer gets a page saying so (403)."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(
                request.get_full_path(), resolve_url(settings.CITIZEN_LOGIN_URL)
            )
        if not isinstance(access.request_actor(request), access.Citizen):
            return render(request, "portal/submit/not_citizen.html", status=403)
        return view(request, *args, **kwargs)

    return wrapped
