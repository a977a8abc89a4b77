"""Who sees a dossier and who may act on it (SPEC §3): every named actor against every page
and every action of a dossier, at each point of its life. The expectations are written out
here by hand, from SPEC §3 and the transition table's "who" column, so that a rule dropped or
widened in ``access`` or ``transitions`` makes this test fail."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.urls import reverse

from motcua.api.models import ApiKey
from motcua.dossiers import access
from motcua.dossiers.files import IncomingFile
from motcua.dossiers.models import Dossier, DossierEvent, PersonalDataRead
from motcua.dossiers.papers import papers_for
from motcua.dossiers.services import Receipt, dossier_apply, dossier_submit
from motcua.dossiers.tests.factories import (
    PDF,
    act,
    applicant,
    completion_files,
    receive,
    vn,
)
from motcua.dossiers.transitions import Action
from motcua.workcalendar.calendar import VN_TZ

OFFICERS = ["alice", "bob", "hung", "linh", "quantri", "root", "dan", "charlie"]

#: What each named actor may do at each point (SPEC §3 and the transition table).
#: alice: desk officer · bob: specialist of Tư pháp · hung: head of Tư pháp · linh: leader
#: quantri: the commune's administrator · root: superuser · dan: a citizen · charlie: the
#: desk officer of another commune.
ALLOWED = {
    "submitted": {  # online by dan, waiting for the desk's check
        "alice": ["accept", "request_completion", "refuse"],
    },
    "completion_requested": {  # the desk asked dan to complete it online: dan's turn
        "alice": ["refuse"],
        "dan": ["resubmit"],
    },
    "received": {  # at step 1, the desk's
        "alice": [
            "comment",
            "forward",
            "request_supplement",
            "propose_extension",
            "withdraw",
        ],
        "linh": ["extend", "reject", "stop"],
    },
    "at_specialist": {  # step 2, Tư pháp, assigned to nobody: bob may take it
        "alice": ["withdraw"],
        "bob": [
            "assign",
            "comment",
            "forward",
            "send_back",
            "request_supplement",
            "request_payment",
            "propose_extension",
        ],
        "hung": ["assign", "comment", "propose_extension"],
        "linh": ["extend", "reject", "stop"],
    },
    "assigned_to_head": {  # step 2, hung gave it to himself: bob no longer holds it
        "alice": ["withdraw"],
        "hung": [
            "assign",
            "comment",
            "forward",
            "send_back",
            "request_supplement",
            "request_payment",
            "propose_extension",
        ],
        "linh": ["extend", "reject", "stop"],
    },
    "at_leader": {  # step 3, the leader's approval
        "alice": ["withdraw"],
        "linh": [
            "comment",
            "send_back",
            "approve",
            "request_supplement",
            "request_payment",
            "propose_extension",
            "extend",
            "reject",
            "stop",
        ],
    },
    "waiting_applicant": {  # asked by the specialist at step 2
        "alice": ["supplement_received", "withdraw"],
        "bob": ["assign", "comment", "supplement_received", "propose_extension"],
        "hung": ["assign", "comment", "propose_extension"],
        "linh": ["extend", "stop"],
    },
    "result_ready": {"alice": ["return_result"]},
    "returned": {},
}

#: Who sees the dossier's pages at each point (everyone else: 404).
SEES = {  # dan sees his own online dossier on his own pages, never on the staff pages
    "submitted": {"alice", "linh", "root"},
    "completion_requested": {"alice", "linh", "root"},
    "received": {"alice", "linh", "root"},
    "at_specialist": {"alice", "bob", "hung", "linh", "root"},
    "assigned_to_head": {"alice", "bob", "hung", "linh", "root"},  # bob: still his unit's
    "at_leader": {"alice", "bob", "linh", "root"},  # bob handled it before; hung did not
    "waiting_applicant": {"alice", "bob", "hung", "linh", "root"},
    "result_ready": {"alice", "bob", "linh", "root"},
    "returned": {"alice", "bob", "linh", "root"},
}


def params_for(action, actor, dossier) -> dict:
    """What each action needs besides the note, so that only who acts decides here."""
    from motcua.dossiers.deadlines import calendar_of
    from motcua.workcalendar.calendar import add_working_time

    if action == "assign":  # oneself (a claim), or bob when one holds it already
        me = getattr(actor, "user", None)
        mine = me is not None and dossier.current_assignee_id == me.pk
        return {"assignee": "bob" if mine or me is None else me.username}
    if action in ("extend", "propose_extension") and dossier.due_at is not None:
        later = add_working_time(dossier.due_at, days=1, calendar=calendar_of(dossier))
        return {"new_due_at": later}
    if action == "resubmit":  # a file for each item asked for
        return {"documents": completion_files(dossier)}
    return {
        "request_supplement": {"missing_documents": ["Giấy chứng sinh"]},
        "request_completion": {"missing_documents": ["Giấy chứng sinh"]},
        "approve": {"paper_result": True},
        "result_ready": {"paper_result": True},
        "return_result": {"returned_to": "Nguyễn Văn An"},
    }.get(action, {})


@pytest.fixture
def people(desk_officer, specialist, unit_head, leader, commune_admin, admin_user, citizen,
           other_agency_officer):  # fmt: skip
    users = [desk_officer, specialist, unit_head, leader, commune_admin, admin_user, citizen,
             other_agency_officer]  # fmt: skip
    return {u.username: u for u in users}


def dossier_in(state, desk, version, people) -> Dossier:
    p = people
    if state in ("submitted", "completion_requested"):
        dossier = dossier_submit(
            desk=desk, procedure_version=version, actor=access.actor_for_user(p["dan"]),
            receipt=Receipt(applicant=applicant(), channel=2,
                            files=[IncomingFile("to-khai.pdf", PDF)]),
        )  # fmt: skip
        if state == "submitted":
            return dossier
        return act(dossier, "request_completion", p["alice"], missing_documents=["Tờ khai"])
    dossier = receive(desk, version, actor=p["alice"], files=[("to-khai.pdf", PDF)])
    if state == "received":
        return dossier
    dossier = act(dossier, "forward", p["alice"])
    if state == "at_specialist":
        return dossier
    if state == "waiting_applicant":
        return act(dossier, "request_supplement", p["bob"], missing_documents=["Giấy chứng sinh"])
    if state == "assigned_to_head":
        return act(dossier, "assign", p["hung"], assignee="hung")
    dossier = act(dossier, "forward", p["bob"])
    if state == "at_leader":
        return dossier
    dossier = act(dossier, "approve", p["linh"], paper_result=True)
    if state == "result_ready":
        return dossier
    return act(dossier, "return_result", p["alice"], returned_to="Nguyễn Văn An")


def never_allowed(dossier) -> str:
    """An action nobody may do to ``dossier`` now (the table has no row for it)."""
    return "accept" if dossier.received_at else "forward"


class Rollback(Exception):
    pass


def try_action(dossier, action, actor) -> bool:
    """Whether ``actor`` may do ``action`` now; nothing stays changed either way."""
    before = Dossier.objects.values().get(pk=dossier.pk)
    events = DossierEvent.objects.filter(dossier=dossier).count()
    done = False
    try:
        with transaction.atomic():
            dossier_apply(
                dossier_id=dossier.pk, action=action, actor=actor,
                expected_version=dossier.version, note="Lý do",
                **params_for(action, actor, dossier),
            )  # fmt: skip
            done = True
            raise Rollback
    except Rollback:
        pass
    except Exception as refused:  # refused: it must have changed nothing
        assert type(refused).__name__ in (
            "PermissionDenied", "TransitionRefused", "ValidationError"
        ), refused  # fmt: skip
    assert Dossier.objects.values().get(pk=dossier.pk) == before
    assert DossierEvent.objects.filter(dossier=dossier).count() == events
    return done


@pytest.mark.parametrize("state", list(ALLOWED))
def test_every_actor_against_every_action(state, desk, version, people):
    dossier = dossier_in(state, desk, version, people)
    for name in OFFICERS:
        actor = access.actor_for_user(people[name])
        expected = ALLOWED[state].get(name, [])
        assert access.allowed_actions(actor, dossier) == expected, (state, name)
        actions = [a for a in Action if a not in (Action.RECEIVE, Action.SUBMIT)]
        done = {a for a in actions if try_action(dossier, a, actor)}
        assert done == set(expected), (state, name)


@pytest.mark.parametrize("state", list(ALLOWED))
def test_every_actor_against_every_page(state, client, desk, version, people):
    dossier = dossier_in(state, desk, version, people)
    attachment = dossier.attachments.get()
    papers = [form for form, _title in papers_for(dossier) if form in ("01", "02", "06")]
    pages = [
        reverse("dossiers:detail", args=[dossier.ref]),
        reverse("dossiers:attachment", args=[dossier.ref, attachment.pk]),
        *(reverse("dossiers:paper", args=[dossier.ref, form]) for form in papers),
    ]
    assert len(pages) >= 3 or dossier.received_at is None
    for name in OFFICERS:
        client.force_login(people[name])
        expected = 200 if name in SEES[state] else 404
        for url in pages:
            assert client.get(url).status_code == expected, (state, name, url)
        posted = client.post(
            reverse("dossiers:act", args=[dossier.ref]),
            {"action": never_allowed(dossier), "version": dossier.version, "note": "x"},
        )
        # refused: the page again with the refusal (400), nothing done; an outsider: 404
        assert posted.status_code == (400 if expected == 200 else 404), (state, name)
        assert Dossier.objects.get(pk=dossier.pk).status == dossier.status
    client.logout()
    for url in pages:  # anonymous: to the log-in page
        response = client.get(url)
        assert response.status_code == 302 and "/dang-nhap/" in response["Location"]


@pytest.mark.parametrize("state", list(ALLOWED))
def test_every_actor_against_the_staff_api(state, client, desk, version, people):
    """SPEC §12.2: a personal token has exactly the permissions of the staff pages — the
    same who-sees (``SEES``) and who-may (``ALLOWED``); a citizen's account has no token."""
    from motcua.api.models import UserToken

    dossier = dossier_in(state, desk, version, people)
    before = Dossier.objects.values().get(pk=dossier.pk)
    for name in OFFICERS:
        # Made directly, as no service gives a citizen one (they are refused below anyway).
        token = UserToken.issue(user=people[name], name="Thử")[1]
        headers = {"Authorization": f"Bearer {token}"}
        expected = 200 if name in SEES[state] else 404
        if name == "dan":
            expected = 401
        shown = client.get(f"/api/v1/dossiers/{dossier.ref}", headers=headers)
        assert shown.status_code == expected, (state, name)
        if expected == 200:
            assert shown.json()["allowed_actions"] == ALLOWED[state].get(name, []), (state, name)
        form = "06" if dossier.received_at else "02"
        paper = client.get(f"/api/v1/dossiers/{dossier.ref}/forms/{form}", headers=headers)
        if state != "submitted":  # which has no paper yet (a 404 for everyone)
            assert paper.status_code == expected, (state, name)
        acted = client.post(
            f"/api/v1/dossiers/{dossier.ref}/actions",
            {"action": never_allowed(dossier), "version": dossier.version},
            content_type="application/json",
            headers=headers,
        )
        assert acted.status_code == (422 if expected == 200 else expected), (state, name)
    assert Dossier.objects.values().get(pk=dossier.pk) == before


