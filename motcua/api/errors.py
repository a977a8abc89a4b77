"""The one shape of every error answer of the API, ``{"detail": …, "errors": {field: …}}``,
the handlers that give it, and its place in the OpenAPI document.

Every message is Vietnamese; a field is named by its JSON path in the request as the client
sent it (``agency``, ``applicant.name``, ``documents.0.content_base64``, ``start``,
``Idempotency-Key``), whether pydantic or a service found the error.
"""

import math
import re

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpResponse
from ninja import Field, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError

from motcua.api.inputs import OWN_KINDS

INVALID = "Dữ liệu không hợp lệ."


class ErrorOut(Schema):
    """Every error answer of the API (4xx)."""

    detail: str = Field(description="Thông báo lỗi bằng tiếng Việt.")
    errors: dict[str, str] = Field(
        default_factory=dict,
        description=(
            "Lỗi theo từng trường (khi có): khóa là đường dẫn JSON của trường trong yêu cầu "
            "(ví dụ `agency`, `applicant.name`, `documents.0.content_base64`), hoặc tên tham "
            "số (`start`, `Idempotency-Key`); giá trị là thông báo tiếng Việt."
        ),
    )


#: What each error status means here, for the OpenAPI document.
STATUS_MEANINGS = {
    400: "Yêu cầu hỏng: nội dung không phải JSON đọc được.",
    401: (
        "Thiếu khóa API / mã truy cập cá nhân, hoặc sai, đã thu hồi (`Authorization: Bearer …`)."
    ),
    404: "Không tìm thấy.",
    409: "Xung đột với trạng thái hiện tại (ví dụ: hồ sơ đã đổi phiên bản; đọc lại rồi làm lại).",
    413: "Nội dung yêu cầu lớn quá giới hạn.",
    422: (
        "Dữ liệu không hợp lệ, hoặc thao tác bị từ chối; `detail` nói vì sao, `errors` nêu "
        "từng trường (khi có). Không có gì được lưu hay thay đổi."
    ),
    429: "Quá nhiều yêu cầu; thử lại sau số giây trong tiêu đề `Retry-After`.",
}


def error_responses(*statuses: int) -> dict[int, type[Schema]]:
    """The documented error answers of an operation, for its ``response=`` mapping."""
    return {status: ErrorOut for status in statuses}


def too_large_message() -> str:
    """One answer for a file over the per-file limit, whether the body holding it is over the
    API's own limit (Django stops reading) or under it (the file is cut off as decoded)."""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE / 2**20
    return (
        f"Tệp quá lớn: mỗi tệp tối đa {settings.ATTACHMENT_MAX_MB} MB, cả yêu cầu tối đa "
        f"{limit:.1f} MB sau khi mã hóa base64. Hãy giảm dung lượng tệp (quét với độ phân "
        "giải thấp hơn hoặc nén lại)."
    )


class FileTooLarge(HttpError):
    """413: a file of the body is over ``ATTACHMENT_MAX_MB``."""

    def __init__(self):
        super().__init__(413, too_large_message())


class FieldErrors(Exception):
    """A 422 answer with one Vietnamese message per field (``errors`` may be empty when the
    refusal names no field, ``detail`` then says it all); nothing was stored."""

    def __init__(self, errors: dict[str, str], detail: str = INVALID):
        super().__init__(errors)
        self.errors, self.detail = errors, detail


class RateLimited(Exception):
    """A 429 answer; ``retry_after`` seconds until the client may try again."""

    def __init__(self, message: str, retry_after: int):
        super().__init__(message)
        self.message, self.retry_after = message, retry_after


def error_response(api, request, status: int, detail: str, errors=None) -> HttpResponse:
    data = {"detail": detail, "errors": errors} if errors else {"detail": detail}
    return api.create_response(request, data, status=status)


