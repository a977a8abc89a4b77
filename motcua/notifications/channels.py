"""Delivery channels, one per medium (``MOTCUA_SMS_CHANNEL``, ``MOTCUA_EMAIL_CHANNEL``).

Each send carries the message's ``key``: a gateway that honours it delivers a message once,
however many times a worker (killed after sending, before recording it) sends it. A channel
raises on failure: ``Undeliverable`` when the message itself is refused (never retried),
anything else to be tried again later."""

from __future__ import annotations

import base64
import contextlib
import json
import smtplib
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMessage, get_connection


class Undeliverable(Exception):
    """The gateway refused this message for good (a malformed number, an unknown mailbox)."""


class Channel:
    def send(self, notification) -> None:  # raises on failure
        raise NotImplementedError

    def close(self) -> None:
        """After a batch: let go of any connection kept open for it."""


class ConsoleChannel(Channel):
    def send(self, notification) -> None:
        print(f"[{notification.medium} → {notification.recipient}] {notification.body}")


class FileChannel(Channel):
    """Appends each message as a JSON line to ``var/outbox/messages.jsonl`` (development):
    a key already written is not written again."""

    def __init__(self, path: Path | None = None):
        self.path = path or settings.VAR_DIR / "outbox" / "messages.jsonl"
        self._keys: set[str] | None = None

    def _written(self) -> set[str]:
        if self._keys is None:
            self._keys = set()
            if self.path.exists():
                for line in self.path.read_text(encoding="utf-8").splitlines():
                    self._keys.add(json.loads(line).get("key", ""))
        return self._keys

    def send(self, notification) -> None:
        key = str(notification.key)
        if key in self._written():
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        record = {
            "key": key,
            "id": notification.pk,
            "kind": notification.kind,
            "medium": notification.medium,
            "to": notification.recipient,
            "subject": notification.subject,
            "body": notification.body,
        }
        with self.path.open("a", encoding="utf-8") as out:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
        self._keys.add(key)


# --- SMS: a generic HTTP + JSON gateway ----------------------------------------------------


def _international(phone: str) -> str:
    """``0912345678`` → ``84912345678`` (what most Vietnamese gateways want)."""
    digits = "".join(ch for ch in phone if ch.isdigit())
    return "84" + digits[1:] if digits.startswith("0") else digits


def _dig(document, path: str):
    for part in path.split("."):
        if not isinstance(document, dict) or part not in document:
            return None
        document = document[part]
    return document


#: What the delivery status says when the gateway gave no text with its error.
NO_REASON = "không rõ lý do"


def _said(raw: bytes) -> str:
    """The gateway's own words about an error, or ``NO_REASON`` (never an empty reason)."""
    return raw.decode("utf-8", "replace").strip() or NO_REASON


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A gateway that answers with a redirect has not taken the message: following it would
    send the credentials elsewhere as a GET without the message (and count it as sent)."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None  # urllib then raises HTTPError with the 3xx code


_OPENER = urllib.request.build_opener(_NoRedirect)


