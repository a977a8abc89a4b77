"""Who calls the counter endpoints of the API: an officer, by the staff session (the counter
page's own calls, with its CSRF token) or by ``Authorization: Bearer {personal token}``
(SPEC §12.2). ``request.auth`` is the ``access.Officer``.

Personal tokens are ``motcua.api.auth.officer_for_token``: a revoked token stops at once.
"""

from __future__ import annotations

from django.middleware.csrf import CsrfViewMiddleware
from ninja.security import HttpBearer

from motcua.dossiers import access


def officer_for_bearer(raw: str) -> access.Officer | None:
    from motcua.api.auth import officer_for_token  # SPEC §12.2 personal tokens

    return officer_for_token(raw)


def _csrf_ok(request) -> bool:
    check = CsrfViewMiddleware(lambda r: None)
    return check.process_view(request, None, (), {}) is None


class OfficerAuth(HttpBearer):
    """A Bearer token, else the logged-in staff session (CSRF-checked for writes)."""

    def __call__(self, request):
        header = request.headers.get(self.header, "")
        if header:
            return super().__call__(request)
        actor = access.request_actor(request)
        if not isinstance(actor, access.Officer):
            return None
        if request.method not in ("GET", "HEAD", "OPTIONS") and not _csrf_ok(request):
            return None
        return actor

    def authenticate(self, request, token):
        return officer_for_bearer(token)