def install_error_handlers(api) -> None:
    """Replace django-ninja's English answers by the documented Vietnamese shape."""

    def validation_error(request, exc: ValidationError):
        errors = {}
        for error in exc.errors:
            errors.setdefault(field_name(error.get("loc", ())), vietnamese_message(error))
        return error_response(api, request, 422, INVALID, errors)

    def field_errors(request, exc: FieldErrors):
        return error_response(api, request, 422, exc.detail, exc.errors)

    def http_error(request, exc: HttpError):
        detail = str(exc)
        if type(exc) is HttpError and exc.status_code == 400:
            # The only HttpError django-ninja raises itself: a body that is not JSON.
            detail = "Nội dung yêu cầu không phải JSON hợp lệ."
        return error_response(api, request, exc.status_code, detail)

    def unauthenticated(request, exc: AuthenticationError):
        response = error_response(
            api,
            request,
            401,
            "Thiếu khóa API hoặc mã truy cập, hoặc không hợp lệ, đã thu hồi (tiêu đề "
            "Authorization: Bearer …).",
        )
        response["WWW-Authenticate"] = "Bearer"
        return response

    def not_found(request, exc: Http404):
        return error_response(api, request, 404, "Không tìm thấy.")

    def too_big(request, exc: RequestDataTooBig):
        return error_response(api, request, 413, too_large_message())

    def rate_limited(request, exc: RateLimited):
        response = error_response(api, request, 429, exc.message)
        # RFC 9110 §10.2.3: whole seconds, at least one.
        response["Retry-After"] = str(max(1, math.ceil(exc.retry_after)))
        return response

    api.add_exception_handler(ValidationError, validation_error)
    api.add_exception_handler(FieldErrors, field_errors)
    api.add_exception_handler(HttpError, http_error)
    api.add_exception_handler(AuthenticationError, unauthenticated)
    api.add_exception_handler(Http404, not_found)
    api.add_exception_handler(RequestDataTooBig, too_big)
    api.add_exception_handler(RateLimited, rate_limited)


def document_errors(schema: dict) -> dict:
    """Give each documented error answer its Vietnamese meaning and headers."""
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            for status, answer in operation.get("responses", {}).items():
                status = int(status)
                if status in STATUS_MEANINGS:
                    answer["description"] = STATUS_MEANINGS[status]
                if status == 429:
                    answer["headers"] = {
                        "Retry-After": {
                            "description": "Số giây phải chờ trước khi thử lại.",
                            "required": True,
                            "schema": {"type": "integer", "minimum": 1},
                        }
                    }
                if status == 401:
                    answer["headers"] = {
                        "WWW-Authenticate": {"required": True, "schema": {"type": "string"}}
                    }
    return schema


# --- field names and messages --------------------------------------------------------------

#: Names of the single schema parameters the endpoints take their body and query in: they
#: are the Python side's names, not part of what the client sent.
_WRAPPERS = {"payload", "params", "filters"}


def field_name(loc) -> str:
    """The field as the client sent it: ``("body", "payload", "applicant", "name")`` →
    ``applicant.name``; the whole body, when it is not an object, is ``body``."""
    parts = [str(part) for part in loc[1:]]
    if parts and parts[0] in _WRAPPERS:
        parts = parts[1:]
    return ".".join(parts) or (str(loc[0]) if loc else "body")


#: pydantic's error kinds (exact, then by prefix) and their Vietnamese messages; ``{…}``
#: fields come from the error's context.
_MESSAGES = {
    "missing": "Thiếu giá trị bắt buộc.",
    "string_too_long": "Dài quá {max_length} ký tự.",
    "string_too_short": "Không được để trống.",
    "too_long": "Nhiều phần tử quá giới hạn cho phép.",
    "too_short": "Ít phần tử hơn mức tối thiểu.",
    "greater_than": "Phải lớn hơn {gt}.",
    "greater_than_equal": "Phải từ {ge} trở lên.",
    "less_than": "Phải nhỏ hơn {lt}.",
    "less_than_equal": "Không được lớn hơn {le}.",
    "finite_number": "Phải là một số hữu hạn.",
    "timezone_aware": "Thời điểm phải kèm độ lệch múi giờ, ví dụ +07:00.",
    "dict_type": "Phải là một đối tượng JSON.",
    "model_type": "Phải là một đối tượng JSON.",
    "model_attributes_type": "Phải là một đối tượng JSON.",
}
_MESSAGES_BY_PREFIX = {
    "datetime": "Phải là thời điểm ISO 8601 kèm múi giờ, ví dụ 2026-11-23T10:00:00+07:00.",
    "int": "Phải là một số nguyên.",
    "decimal": "Phải là một số.",
    "float": "Phải là một số.",
    "bool": "Phải là true hoặc false.",
    "string": "Phải là một chuỗi ký tự.",
    "list": "Phải là một danh sách.",
}


def vietnamese_message(error: dict) -> str:
    """One Vietnamese sentence for a pydantic error; never the validator's English."""
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind in OWN_KINDS:  # raised by our validators with a Vietnamese message
        return error["msg"]
    if kind in ("literal_error", "enum"):
        allowed = ", ".join(re.findall(r"'([^']*)'", str(ctx.get("expected", ""))))
        return f"Phải là một trong: {allowed}."
    template = _MESSAGES.get(kind) or next(
        (text for prefix, text in _MESSAGES_BY_PREFIX.items() if kind.startswith(prefix)),
        "Giá trị không hợp lệ.",
    )
    return template.format_map(ctx)