def test_peer_systems_see_their_agencys_dossiers_and_those_below(
    client, desk, version, people, commune, province, other_commune
):
    dossier = dossier_in("at_specialist", desk, version, people)
    keys = {
        "commune": (commune, 200),
        "province": (province, 200),  # the parent: a province key files and reads for communes
        "other": (other_commune, 404),
    }
    for agency, expected in keys.values():
        raw = ApiKey.issue(name=f"Hệ thống {agency.code}", agency=agency)[1]
        response = client.get(
            f"/api/v1/dossiers/{dossier.code}", headers={"Authorization": f"Bearer {raw}"}
        )
        assert response.status_code == expected, agency


def test_handled_before_is_seen_after_it_moved_on_but_not_by_a_colleague(
    client, desk, version, people, commune
):
    from conftest import _staff

    colleague = _staff("binh", commune, "specialist", unit=people["bob"].memberships.get().unit)
    dossier = dossier_in("at_leader", desk, version, people)
    url = reverse("dossiers:detail", args=[dossier.code])
    client.force_login(people["bob"])
    assert client.get(url).status_code == 200  # bob forwarded it
    client.force_login(colleague)
    assert client.get(url).status_code == 404  # same unit, never touched it


def test_a_superusers_reads_of_personal_data_are_recorded(client, desk, version, people):
    dossier = dossier_in("at_specialist", desk, version, people)
    client.force_login(people["root"])
    client.get(reverse("dossiers:detail", args=[dossier.code]))
    client.get(reverse("dossiers:paper", args=[dossier.code, "01"]))
    reads = list(PersonalDataRead.objects.values_list("user__username", "what"))
    assert reads == [("root", "page"), ("root", "paper 01")]
    with pytest.raises(Exception):  # noqa: B017 - append-only, whatever the error class
        PersonalDataRead.objects.first().delete()
    client.force_login(people["alice"])  # handlers' reads are their work, not recorded
    client.get(reverse("dossiers:detail", args=[dossier.code]))
    assert PersonalDataRead.objects.count() == 2


