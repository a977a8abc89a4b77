"""The kinds of message, registered by the apps that send them (``<app>/messages.py``, found
when the project starts): what each may say (its placeholders and sample values), its
default texts, and whether the person may stop it.

Generic below, specific above: the outbox knows a kind only by what is registered here."""

from __future__ import annotations

from dataclasses import dataclass

#: Placeholders the outbox itself fills in for every kind that may be stopped.
OPT_OUT_FIELD = "opt_out_url"


@dataclass(frozen=True)
class MessageKind:
    name: str
    label: str
    #: placeholder → what it holds (shown to the administrator next to the template)
    fields: dict[str, str]
    #: a value per placeholder, for the admin's preview and the length check of SMS
    sample: dict[str, str]
    sms: str
    email_subject: str
    email_body: str
    #: The person must be told (the law, or SPEC §6): sent even after an opt-out, and
    #: without an opt-out link.
    required: bool = False
    #: Placeholders whose value may be cut short for an SMS to fit (free text, names).
    shorten: tuple[str, ...] = ()
    media: tuple[str, ...] = ("sms", "email")
    #: Placeholders every template of the kind must keep (a one-time code's ``{code}``).
    needs: tuple[str, ...] = ()

    def allowed_fields(self) -> dict[str, str]:
        if self.required:
            return dict(self.fields)
        return {**self.fields, OPT_OUT_FIELD: "Đường dẫn để người nhận ngừng nhận loại tin này"}

    def default(self, medium: str) -> tuple[str, str]:
        """(subject, body) of the default template on ``medium``."""
        if medium == "sms":
            return "", self.sms
        return self.email_subject, self.email_body


_KINDS: dict[str, MessageKind] = {}


def kind_register(kind: MessageKind) -> MessageKind:
    _KINDS[kind.name] = kind
    return kind


def kind_get(name: str) -> MessageKind | None:
    return _KINDS.get(name)


def kinds_all() -> list[MessageKind]:
    return sorted(_KINDS.values(), key=lambda k: k.name)
