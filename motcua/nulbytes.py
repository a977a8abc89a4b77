"""No page reads a NUL byte from its address: PostgreSQL cannot compare a text with one (it
would be a 500), and no code, search or page number contains one. The API is left out: it
answers a 422 naming the parameter (``motcua.api.inputs``)."""

from django.http import HttpResponseBadRequest


class RefuseNulBytesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith("/api/") and _has_nul(request):
            return HttpResponseBadRequest(
                "Địa chỉ trang chứa ký tự NUL không hợp lệ.",
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)


def _has_nul(request) -> bool:
    params = ((key, value) for key, values in request.GET.lists() for value in values)
    return "\x00" in request.path or any("\x00" in k or "\x00" in v for k, v in params)
