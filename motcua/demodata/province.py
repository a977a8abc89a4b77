"""The demo province, written by us: a two-level province (tỉnh → xã, as since 1 July 2025)
with three communes, plus one district of the old three-level model, so both shapes are seen.
Names follow Quảng Trị; codes follow the TT 01/2018 art. 19 pattern. Illustrative only."""

import contextlib
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction

from motcua.actors import SYSTEM
from motcua.agencies.models import Agency, AgencyLevel, Desk, Membership, Role, Unit
from motcua.agencies.services import (
    account_create,
    account_update,
    membership_change,
    membership_grant,
)
from motcua.catalog.services import catalog_import
from motcua.demodata.catalog import catalog_records
from motcua.notifications.services import message_templates_load
from motcua.workcalendar.models import CalendarOverride, OfficeHoursSeason

DEMO_PASSWORD = "Motcua@2026"

LEVELS = [("bo", "Bộ, ngành", 0), ("tinh", "Tỉnh", 1), ("huyen", "Huyện", 2), ("xa", "Xã", 3)]

# code, name, short name, level, parent code, address, phone
AGENCIES = [
    (
        "000.00.00.H50",
        "Ủy ban nhân dân tỉnh Quảng Trị",
        "UBND tỉnh",
        "tinh",
        None,
        "45 Hùng Vương, phường Đông Hà, tỉnh Quảng Trị",
        "0233 3852 000",
    ),
    (
        "000.00.10.H50",
        "Sở Tư pháp tỉnh Quảng Trị",
        "Sở Tư pháp",
        "tinh",
        "000.00.00.H50",
        "24 Hùng Vương, phường Đông Hà",
        "0233 3852 471",
    ),
    (
        "000.00.11.H50",
        "Sở Nông nghiệp và Môi trường tỉnh Quảng Trị",
        "Sở NN&MT",
        "tinh",
        "000.00.00.H50",
        "26 Hùng Vương, phường Đông Hà",
        "0233 3852 500",
    ),
    (
        "000.01.31.H50",
        "Ủy ban nhân dân xã Khe Sanh",
        "UBND xã Khe Sanh",
        "xa",
        "000.00.00.H50",
        "Số 1 Lê Duẩn, xã Khe Sanh",
        "0233 3880 101",
    ),
    (
        "000.02.31.H50",
        "Ủy ban nhân dân xã Lao Bảo",
        "UBND xã Lao Bảo",
        "xa",
        "000.00.00.H50",
        "Số 2 Lê Lợi, xã Lao Bảo",
        "0233 3877 102",
    ),
    (
        "000.03.31.H50",
        "Ủy ban nhân dân xã Hướng Phùng",
        "UBND xã Hướng Phùng",
        "xa",
        "000.00.00.H50",
        "Thôn Phùng Lâm, xã Hướng Phùng",
        "0233 3880 103",
    ),
    # The three-level model, as the seed articles describe it (before 1 July 2025).
    (
        "000.00.32.H50",
        "Ủy ban nhân dân huyện Cam Lộ (mô hình ba cấp)",
        "UBND huyện Cam Lộ",
        "huyen",
        "000.00.00.H50",
        "Khu phố 3, thị trấn Cam Lộ",
        "0233 3871 200",
    ),
    (
        "000.21.32.H50",
        "Ủy ban nhân dân xã Cam Thành (mô hình ba cấp)",
        "UBND xã Cam Thành",
        "xa",
        "000.00.32.H50",
        "Thôn Tân Hiếu, xã Cam Thành",
        "0233 3871 221",
    ),
]

# code, name, function: a procedure's step finds its unit by function (catalog.FIELD_UNITS).
COMMUNE_UNITS = [
    ("tu-phap", "Công chức Tư pháp - Hộ tịch", "tu-phap"),
    ("dia-chinh", "Công chức Địa chính - Xây dựng - Nông nghiệp và Môi trường", "dia-chinh"),
    ("van-hoa-xa-hoi", "Công chức Văn hóa - Xã hội", "van-hoa-xa-hoi"),
    ("van-phong", "Văn phòng - Thống kê", "van-phong"),
]

