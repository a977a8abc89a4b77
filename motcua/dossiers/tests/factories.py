"""Helpers to build a commune with a published procedure and receive dossiers into it."""

import io
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


def pdf_bytes(*, catalog: str = "", objects: tuple[str, ...] = (), padding: int = 0) -> bytes:
    """A real one-page PDF, written out by hand so tests can put anything in it: ``catalog``
    adds entries to its catalog, ``objects`` adds objects numbered 5, 6, …, and ``padding``
    bytes of comment in the page's content make it as large as wanted."""
    content = b"% " + b"x" * padding + b"\n" if padding else b""
    bodies = [
        f"<< /Type /Catalog /Pages 2 0 R {catalog}>>".encode(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n%b\nendstream" % (len(content), content),
        *(o.encode() for o in objects),
    ]
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(bodies, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%b\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(bodies) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(bodies) + 1,
        xref,
    )
    return bytes(out)


def image_bytes(fmt: str = "PNG", size=(40, 30)) -> bytes:
    """A real image (Pillow decodes every file the desk accepts)."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, fmt)
    return out.getvalue()


PDF = pdf_bytes()
PNG = image_bytes("PNG")
JPEG = image_bytes("JPEG")


def vn(y, m, d, hh=0, mm=0, ss=0):
    return datetime(y, m, d, hh, mm, ss, tzinfo=VN_TZ)


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


def completion_files(dossier) -> list[IncomingFile]:
    """A PDF for each item the desk asked the applicant to complete (none when it asked for
    nothing), labelled with its item, as the completion page sends them."""
    from motcua.dossiers.services.actions import completion_items

    files = []
    for item in completion_items(dossier):
        files.append(IncomingFile("bo-sung.pdf", PDF))
        files[-1].label = item
    return files