def test_the_record_of_reads_is_read_only_in_the_admin_each_administrator_their_own(
    client, desk, version, people, commune_admin, other_commune_admin
):
    dossier = dossier_in("at_specialist", desk, version, people)
    client.force_login(people["root"])
    client.get(reverse("dossiers:detail", args=[dossier.code]))
    url = "/quan-tri/dossiers/personaldataread/"
    assert dossier.code in client.get(url).text  # the superuser: every row
    read = PersonalDataRead.objects.get()
    for who in (people["root"], commune_admin):
        client.force_login(who)
        assert dossier.code in client.get(url).text, who
        assert client.get(f"{url}add/").status_code == 403
        assert client.post(f"{url}{read.pk}/delete/", {"post": "yes"}).status_code == 403
        client.post(f"{url}{read.pk}/change/", {"what": "sửa"})
    client.force_login(other_commune_admin)  # another commune's dossiers are not theirs
    assert dossier.code not in client.get(url).text
    assert PersonalDataRead.objects.get().what == "page"


def test_the_record_of_reads_exports_a_period_as_safe_csv(desk, version, people, tmp_path):
    import csv

    from django.core.management import call_command

    from motcua.dossiers.access import actor_for_user, personal_data_read

    dossier = dossier_in("at_specialist", desk, version, people)
    Dossier.objects.filter(pk=dossier.pk).update(applicant_name='=HYPERLINK("x")')
    personal_data_read(actor_for_user(people["root"]), Dossier.objects.get(), what="page")
    day = PersonalDataRead.objects.get().at.astimezone(VN_TZ).date()
    out = tmp_path / "reads.csv"
    call_command("export_personal_data_reads", "--from", str(day), "--to", str(day),
                 "--out", str(out))  # fmt: skip
    rows = list(csv.reader(out.open(encoding="utf-8-sig")))
    assert rows[0][:4] == ["Thời điểm", "Tài khoản", "Họ tên", "Mã hồ sơ"]
    assert [r[1] for r in rows[1:]] == ["root"] and rows[1][3] == dossier.code
    assert rows[1][4] == '\'=HYPERLINK("x")'  # read as text, never as a formula
    later = day + timedelta(days=1)
    call_command("export_personal_data_reads", "--from", str(later), "--to", str(later),
                 "--out", str(out))  # fmt: skip
    assert len(list(csv.reader(out.open(encoding="utf-8-sig")))) == 1  # the header alone