# username, full name, agency, role, unit code, desk, title
USERS = [
    (
        "admin",
        "Quản trị Tỉnh",
        "000.00.00.H50",
        Role.ADMINISTRATOR,
        None,
        False,
        "Quản trị hệ thống",
    ),
    (
        "motcua.tinh",
        "Nguyễn Thị Hồng",
        "000.00.00.H50",
        Role.DESK_OFFICER,
        None,
        True,
        "Công chức Trung tâm Phục vụ hành chính công",
    ),
    # The province answers feedback about the catalog's procedures (FEEDBACK_CATALOG_AGENCY's
    # default): its leader assigns and closes it.
    (
        "lanhdao.tinh",
        "Hoàng Văn Thắng",
        "000.00.00.H50",
        Role.AGENCY_LEADER,
        None,
        False,
        "Phó Chủ tịch UBND tỉnh",
    ),
    (
        "chuyenvien.stp",
        "Trần Văn Bình",
        "000.00.10.H50",
        Role.SPECIALIST,
        "hanh-chinh-tu-phap",
        False,
        "Chuyên viên",
    ),
    (
        "truongphong.stp",
        "Lê Thị Mai",
        "000.00.10.H50",
        Role.UNIT_HEAD,
        "hanh-chinh-tu-phap",
        False,
        "Trưởng phòng",
    ),
    (
        "lanhdao.stp",
        "Phạm Văn Đức",
        "000.00.10.H50",
        Role.AGENCY_LEADER,
        None,
        False,
        "Phó Giám đốc Sở",
    ),
    (
        "motcua.khesanh",
        "Hồ Thị Lan",
        "000.01.31.H50",
        Role.DESK_OFFICER,
        None,
        True,
        "Công chức Bộ phận một cửa",
    ),
    (
        "tuphap.khesanh",
        "Nguyễn Văn Nam",
        "000.01.31.H50",
        Role.SPECIALIST,
        "tu-phap",
        False,
        "Công chức Tư pháp - Hộ tịch",
    ),
    (
        "truongphong.khesanh",
        "Trần Thị Thu Hà",
        "000.01.31.H50",
        Role.UNIT_HEAD,
        "tu-phap",
        False,
        "Phụ trách Tư pháp - Hộ tịch",
    ),
    (
        "hotich.khesanh",
        "Lê Minh Tuấn",
        "000.01.31.H50",
        Role.SPECIALIST,
        "tu-phap",
        False,
        "Công chức Tư pháp - Hộ tịch",
    ),
    (
        "diachinh.khesanh",
        "Võ Văn Sơn",
        "000.01.31.H50",
        Role.SPECIALIST,
        "dia-chinh",
        False,
        "Công chức Địa chính",
    ),
    (
        "lanhdao.khesanh",
        "Hoàng Văn Thắng",
        "000.01.31.H50",
        Role.AGENCY_LEADER,
        None,
        False,
        "Phó Chủ tịch UBND xã",
    ),
    (
        "quantri.khesanh",
        "Đặng Thu Trang",
        "000.01.31.H50",
        Role.ADMINISTRATOR,
        None,
        False,
        "Quản trị hệ thống xã",
    ),
    (
        "motcua.laobao",
        "Trương Thị Hà",
        "000.02.31.H50",
        Role.DESK_OFFICER,
        None,
        True,
        "Công chức Bộ phận một cửa",
    ),
    (
        "tuphap.laobao",
        "Lê Văn Hùng",
        "000.02.31.H50",
        Role.SPECIALIST,
        "tu-phap",
        False,
        "Công chức Tư pháp - Hộ tịch",
    ),
    (
        "lanhdao.laobao",
        "Nguyễn Thị Thu",
        "000.02.31.H50",
        Role.AGENCY_LEADER,
        None,
        False,
        "Chủ tịch UBND xã",
    ),
]