class HttpGatewayChannel(Channel):
    """POSTs each message as JSON to an SMS gateway (most Vietnamese brand-name SMS
    gateways speak HTTP + JSON), all of it from settings (``MOTCUA_SMS_GATEWAY_*``):

    - the body is a JSON template: its strings may hold ``{to}`` ``{to_intl}`` ``{text}``
      ``{key}`` ``{brandname}`` ``{kind}`` ``{subject}``, replaced inside the parsed JSON (so a
      value is always properly escaped); a gateway's own credentials in the body are written
      there as they are;
    - the message's key also goes in the ``SMS_GATEWAY_KEY_HEADER`` header (Idempotency-Key);
    - authentication: HTTP basic (``SMS_GATEWAY_USER`` / ``_PASSWORD``) and/or any headers
      (``SMS_GATEWAY_HEADERS``, a JSON object: a bearer token, an API key);
    - a redirect is a failure (retried, so it shows in the outbox), never followed: the
      credentials stay with the configured address;
    - success: a 2xx answer and, when ``SMS_GATEWAY_SUCCESS`` is ``field=value`` (a dotted
      path into the answer's JSON), that field equal to that value. A 400 or 422 refuses the
      message itself (not retried); any other failure is retried."""

    FIELDS = ("to", "to_intl", "text", "key", "brandname", "kind", "subject", "medium")

    def __init__(
        self,
        *,
        url: str | None = None,
        body: str | None = None,
        headers: str | None = None,
        user: str | None = None,
        password: str | None = None,
        success: str | None = None,
        key_header: str | None = None,
        brandname: str | None = None,
        timeout: float | None = None,
    ):
        from motcua.notifications.texts import TemplateError, parse

        self.url = url or settings.SMS_GATEWAY_URL
        if not self.url:
            raise ImproperlyConfigured("Kênh SMS “http” cần MOTCUA_SMS_GATEWAY_URL.")
        try:
            self.body = json.loads(body or settings.SMS_GATEWAY_BODY)
            headers = settings.SMS_GATEWAY_HEADERS if headers is None else headers
            extra = json.loads(headers or "{}")
        except json.JSONDecodeError as exc:
            raise ImproperlyConfigured(
                f"MOTCUA_SMS_GATEWAY_BODY / _HEADERS không phải JSON hợp lệ: {exc}"
            ) from exc
        allowed = dict.fromkeys(self.FIELDS, "")
        try:
            self._walk(self.body, lambda text: parse(text, allowed))
        except TemplateError as exc:
            raise ImproperlyConfigured(f"MOTCUA_SMS_GATEWAY_BODY: {exc}") from exc
        self.headers = {str(k): str(v) for k, v in dict(extra).items()}
        user = settings.SMS_GATEWAY_USER if user is None else user
        password = settings.SMS_GATEWAY_PASSWORD if password is None else password
        if user:
            basic = base64.b64encode(f"{user}:{password}".encode()).decode()
            self.headers["Authorization"] = f"Basic {basic}"
        success = settings.SMS_GATEWAY_SUCCESS if success is None else success
        self.success = tuple(success.split("=", 1)) if success else None
        if self.success and len(self.success) != 2:
            raise ImproperlyConfigured("MOTCUA_SMS_GATEWAY_SUCCESS có dạng trường=giá_trị.")
        self.key_header = key_header or settings.SMS_GATEWAY_KEY_HEADER
        self.brandname = settings.SMS_BRANDNAME if brandname is None else brandname
        self.timeout = timeout or settings.SMS_GATEWAY_TIMEOUT

    @classmethod
    def _walk(cls, node, change):
        if isinstance(node, str):
            return change(node)
        if isinstance(node, list):
            return [cls._walk(item, change) for item in node]
        if isinstance(node, dict):
            return {key: cls._walk(value, change) for key, value in node.items()}
        return node

    def payload(self, notification) -> bytes:
        from motcua.notifications.texts import _join, parse

        values = {
            "to": notification.recipient,
            "to_intl": _international(notification.recipient),
            "text": notification.body,
            "key": str(notification.key),
            "brandname": self.brandname,
            "kind": notification.kind,
            "subject": notification.subject,
            "medium": notification.medium,
        }
        allowed = dict.fromkeys(self.FIELDS, "")
        filled = self._walk(self.body, lambda text: _join(parse(text, allowed), values))
        return json.dumps(filled, ensure_ascii=False).encode()

    def send(self, notification) -> None:
        request = urllib.request.Request(
            self.url,
            data=self.payload(notification),
            method="POST",
            headers={
                "Content-Type": "application/json; charset=utf-8",
                "Accept": "application/json",
                **self.headers,
                self.key_header: str(notification.key),
            },
        )
        try:
            with _OPENER.open(request, timeout=self.timeout) as answer:
                raw = answer.read(65536)
        except urllib.error.HTTPError as exc:
            said = _said(exc.read(300))
            if exc.code in (400, 422):
                raise Undeliverable(f"Cổng SMS từ chối tin ({exc.code}): {said}") from exc
            if 300 <= exc.code < 400:
                where = exc.headers.get("Location", "")
                raise ConnectionError(
                    f"Cổng SMS chuyển hướng ({exc.code}) sang {where!s:.200}: kiểm tra "
                    "MOTCUA_SMS_GATEWAY_URL (http/https, địa chỉ mới); tin chưa được gửi."
                ) from exc
            raise ConnectionError(f"Cổng SMS trả lời {exc.code}: {said}") from exc
        except OSError as exc:  # refused, reset, timed out, DNS
            raise ConnectionError(f"Không gọi được cổng SMS: {exc}") from exc
        if self.success:
            field, expected = self.success
            try:
                found = _dig(json.loads(raw), field)
            except ValueError:
                found = None
            if found is None or str(found) != expected:
                said = _said(raw[:300])
                raise ConnectionError(f"Cổng SMS không xác nhận ({field}={found}): {said}")


# --- e-mail: Django's e-mail backend (SMTP) ------------------------------------------------


def message_id(notification) -> str:
    """Derived from the key: a resend after a crash carries the same Message-ID, which mail
    servers and clients recognise as the same message."""
    domain = urlsplit(settings.PUBLIC_BASE_URL).hostname or "motcua.invalid"
    return f"<{notification.key}@{domain}>"