def test_a_superusers_read_of_the_register_is_recorded_row_by_row(client, desk, version, people):
    """The register (page and CSV) shows every dossier's applicant, address and phone: a
    superuser reading it reads each of them (ND 13/2023); a dossier they handle is not."""
    dossiers = [dossier_in("at_specialist", desk, version, people) for _ in range(3)]
    client.force_login(people["root"])
    assert client.get(reverse("dossiers:register")).status_code == 200
    page_reads = sorted(PersonalDataRead.objects.values_list("dossier_id", "what"))
    assert page_reads == [(d.pk, "register") for d in dossiers]
    response = client.get(reverse("dossiers:register") + "?csv=1")
    assert dossiers[0].code in b"".join(response.streaming_content).decode("utf-8-sig")
    csv_reads = PersonalDataRead.objects.filter(what="register-csv")
    assert sorted(csv_reads.values_list("dossier_id", flat=True)) == [d.pk for d in dossiers]
    client.force_login(people["alice"])  # the desk's officer: her work, not recorded
    client.get(reverse("dossiers:register") + "?csv=1")
    assert PersonalDataRead.objects.count() == 6


def test_the_register_refuses_a_date_no_calendar_holds(client, desk, version, people):
    dossier_in("received", desk, version, people)
    client.force_login(people["alice"])
    url = reverse("dossiers:register")
    for query in ["start=0001-01-01&end=9999-12-31", "end=0001-01-01", "start=9999-12-31"]:
        response = client.get(f"{url}?{query}")
        assert response.status_code == 200, query
        assert "Ngày phải từ 01/01/2000" in response.content.decode() or (
            "Ngày không được sau 31/12/2099" in response.content.decode()
        )