#: Officers' work phones, printed as the contact on the papers they issue (form 02).
PHONES = {
    "motcua.khesanh": "0233 3880 101",
    "tuphap.khesanh": "0233 3880 123",
    "hotich.khesanh": "0233 3880 124",
    "truongphong.khesanh": "0233 3880 120",
    "diachinh.khesanh": "0233 3880 131",
    "chuyenvien.stp": "0233 3852 210",
    "truongphong.stp": "0233 3852 200",
}


def _agencies() -> dict[str, Agency]:
    levels = {}
    for code, name, rank in LEVELS:
        levels[code], _ = AgencyLevel.objects.update_or_create(
            code=code, defaults={"name": name, "rank": rank}
        )
    agencies: dict[str, Agency] = {}
    for code, name, short, level, parent, address, phone in AGENCIES:
        agencies[code], _ = Agency.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "short_name": short,
                "level": levels[level],
                "parent": agencies.get(parent) if parent else None,
                "address": address,
                "phone": phone,
            },
        )
    return agencies


def _units_and_desks(agencies: dict[str, Agency]) -> None:
    for agency in agencies.values():
        if agency.level.code == "xa":
            for code, name, function in COMMUNE_UNITS:
                Unit.objects.update_or_create(
                    agency=agency, code=code, defaults={"name": name, "function": function}
                )
            Desk.objects.update_or_create(
                agency=agency,
                code="mot-cua",
                defaults={"name": "Bộ phận tiếp nhận và trả kết quả", "address": agency.address},
            )
    province = agencies["000.00.00.H50"]
    Desk.objects.update_or_create(
        agency=province,
        code="tt-pvhcc",
        defaults={
            "name": "Trung tâm Phục vụ hành chính công tỉnh",
            "address": "Số 128 Hùng Vương, phường Đông Hà",
        },
    )
    justice = agencies["000.00.10.H50"]
    for code, name in [
        ("hanh-chinh-tu-phap", "Phòng Hành chính tư pháp"),
        ("bo-tro-tu-phap", "Phòng Bổ trợ tư pháp"),
    ]:
        Unit.objects.update_or_create(
            agency=justice, code=code, defaults={"name": name, "function": "chuyen-mon"}
        )
    # One agency with seasonal hours, as a seed article describes (summer / winter).
    khe_sanh = agencies["000.01.31.H50"]
    for name, start, end, afternoon in [
        ("Mùa hè", (4, 1), (9, 30), (time(13, 30), time(17, 30))),
        ("Mùa đông", (10, 1), (3, 31), (time(13), time(17))),
    ]:
        OfficeHoursSeason.objects.update_or_create(
            agency=khe_sanh,
            name=name,
            defaults={
                "start_month": start[0],
                "start_day": start[1],
                "end_month": end[0],
                "end_day": end[1],
                "morning_start": time(7, 30),
                "morning_end": time(11, 30),
                "afternoon_start": afternoon[0],
                "afternoon_end": afternoon[1],
            },
        )


def _users(agencies: dict[str, Agency]) -> list[tuple[str, str, str]]:
    """Demo accounts, homed in their agency, their roles granted through the services so the
    account log shows them (as done by the system)."""
    User = get_user_model()
    logins = []
    for username, full_name, agency_code, role, unit_code, desk, title in USERS:
        agency = agencies[agency_code]
        last, first = full_name.rsplit(" ", 1)
        user = User.objects.filter(username=username).first()
        created = user is None
        if created:
            user = User(
                username=username,
                first_name=first,
                last_name=last,
                email=f"{username}@demo.motcua.vn",
            )
            user.set_password(DEMO_PASSWORD)
        user.is_staff = role == Role.ADMINISTRATOR
        user.is_superuser = username == "admin"
        if created:
            account_create(actor=SYSTEM, user=user, home=agency)
        else:
            account_update(actor=SYSTEM, user=user)
        placement = {
            "unit": agency.units.get(code=unit_code) if unit_code else None,
            "desk": agency.desks.first() if desk else None,
            "title": title,
        }
        membership = Membership.objects.filter(user=user, agency=agency, role=role).first()
        phone = membership.phone if membership else ""
        placement["phone"] = phone or PHONES.get(username, "")
        if membership is None:
            membership_grant(actor=SYSTEM, user=user, agency=agency, role=role, **placement)
        else:
            membership_change(
                actor=SYSTEM, membership_id=membership.pk, agency=agency, role=role, **placement
            )
        logins.append((username, full_name, f"{Role(role).label} – {agency.short_name}"))
    return logins