class EmailChannel(Channel):
    """Sends through Django's e-mail backend (SMTP in production: ``MOTCUA_EMAIL_*``),
    one connection kept open for a batch. Plain text in UTF-8, with diacritics; the
    Message-ID comes from the key; a message that may be stopped carries the one-click
    unsubscribe headers (RFC 8058) pointing at its opt-out link."""

    def __init__(self, connection=None):
        self._connection = connection

    def _open(self):
        if self._connection is None:
            self._connection = get_connection(fail_silently=False)
        self._connection.open()
        return self._connection

    def send(self, notification) -> None:
        from motcua.notifications.optout import opt_out_url

        headers = {"Message-ID": message_id(notification), "Auto-Submitted": "auto-generated"}
        if not notification.required:
            link = opt_out_url("email", notification.recipient)
            headers["List-Unsubscribe"] = f"<{link}>"
            headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        email = EmailMessage(
            subject=notification.subject,
            body=notification.body,
            to=[notification.recipient],
            headers=headers,
            connection=self._open(),
        )
        try:
            email.send()
        except smtplib.SMTPRecipientsRefused as exc:
            codes = [code for code, _text in exc.recipients.values()]
            if codes and all(500 <= code < 600 for code in codes):
                raise Undeliverable(f"Máy chủ thư từ chối địa chỉ: {exc.recipients}") from exc
            self.close()
            raise
        except Exception:
            self.close()  # a broken connection: open a new one for the next message
            raise

    def close(self) -> None:
        if self._connection is not None:
            with contextlib.suppress(Exception):  # already gone
                self._connection.close()


# --- Zalo ZNS: a place for it --------------------------------------------------------------


class ZaloZnsChannel(Channel):
    """Zalo Notification Service: messages to a phone number's Zalo account. NOT enabled:
    ZNS sends no free text, only templates approved beforehand by Zalo, filled with
    parameters. A deployment that wants it must provide:

    - a Zalo Official Account of the agency, verified, with ZNS enabled and paid for;
    - one approved ZNS template per message kind (its ``template_id`` and parameter names),
      mapped here from our kinds — so the outbox must keep each message's data (a JSON
      column on ``Notification``) besides its text;
    - an OAuth access token, refreshed before it expires (a refresh token kept as a secret);
    - the phone number as ``84…`` (``_international``) and our ``key`` as ZNS's
      ``tracking_id``, which ZNS uses to refuse a duplicate;
    - what to do for a phone without Zalo (ZNS answers an error): fall back to SMS.
    Choosing ``MOTCUA_SMS_CHANNEL=zalo`` stops the worker at start with this message."""

    def __init__(self):
        raise ImproperlyConfigured(
            "Kênh Zalo ZNS chưa được cài đặt: cần tài khoản Zalo OA, mẫu ZNS đã duyệt cho "
            "từng loại tin và mã truy cập (xem motcua/notifications/channels.py)."
        )


CHANNELS: dict[str, dict[str, type[Channel]]] = {
    "sms": {
        "file": FileChannel,
        "console": ConsoleChannel,
        "http": HttpGatewayChannel,
        "zalo": ZaloZnsChannel,
    },
    "email": {
        "file": FileChannel,
        "console": ConsoleChannel,
        "smtp": EmailChannel,
        "http": HttpGatewayChannel,
    },
}


class ByMedium(Channel):
    """The worker's channel: each message goes to the channel of its medium."""

    def __init__(self, channels: dict[str, Channel]):
        self.channels = channels

    def send(self, notification) -> None:
        channel = self.channels.get(notification.medium)
        if channel is None:
            raise Undeliverable(f"Không có kênh gửi cho “{notification.medium}”.")
        channel.send(notification)

    def close(self) -> None:
        for channel in {id(c): c for c in self.channels.values()}.values():
            channel.close()


def channel_get() -> ByMedium:
    """The channels the settings name for SMS and e-mail (one instance when both name the
    same kind, so the development file is written by one writer)."""
    chosen = {"sms": settings.SMS_CHANNEL, "email": settings.EMAIL_CHANNEL}
    built: dict[type[Channel], Channel] = {}
    channels = {}
    for medium, name in chosen.items():
        kind = CHANNELS[medium].get(name)
        if kind is None:
            raise ImproperlyConfigured(
                f"MOTCUA_{medium.upper()}_CHANNEL={name!r}: chọn một trong "
                f"{', '.join(CHANNELS[medium])}."
            )
        if kind not in built:
            built[kind] = kind()
        channels[medium] = built[kind]
    return ByMedium(channels)
