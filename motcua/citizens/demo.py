"""The demo citizen (``manage.py load_demo``): logs in on the citizens' side with the phone or
e-mail below and the demo password, or by a code (shown in var/outbox/messages.jsonl)."""

from django.db import transaction

from motcua.citizens.identifiers import identifier_parse
from motcua.citizens.models import CitizenProfile
from motcua.citizens.services import citizen_create

DEMO_CITIZEN = {
    "full_name": "Nguyễn Văn An",
    "phone": "0912345678",
    "email": "an.nguyen@example.vn",
    "id_number": "045090001234",
    "address": "Khối 3, xã Khe Sanh, tỉnh Quảng Trị",
}


@transaction.atomic
def demo_citizen_load(*, password: str) -> tuple[str, str, str]:
    """Create the demo citizen once (a second run changes nothing); returns the line that
    ``load_demo`` prints."""
    found = CitizenProfile.objects.filter(phone=DEMO_CITIZEN["phone"]).first()
    if found is None:
        user = citizen_create(
            full_name=DEMO_CITIZEN["full_name"],
            identifier=identifier_parse(DEMO_CITIZEN["phone"]),
        )
        CitizenProfile.objects.filter(user=user).update(
            email=DEMO_CITIZEN["email"],
            id_number=DEMO_CITIZEN["id_number"],
            address=DEMO_CITIZEN["address"],
        )
        user.set_password(password)
        user.save(update_fields=["password"])
    return (DEMO_CITIZEN["phone"], DEMO_CITIZEN["full_name"], "công dân (/cong-dan/dang-nhap/)")
