"""Random sequences of actions by random actors at random times (hypothesis): whatever
happens, the trace verifies, a refused action changes nothing, a done one lands where the
table says, the appointment never moves earlier, the DVCQG code follows the status, and the leaders'
tallies equal a recount."""

from datetime import timedelta

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, invariant, rule

from motcua import clock as domain_clock
from motcua.dossiers.access import SYSTEM, actor_for_user
from motcua.dossiers.models import DVCQG_STATUS, Dossier, DossierEvent
from motcua.dossiers.selectors import dossier_public_status, lookup_token
from motcua.dossiers.services import Receipt, dossier_apply, dossier_submit
from motcua.dossiers.tallies import tallies_recount
from motcua.dossiers.tests.factories import applicant, completion_files, receive, vn
from motcua.dossiers.trace import audit_verify
from motcua.dossiers.transitions import TABLE, Action
from motcua.workcalendar.calendar import add_working_time

ACTIONS = [a for a in Action if a not in (Action.RECEIVE, Action.SUBMIT)]


@pytest.mark.django_db
def test_random_lives_of_dossiers(
    monkeypatch, version, desk, desk_officer, specialist, unit_head, leader, other_agency_officer,
    citizen,
):  # fmt: skip
    actors = [SYSTEM] + [
        actor_for_user(u) for u in (desk_officer, specialist, unit_head, leader,
                                    other_agency_officer, citizen)
    ]  # fmt: skip
    now = {"t": vn(2026, 11, 9, 8)}
    monkeypatch.setattr(domain_clock, "now", lambda: now["t"])

    class Lives(RuleBasedStateMachine):
        dossiers = Bundle("dossiers")

        @rule(target=dossiers)
        def receive_one(self):
            return receive(desk, version, actor=desk_officer).pk

        @rule(target=dossiers)
        def submit_one(self):  # online, by the citizen: the desk accepts, asks, or refuses
            return dossier_submit(
                desk=desk, procedure_version=version, actor=actor_for_user(citizen),
                receipt=Receipt(applicant=applicant(), channel=2),
            ).pk  # fmt: skip

        @rule(
            pk=dossiers,
            action=st.sampled_from(ACTIONS),
            who=st.integers(0, len(actors) - 1),
            hours=st.sampled_from([0, 0.5, 3, 8, 30]),
            extend_by=st.sampled_from([-8, 8, 24, 40]),
            assignee=st.sampled_from(["bob", "hung", "alice"]),
        )
        def act(self, pk, action, who, hours, extend_by, assignee):
            now["t"] = add_working_time(now["t"], hours=hours)
            before = Dossier.objects.values().get(pk=pk)
            events = DossierEvent.objects.filter(dossier_id=pk).count()
            params = {
                "returned_to": "Nguyễn Văn An",
                "missing_documents": ["Giấy chứng sinh"],
                "paper_result": True,
                "assignee": assignee,
                "documents": completion_files(Dossier.objects.get(pk=pk)),
            }
            if before["due_at"] is not None:
                params["new_due_at"] = before["due_at"] + timedelta(hours=extend_by)
            try:
                done = dossier_apply(
                    dossier_id=pk, action=action, actor=actors[who],
                    expected_version=before["version"], note="Lý do", **params,
                )  # fmt: skip
            except Exception as refused:
                assert type(refused).__name__ in (
                    "PermissionDenied", "TransitionRefused", "ValidationError"
                ), refused  # fmt: skip
                assert Dossier.objects.values().get(pk=pk) == before
                assert DossierEvent.objects.filter(dossier_id=pk).count() == events
                return
            assert done.status == TABLE[(action, before["status"])].target
            assert done.version == before["version"] + 1
            if before["due_at"] is not None:
                assert done.due_at >= before["due_at"]  # no rule moves it earlier

        @invariant()
        def trace_holds(self):
            assert audit_verify() == []

        @invariant()
        def tallies_equal_a_recount(self):  # ADR 0023: kept in the same transaction
            assert tallies_recount().differences == []

        @invariant()
        def dvcqg_follows_the_status(self):
            for dossier in Dossier.objects.all():
                public = (
                    dossier_public_status(code=dossier.code, verify="5678")
                    if dossier.code
                    else dossier_public_status(token=lookup_token(dossier))
                )
                assert public["dvcqg_status"] == DVCQG_STATUS[dossier.status]

    Lives.TestCase.settings = settings(
        max_examples=12,
        stateful_step_count=20,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
        derandomize=True,
    )
    Lives.TestCase().runTest()