def test_the_inbox_lists_only_what_waits_at_ones_posts(client, desk, version, people):
    at_specialist = dossier_in("at_specialist", desk, version, people)
    received = dossier_in("received", desk, version, people)
    expected = {
        "alice": {received.code},
        "bob": {at_specialist.code},
        "hung": {at_specialist.code},
        "linh": set(),
        "quantri": set(),
        "root": set(),
        "dan": set(),
        "charlie": set(),
    }
    from motcua.dossiers.selectors import inbox_queryset, inbox_search

    def searched(actor, query):
        found = inbox_search(actor=actor, box="unit", query=query, limit=50)
        return {d.code for d in found.rows}

    for name, codes in expected.items():
        actor = access.actor_for_user(people[name])
        listed = set(inbox_queryset(actor=actor, box="unit").values_list("code", flat=True))
        assert listed == codes, name
        # Searching the box (both applicants are "Nguyễn Văn An") finds nothing more.
        assert searched(actor, "nguyen van an") == codes, name
        for code in (at_specialist.code, received.code):
            assert searched(actor, code.lower()) == codes & {code}, (name, code)


def test_none_is_not_an_actor(desk, version, people):
    dossier = dossier_in("received", desk, version, people)
    for call in (
        lambda: access.dossier_scope(None),
        lambda: access.relations(None, dossier),
        lambda: access.allowed_actions(None, dossier),
    ):
        with pytest.raises(TypeError):
            call()


def test_due_soon_uses_the_agencys_own_hours(desk, version, people, commune, clock):
    """Khe Sanh-like summer hours (13:30–17:30): a dossier due at 17:15 on Tuesday is due
    within a working day of Monday 17:20 on the agency's calendar (the standard calendar
    closes at 17:00 and would count Monday as over)."""
    from motcua.dossiers.selectors import inbox_queryset
    from motcua.workcalendar.models import OfficeHoursSeason
    from motcua.workcalendar.selectors import calendar_cache_clear

    OfficeHoursSeason.objects.create(
        agency=commune, name="Cả năm", start_month=1, start_day=1, end_month=12, end_day=31,
        morning_start="07:30", morning_end="11:30", afternoon_start="13:30",
        afternoon_end="17:30",
    )  # fmt: skip
    calendar_cache_clear()
    clock(vn(2026, 11, 23, 9))
    dossier = dossier_in("received", desk, version, people)
    Dossier.objects.filter(pk=dossier.pk).update(due_at=vn(2026, 11, 24, 17, 25))
    clock(vn(2026, 11, 23, 17, 26))
    alice = access.actor_for_user(people["alice"])
    listed = inbox_queryset(actor=alice, box="due_soon").values_list("code", flat=True)
    assert list(listed) == [dossier.code]