#: A swap as a province announces one (dữ liệu trình diễn): Thursday 31/12/2026, a working day
#: between the weekend and New Year's Day, is given off, and Saturday 26/12/2026 is worked in
#: exchange (a day off must be one that would otherwise be worked, and the other way round).
CALENDAR_SWAPS = [("2026-12-26", "2026-12-31")]


def _calendar() -> None:
    for working, off in CALENDAR_SWAPS:
        working_day, day_off = date.fromisoformat(working), date.fromisoformat(off)
        CalendarOverride.objects.update_or_create(
            date=working_day,
            agency=None,
            defaults={
                "kind": CalendarOverride.Kind.WORKING_DAY,
                "reason": f"Làm bù cho ngày nghỉ {day_off:%d/%m/%Y} (dữ liệu trình diễn)",
            },
        )
        CalendarOverride.objects.update_or_create(
            date=day_off,
            agency=None,
            defaults={
                "kind": CalendarOverride.Kind.DAY_OFF,
                "reason": (
                    f"Nghỉ liền dịp Tết Dương lịch, làm bù thứ Bảy {working_day:%d/%m/%Y} "
                    "(dữ liệu trình diễn)"
                ),
            },
        )
    # A database loaded before the swap above was fixed kept a day off on a Saturday,
    # "in exchange" for a day that was off anyway.
    CalendarOverride.objects.filter(
        date=date(2027, 1, 2), agency=None, reason__endswith="(dữ liệu trình diễn)"
    ).delete()


APPLICANTS = [
    ("Nguyễn Văn An", "045090001234", "0912345678"),
    ("Trần Thị Bình", "045185002345", "0987654321"),
    ("Lê Văn Cường", "045192003456", "0935111222"),
    ("Phạm Thị Dung", "045187004567", "0905333444"),
    ("Hồ Văn Em", "045095005678", "0914555666"),
    ("Võ Thị Phương", "045198006789", "0977777888"),
    ("Đặng Văn Giang", "045080007890", "0968999000"),
    ("Bùi Thị Hạnh", "045201008901", "0945123123"),
    ("Trương Văn Khoa", "045088009012", "0916246810"),
]

# procedure, applicant, working days ago received, then the actions, each at its time in the
# story:
# (working hours after the receipt, username, action, extra).
DOSSIERS = [
    ("1.001193", 0, 0, []),
    ("1.004873", 1, 0, []),
    ("2.000815", 2, 1, [(1, "motcua.khesanh", "forward", {})]),
    (
        "1.004873",
        3,
        2,
        [
            (1, "motcua.khesanh", "forward", {}),
            (2, "truongphong.khesanh", "assign", {"assignee": "tuphap.khesanh"}),
        ],
    ),
    (
        "1.000894",
        4,
        3,
        [
            (1, "motcua.khesanh", "forward", {}),
            (
                5,
                "tuphap.khesanh",
                "request_supplement",
                {"missing_documents": ["Giấy xác nhận tình trạng hôn nhân của bên nữ"]},
            ),
        ],
    ),
    (
        "1.004884",
        5,
        4,
        [
            (1, "motcua.khesanh", "forward", {}),
            (2, "hotich.khesanh", "assign", {"assignee": "hotich.khesanh"}),
            (4, "hotich.khesanh", "comment", {"note": "Đã đối chiếu giấy tờ, đủ điều kiện."}),
            (6, "hotich.khesanh", "forward", {}),
        ],
    ),
    (
        "1.004873",
        6,
        6,
        [
            (1, "motcua.khesanh", "forward", {}),
            (6, "tuphap.khesanh", "forward", {}),
            (10, "lanhdao.khesanh", "approve", {"paper_result": True}),
        ],
    ),
    (
        "1.001022",
        7,
        9,
        [
            (1, "motcua.khesanh", "forward", {}),
            (8, "tuphap.khesanh", "forward", {}),
            (12, "lanhdao.khesanh", "approve", {"paper_result": True}),
            (14, "motcua.khesanh", "return_result", {"returned_to": "Bùi Thị Hạnh"}),
        ],
    ),
    ("1.004884", 0, 12, [(1, "motcua.khesanh", "forward", {})]),  # overdue by now
    # A construction permit: examined by Địa chính - Xây dựng (catalog.FIELD_UNITS).
    ("1.009994", 8, 2, [(1, "motcua.khesanh", "forward", {})]),
]


