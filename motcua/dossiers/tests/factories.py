"""Helpers to build a commune with a published procedure and receive dossiers into it."""

from datetime import datetime

from motcua.agencies.models import Unit
from motcua.catalog.models import Procedure
from motcua.catalog.tests.factories import procedure_record, publish
from motcua.dossiers.access import SYSTEM, actor_for_user
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import (
    Applicant,
    IncomingFile,
    Receipt,
    dossier_apply,
    dossier_receive,
)
from motcua.workcalendar.calendar import VN_TZ

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def vn(y, m, d, hh=0, mm=0):
    return datetime(y, m, d, hh, mm, tzinfo=VN_TZ)


def four_step_procedure(code="1.001193", days="3"):
    """Desk 4 h → specialist (tu-phap) 12 h → leader 4 h → desk returns 4 h."""
    publish(
        procedure_record(
            code,
            processing_time=days,
            steps=[
                {"name": "Tiếp nhận, chuyển xử lý", "role": "desk_officer", "budget_hours": "2"},
                {
                    "name": "Thẩm định",
                    "role": "specialist",
                    "unit_function": "tu-phap",
                    "budget_hours": "12",
                },
                {"name": "Ký duyệt", "role": "agency_leader", "budget_hours": "4"},
                {"name": "Trả kết quả", "role": "desk_officer", "budget_hours": "2"},
            ],
        )
    )
    return Procedure.objects.get(code=code).current_version


def applicant(**overrides) -> Applicant:
    data = {
        "name": "Nguyễn Văn An",
        "id_number": "079123456789",
        "phone": "0912345678",
        "email": "an@example.vn",
        "address": "Thôn 1, xã An Bình",
    }
    data.update(overrides)
    return Applicant(**data)


def as_actor(who):
    """A named test user as the actor it is (an officer, a citizen); actors pass through."""
    if who is None:
        return SYSTEM
    from django.contrib.auth.models import AbstractBaseUser

    return actor_for_user(who) if isinstance(who, AbstractBaseUser) else who


def receive(desk, version, *, actor=None, at=None, files=(), **receipt):
    return dossier_receive(
        desk=desk,
        procedure_version=version,
        actor=as_actor(actor),
        receipt=Receipt(
            applicant=receipt.pop("applicant", applicant()),
            received_at=at,
            files=[IncomingFile(n, c) for n, c in files],
            **receipt,
        ),
    )


def tu_phap_unit(agency):
    return Unit.objects.get_or_create(
        agency=agency, code="tu-phap", defaults={"name": "Tư pháp", "function": "tu-phap"}
    )[0]


def act(dossier, action, who, **kw):
    """``dossier_apply`` as ``who`` on the version of the dossier as it is now."""
    fresh = Dossier.objects.get(pk=dossier.pk)
    return dossier_apply(
        dossier_id=dossier.pk,
        action=action,
        actor=as_actor(who),
        expected_version=fresh.version,
        **kw,
    )