def test_the_desks_inbox_holds_its_dossiers_waiting_for_the_applicant_and_submitted_online(
    desk, version, people, other_agency_officer
):
    from motcua.dossiers.selectors import inbox_queryset
    from motcua.dossiers.services import Receipt, dossier_submit
    from motcua.dossiers.tests.factories import applicant

    waiting = dossier_in("waiting_applicant", desk, version, people)
    online = dossier_submit(
        desk=desk, procedure_version=version, actor=access.actor_for_user(people["dan"]),
        receipt=Receipt(applicant=applicant(), channel=2),
    )  # fmt: skip
    at_specialist = dossier_in("at_specialist", desk, version, people)
    alice = access.actor_for_user(people["alice"])
    listed = set(inbox_queryset(actor=alice, box="unit").values_list("pk", flat=True))
    assert listed == {waiting.pk, online.pk}
    assert at_specialist.pk not in listed
    charlie = access.actor_for_user(other_agency_officer)
    assert not inbox_queryset(actor=charlie, box="unit").exists()


def test_an_officer_with_two_posts_sees_what_waits_at_both(desk, version, people, commune):
    """A commune civil servant may be desk officer and leader at once."""
    from motcua.agencies.models import Membership, Role
    from motcua.dossiers.selectors import inbox_queryset

    Membership.objects.create(user=people["alice"], agency=commune, role=Role.AGENCY_LEADER)
    received = dossier_in("received", desk, version, people)
    at_leader = dossier_in("at_leader", desk, version, people)
    at_specialist = dossier_in("at_specialist", desk, version, people)
    alice = access.actor_for_user(people["alice"])
    listed = set(inbox_queryset(actor=alice, box="unit").values_list("pk", flat=True))
    assert listed == {received.pk, at_leader.pk}
    assert at_specialist.pk not in listed  # at a unit's step: not at either of her posts


def test_a_received_dossier_is_named_by_its_code_not_its_uid(client, desk, version, people):
    from motcua.dossiers.services import Receipt, dossier_submit
    from motcua.dossiers.tests.factories import applicant

    received = dossier_in("received", desk, version, people)
    online = dossier_submit(
        desk=desk, procedure_version=version, actor=access.actor_for_user(people["dan"]),
        receipt=Receipt(applicant=applicant(), channel=2),
    )  # fmt: skip
    client.force_login(people["alice"])
    assert client.get(reverse("dossiers:detail", args=[received.uid.hex])).status_code == 404
    assert client.get(reverse("dossiers:detail", args=[online.uid.hex])).status_code == 200
    assert client.get(reverse("dossiers:detail", args=[received.code])).status_code == 200


def test_the_dossier_page_costs_the_same_queries_however_long_its_life(
    client, desk, version, people, django_assert_max_num_queries
):
    short = dossier_in("received", desk, version, people)
    long = dossier_in("returned", desk, version, people)
    client.force_login(people["alice"])
    # Session, user, memberships, the dossier with everything it shows beside it (one join),
    # two menu counters, the checklist, files, form 02 notices, steps, trace and the messages'
    # delivery, the fee's payments (payments app), the queue ticket it came from (tickets
    # app; one more when there is one, for its turns): fifteen, whatever its length.
    for dossier in (short, long):
        with django_assert_max_num_queries(15):
            client.get(reverse("dossiers:detail", args=[dossier.code]))


@pytest.mark.parametrize("state", ["submitted", "completion_requested"])
def test_every_actor_against_the_citizens_own_pages(state, client, desk, version, people):
    """Dan's online dossier on his own pages (portal/submit.py): his, and nobody else's —
    an officer's account is told to use a citizen's (403, whatever the dossier), and anyone
    not logged in is sent to log in."""
    dossier = dossier_in(state, desk, version, people)
    pages = [
        reverse("portal:online_dossier", args=[dossier.ref]),
        reverse("portal:complete", args=[dossier.ref]),
    ]
    for name in OFFICERS:
        client.force_login(people[name])
        for url in pages:
            status = client.get(url).status_code
            expected = (200, 302) if name == "dan" else (403,)
            assert status in expected, (state, name, url)
    client.logout()
    for url in pages:
        response = client.get(url)
        assert response.status_code == 302 and "/dang-nhap/" in response["Location"]