def _working_days_before(now: datetime, days: int, calendar) -> datetime:
    """08:00 (or the day's opening) ``days`` working days before ``now``'s day."""
    from motcua.workcalendar.calendar import VN_TZ, add_working_time

    day = now.astimezone(VN_TZ).date()
    while days:
        day -= timedelta(days=1)
        days -= calendar.is_working_day(day)
    return add_working_time(datetime.combine(day, time(8), VN_TZ), hours=0, calendar=calendar)


@contextlib.contextmanager
def _at(when: datetime):
    """The services take "now" from the domain clock: set it for a moment of the story, so
    its events (and forms 06 and 07 drawn from them) carry the story's times."""
    from motcua import clock

    real = clock.now
    clock.now = lambda: when
    try:
        yield
    finally:
        clock.now = real


def _dossiers() -> int:
    """A few dossiers at every stage in Khe Sanh, so the inboxes and papers show something:
    each received some working days ago, each action at its moment of the story (working
    hours after the receipt on the commune's calendar, never later than now). Only on an
    empty database: real dossiers are never touched."""
    from motcua import clock
    from motcua.catalog.models import Procedure
    from motcua.dossiers.access import actor_for_user
    from motcua.dossiers.models import Dossier
    from motcua.dossiers.services import Applicant, Receipt, dossier_apply, dossier_receive
    from motcua.workcalendar.calendar import add_working_time
    from motcua.workcalendar.selectors import calendar_get

    if Dossier.objects.exists():
        return 0
    User = get_user_model()
    desk = Desk.objects.select_related("agency").get(agency__code="000.01.31.H50", code="mot-cua")
    calendar = calendar_get(agency=desk.agency)
    now = clock.now()
    for code, who, days_ago, actions in DOSSIERS:
        version = Procedure.objects.get(code=code).current_version
        name, id_number, phone = APPLICANTS[who]
        received = _working_days_before(now, days_ago, calendar) if days_ago else now
        documents = [(d.pk, d.name, d.originals, d.copies) for d in version.documents.all()[:2]]
        with _at(received):
            dossier = dossier_receive(
                desk=desk, procedure_version=version,
                actor=actor_for_user(User.objects.get(username="motcua.khesanh")),
                receipt=Receipt(
                    applicant=Applicant(name=name, id_number=id_number, phone=phone,
                                        address="Xã Khe Sanh, tỉnh Quảng Trị"),
                    documents=documents, received_at=received,
                ),
            )  # fmt: skip
        for hours, username, action, extra in actions:
            when = min(add_working_time(received, hours=hours, calendar=calendar), now)
            with _at(when):
                dossier_apply(dossier_id=dossier.pk, action=action,
                              actor=actor_for_user(User.objects.get(username=username)),
                              expected_version=None,
                              **extra)  # fmt: skip
    return len(DOSSIERS)


def _forms() -> None:
    """Blank forms and filled-in samples for a few procedures, once."""
    from motcua.catalog.formfiles import form_files_attach
    from motcua.catalog.models import RequiredDocument
    from motcua.demodata.forms import demo_forms
    from motcua.dossiers.files import IncomingFile

    for code, name, form, sample in demo_forms():
        document = RequiredDocument.objects.filter(
            version__procedure__code=code, version__status="published", name=name
        ).first()
        if document is None or document.form_file:
            continue
        form_files_attach(
            document=document,
            form=IncomingFile("mau.docx", form),
            sample=IncomingFile("mau.pdf", sample) if sample else None,
        )


