"""The opt-out page: opened from the link in a message, no log-in. Looking at it changes
nothing (mail scanners open links); the person's button does, and so does a mail client's
one-click unsubscribe (RFC 8058: a POST with ``List-Unsubscribe=One-Click``)."""

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt

from motcua.notifications.optout import token_read
from motcua.notifications.selectors import kinds_required, recipient_masked
from motcua.notifications.services import opt_out_set, opted_out


@csrf_exempt  # the signed token is the authority; a mail client's one-click POST has no cookie
def opt_out(request, token: str):
    found = token_read(token)
    if found is None:
        raise Http404
    medium, recipient = found
    if request.method == "POST":
        if request.POST.get("List-Unsubscribe") == "One-Click":
            opt_out_set(medium=medium, recipient=recipient, stopped=True)
            return HttpResponse("OK", content_type="text/plain; charset=utf-8")
        opt_out_set(medium=medium, recipient=recipient, stopped=request.POST.get("stop") != "0")
    stopped = opted_out(medium=medium, recipient=recipient)
    return render(
        request,
        "notifications/opt_out.html",
        {
            "medium": medium,
            "address": recipient_masked(medium, recipient),
            "stopped": stopped,
            "changed": request.method == "POST",
            "required": kinds_required(),
        },
    )
