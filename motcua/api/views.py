"""The officer's own personal access tokens (SPEC §12.2), on their profile page: create one
(shown once) and revoke any of theirs. The tokens act as them in the staff API."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from motcua.api.forms import TokenForm
from motcua.api.selectors import user_tokens_of
from motcua.api.services import user_token_create, user_token_errors, user_token_revoke


@login_required
def tokens(request):
    form = TokenForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        try:
            created = user_token_create(user=request.user, name=form.cleaned_data["name"])[1]
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form = TokenForm()
    context = {
        "form": form,
        "created": created,
        "tokens": user_tokens_of(user=request.user),
        "refusal": user_token_errors(user=request.user, name="").get("user"),
    }
    response = render(request, "api/tokens.html", context)
    response["Cache-Control"] = "no-store"  # the page may show a token once: never kept
    return response


@login_required
@require_POST
def token_revoke(request, pk):
    token = get_object_or_404(user_tokens_of(user=request.user), pk=pk)
    if user_token_revoke(token=token):
        message = _("Đã thu hồi mã “%(name)s”: mã ngừng có hiệu lực ngay.")
        messages.success(request, message % {"name": token.name})
    return redirect("tokens:list")