# Tasks the Khe Sanh chairman gave (seed 002): title, source document, lead unit,
# coordinating units, calendar days ago, working days given, then what happened:
# (calendar days after the assignment, username, action, params).
TASKS = [
    (
        "Rà soát, niêm yết công khai thủ tục hành chính lĩnh vực hộ tịch tại Bộ phận một cửa",
        "Thông báo số 112/TB-UBND ngày giao ban tháng 11 của UBND xã Khe Sanh",
        "tu-phap",
        ["van-phong"],
        6,
        15,
        [
            (
                2,
                "tuphap.khesanh",
                "report",
                {"percent": 60, "note": "Đã rà soát 24/40 thủ tục; đang in lại bảng niêm yết."},
            )
        ],
    ),
    (
        "Kiểm tra, lập biên bản các trường hợp lấn chiếm hành lang an toàn Quốc lộ 9",
        "Công văn số 845/UBND-KT của UBND tỉnh về bảo đảm trật tự hành lang giao thông",
        "dia-chinh",
        ["tu-phap"],
        12,
        5,
        [
            (
                3,
                "diachinh.khesanh",
                "report",
                {"percent": 40, "note": "Đã kiểm tra khối 1 đến khối 3, lập 6 biên bản."},
            )
        ],
    ),
    (
        "Báo cáo kết quả cấp Giấy chứng nhận quyền sử dụng đất năm 2026",
        "Kế hoạch số 30/KH-UBND",
        "dia-chinh",
        [],
        15,
        5,
        [(3, "diachinh.khesanh", "complete", {"note": "Đã gửi báo cáo số 58/BC-ĐC."})],
    ),
    (
        "Tổng hợp số liệu đăng ký khai sinh, khai tử, kết hôn quý IV",
        "",
        "tu-phap",
        [],
        14,
        3,
        [(10, "tuphap.khesanh", "complete", {"note": "Đã tổng hợp, gửi Văn phòng."})],
    ),
    (
        "Xây dựng kế hoạch chuyển đổi số của xã năm 2027",
        "Chỉ thị số 05/CT-UBND của Chủ tịch UBND xã",
        "tu-phap",
        ["dia-chinh", "van-hoa-xa-hoi"],
        3,
        10,
        [
            (
                1,
                "tuphap.khesanh",
                "extension",
                {"days": 5, "reason": "Chờ hướng dẫn của Sở Khoa học và Công nghệ."},
            )
        ],
    ),
]


def _tasks() -> int:
    """A few tasks the Khe Sanh chairman gave, in every standing (done on time, late, open,
    overdue, an extension waiting). Only on a database without tasks."""
    from motcua import clock
    from motcua.dossiers.access import actor_for_user
    from motcua.tasks import services
    from motcua.tasks.models import Task
    from motcua.workcalendar.calendar import VN_TZ, add_working_time
    from motcua.workcalendar.selectors import calendar_get

    if Task.objects.exists():
        return 0
    User = get_user_model()
    khe_sanh = Agency.objects.get(code="000.01.31.H50")
    units = {u.code: u for u in khe_sanh.units.all()}
    calendar = calendar_get(agency=khe_sanh)
    now = clock.now()

    def actor(username):
        return actor_for_user(User.objects.get(username=username))

    def moment(days_ago: float) -> datetime:
        day = (now - timedelta(days=days_ago)).astimezone(VN_TZ).replace(hour=8, minute=0)
        return min(add_working_time(day, hours=0, calendar=calendar), now)

    for title, source, lead, coordinating, ago, days, steps in TASKS:
        with _at(moment(ago)):
            task = services.task_assign(
                actor=actor("lanhdao.khesanh"),
                agency=khe_sanh,
                assignment=services.Assignment(
                    title=title, source_document=source, working_days=days,
                    lead=f"u:{units[lead].pk}",
                    coordinating=[f"u:{units[c].pk}" for c in coordinating],
                ),
            )  # fmt: skip
        for after, username, action, params in steps:
            with _at(moment(ago - after)):
                who = actor(username)
                if action == "report":
                    services.task_report(actor=who, task_id=task.pk, **params)
                elif action == "complete":
                    services.task_complete(actor=who, task_id=task.pk, **params)
                else:
                    services.task_extension_request(actor=who, task_id=task.pk, **params)
    return len(TASKS)


