"""A province → district → commune tree with two procedures in two fields, units, and a
generated set of dossiers of every kind (SPEC §9's cases), shared by the reports' tests."""

import random
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model

from motcua.agencies.models import Agency, Desk, Membership, Role, Unit
from motcua.catalog.models import Procedure
from motcua.catalog.tests.factories import procedure_record, publish
from motcua.dossiers.models import Attachment, Channel, Dossier, DossierEvent, ResultKind, Status
from motcua.dossiers.tallies import tallies_recount
from motcua.dossiers.tests.factories import vn
from motcua.workcalendar.calendar import VN_TZ

NOW = vn(2026, 11, 23, 9, 0)  # the tests' clock


@pytest.fixture
def tree(levels, province, commune, other_commune, leader):
    district = Agency.objects.create(
        code="000.10.20.H99", name="UBND huyện Thử", level=levels["huyen"], parent=province
    )
    commune.parent = district
    commune.save()
    far = Agency.objects.create(
        code="000.11.31.H99", name="UBND xã Xa", level=levels["xa"], parent=district
    )
    for agency in (province, district, commune, other_commune, far):
        Desk.objects.create(agency=agency, code="trung-tam", name="Bộ phận một cửa")
        Unit.objects.create(agency=agency, code="vp", name="Văn phòng", function="van-phong")
        Unit.objects.create(agency=agency, code="tp", name="Tư pháp", function="tu-phap")
    steps = [
        {"name": "Tiếp nhận", "role": "desk_officer", "budget_hours": "2"},
        {"name": "Thẩm định", "role": "specialist", "unit_function": "tu-phap",
         "budget_hours": "12"},
        {"name": "Ký duyệt", "role": "agency_leader", "budget_hours": "4"},
    ]  # fmt: skip
    publish(
        procedure_record("1.001193", fields=["Hộ tịch"], steps=steps, online_level="full"),
        procedure_record(
            "1.003003",
            name="Đăng ký đất đai",
            fields=["Đất đai", "Hộ tịch"],
            agency_levels=["xa", "huyen"],
            online_level="none",
            steps=[
                {"name": "Tiếp nhận", "role": "desk_officer", "budget_hours": "4"},
                {"name": "Thẩm định", "role": "specialist", "budget_hours": "12"},
            ],
        ),
    )
    return {
        "province": province,
        "district": district,
        "commune": commune,
        "other": other_commune,
        "far": far,
        "versions": [
            Procedure.objects.get(code=c).current_version for c in ("1.001193", "1.003003")
        ],
        "leader": leader,
    }


def generate(tree, *, n=500, seed=12, officer=None) -> list[Dossier]:
    """Dossiers of every kind over sixteen months in four agencies: early, on time, late,
    paused, supplemented twice, open and overdue, closed, online, by post; some with scanned
    documents and electronic results; step events by ``officer`` on some."""
    rng = random.Random(seed)
    agencies = [tree["commune"], tree["commune"], tree["district"], tree["far"], tree["other"]]
    rows = []
    for _ in range(n):
        received = NOW - timedelta(minutes=rng.randrange(0, 480 * 24 * 60))
        due = received + timedelta(hours=rng.choice([4, 8, 30, 80, 200]))
        kind = rng.choice(["finished", "returned", "open", "waiting", "closed", "online"])
        agency = rng.choice(agencies)
        fields = {
            "received_at": received,
            "due_at": due,
            "supplement_count": rng.choice([0, 0, 0, 1, 2, 3]),
            "channel": rng.choice([Channel.DESK, Channel.DESK, Channel.ONLINE, Channel.POST]),
            "status": Status.PROCESSING,
        }
        if kind in ("finished", "returned"):
            finished = received + timedelta(hours=rng.choice([1, 5, 20, 60, 150, 300]))
            finished = min(finished, NOW - timedelta(minutes=1))
            fields.update(
                status=Status.RESULT_READY if kind == "finished" else Status.RETURNED,
                finished_at=finished,
                result_kind=rng.choice([ResultKind.ELECTRONIC, ResultKind.PAPER]),
            )
        elif kind == "open":
            fields["status"] = rng.choice([Status.RECEIVED, Status.PROCESSING])
        elif kind == "waiting":
            paused = min(received + timedelta(hours=rng.choice([2, 40, 150, 400])),
                         NOW - timedelta(minutes=1))  # fmt: skip
            fields.update(
                status=rng.choice([Status.WAITING_APPLICANT, Status.WAITING_PAYMENT]),
                paused_at=paused,
            )
        elif kind == "closed":
            fields["status"] = rng.choice([Status.WITHDRAWN, Status.STOPPED, Status.REJECTED])
        else:  # submitted online, not yet accepted: no clock
            fields.update(status=Status.SUBMITTED, received_at=None, due_at=None)
        desk = agency.desks.first()
        rows.append(
            Dossier(
                procedure_version=rng.choice(tree["versions"]),
                receiving_desk=desk,
                receiving_agency=agency,
                deciding_agency=agency,
                applicant_name="Nguyễn Văn An",
                applicant_id_number="045090001234",
                **fields,
            )
        )
    dossiers = Dossier.objects.bulk_create(rows)
    scanned = [d for d in dossiers if rng.random() < 0.5]
    Attachment.objects.bulk_create(
        Attachment(dossier=d, file="x.pdf", original_name="x.pdf", content_type="application/pdf",
                   size=1, sha256="0" * 64)
        for d in scanned
    )  # fmt: skip
    if officer is not None:
        events = []
        for d in dossiers:
            if d.received_at is None or rng.random() < 0.5:
                continue
            at = d.received_at + timedelta(hours=rng.choice([1, 3, 10]))
            step_due = d.received_at + timedelta(hours=4)
            events.append(
                DossierEvent(dossier=d, seq=1, action=rng.choice(["forward", "result_ready"]),
                             actor=officer, actor_name="Bob", at=at, status_after=d.status,
                             data={"step_due_at": step_due.astimezone(VN_TZ).isoformat()},
                             prev_hash="0", hash="0")
            )  # fmt: skip
        DossierEvent.objects.bulk_create(events)
    # Written in bulk behind the services' back: counted into the tallies as
    # ``recount_indicators --repair`` counts them (the services' own writes are tested apart).
    tallies_recount(repair=True)
    scanned_ids = {d.pk for d in scanned}
    for d in dossiers:
        d.scanned = d.pk in scanned_ids
    return dossiers


@pytest.fixture
def district_leader(tree):
    user = get_user_model().objects.create_user(username="lan", password="pw-lan", first_name="Lan")
    Membership.objects.create(user=user, agency=tree["district"], role=Role.AGENCY_LEADER)
    return user