# The Khe Sanh desk floor: code, name, fields of its procedures, minutes, bookable.
QUEUE_SERVICES = [
    ("ho-tich", "Hộ tịch, chứng thực", ["Hộ tịch", "Chứng thực"], 10, True),
    ("dat-dai", "Đất đai, xây dựng", ["Đất đai", "Xây dựng"], 20, True),
    (
        "chinh-sach",
        "Cư trú, kinh doanh, chính sách xã hội",
        ["Cư trú", "Hộ kinh doanh", "Bảo trợ xã hội", "Người có công"],
        15,
        True,
    ),
    ("tra-ket-qua", "Nhận kết quả", [], 5, False),
]
# counter number, name, services
QUEUE_COUNTERS = [
    (1, "Hộ tịch", ["ho-tich", "tra-ket-qua"]),
    (2, "Đất đai", ["dat-dai", "chinh-sach"]),
    (3, "Tổng hợp", ["ho-tich", "dat-dai", "chinh-sach", "tra-ket-qua"]),
]


def _queue() -> int:
    """Services and counters of the Khe Sanh desk, and on a fresh database a few tickets of
    today, one of them called to counter 1."""
    from motcua.catalog.models import Field, Procedure
    from motcua.demodata.catalog import PROCEDURES
    from motcua.dossiers.access import actor_for_user
    from motcua.tickets.models import Counter, Service, Ticket
    from motcua.tickets.services import ticket_call_next, ticket_take

    desk = Desk.objects.get(agency__code="000.01.31.H50", code="mot-cua")
    services = {}
    for order, (code, name, fields, minutes, bookable) in enumerate(QUEUE_SERVICES):
        service, _ = Service.objects.update_or_create(
            desk=desk,
            code=code,
            defaults={"name": name, "order": order, "average_minutes": minutes,
                      "bookable": bookable},
        )  # fmt: skip
        service.fields.set(Field.objects.filter(name__in=fields))
        codes = [row[0] for row in PROCEDURES if row[2] in fields and "xa" in row[3]]
        service.procedures.set(Procedure.objects.filter(code__in=codes))
        services[code] = service
    for number, name, codes in QUEUE_COUNTERS:
        counter, _ = Counter.objects.update_or_create(
            desk=desk, number=number, defaults={"name": name}
        )
        counter.services.set([services[c] for c in codes])
    if Ticket.objects.exists():
        return 0
    for code, reason in [("ho-tich", ""), ("dat-dai", ""), ("ho-tich", "elderly"),
                         ("chinh-sach", ""), ("ho-tich", "")]:  # fmt: skip
        # Seeded whatever the hour (`make run` at night): the kiosk itself keeps office hours.
        ticket_take(
            desk=desk, service_id=services[code].pk, priority_reason=reason, check_hours=False
        )
    officer = actor_for_user(get_user_model().objects.get(username="motcua.khesanh"))
    ticket_call_next(counter_id=Counter.objects.get(desk=desk, number=1).pk, actor=officer)
    return 5


@transaction.atomic
def load_demo() -> dict:
    """Create or bring up to date the demo province. Running it twice changes nothing."""
    agencies = _agencies()
    _units_and_desks(agencies)
    _calendar()
    logins = _users(agencies)
    summary = catalog_import(records=catalog_records())
    _forms()
    message_templates_load()  # the messages' default texts, for administrators to edit
    dossiers = _dossiers()
    tasks = _tasks()
    tickets = _queue()
    return {
        "agencies": len(agencies),
        "logins": logins,
        "catalog": summary,
        "dossiers": dossiers,
        "tasks": tasks,
        "tickets": tickets,
    }
