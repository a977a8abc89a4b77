"""What can happen to a dossier, from which status, to which status, and who does it
(SPEC §4). The one transition table: pages, the API and the docs are drawn from it, and
``actions.dossier_apply`` refuses anything it does not allow.

Open this file first to answer "which statuses can follow 'processing'" or "who may extend a
dossier". *Who* is a set of ``Relation``s — how the person stands to this dossier right now;
``access.relations`` works them out for an actor.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from motcua import clock
from motcua.dossiers import deadlines, process
from motcua.dossiers.models import OPEN_STATUSES, Status


class Action(StrEnum):
    RECEIVE = "receive"  # a dossier's first event (at the desk, or from a peer system)…
    SUBMIT = "submit"  # …or submitted online, to be accepted (not in the table: first events)
    ACCEPT = "accept"
    REQUEST_COMPLETION = "request_completion"
    RESUBMIT = "resubmit"
    REFUSE = "refuse"
    ASSIGN = "assign"
    COMMENT = "comment"
    FORWARD = "forward"
    SEND_BACK = "send_back"
    REQUEST_SUPPLEMENT = "request_supplement"
    SUPPLEMENT_RECEIVED = "supplement_received"
    REQUEST_PAYMENT = "request_payment"
    PAYMENT_RECEIVED = "payment_received"
    FEE_PAID = "fee_paid"
    APPROVE = "approve"
    RESULT_READY = "result_ready"
    PROPOSE_EXTENSION = "propose_extension"
    EXTEND = "extend"
    REJECT = "reject"
    STOP = "stop"
    WITHDRAW = "withdraw"
    RETURN_RESULT = "return_result"


class Relation(StrEnum):
    """How an actor stands to a dossier now (``access.relations``)."""

    #: A desk officer of the desk that received it (bộ phận một cửa).
    DESK = "desk"
    #: Holds the current step: its role in its unit (specialist / head of unit), at the
    #: receiving desk, or as leader of the deciding agency — and the step is not assigned to
    #: someone else; or is the step's assignee.
    HOLDER = "holder"
    #: Head of the unit holding the current step (lãnh đạo phòng).
    UNIT_HEAD = "unit_head"
    #: A specialist of the unit holding the current step (a specialist's step) while the step
    #: is assigned to nobody: may take it for themselves (nhận xử lý), never give it to
    #: someone else — that is the head of unit's call.
    CLAIMANT = "claimant"
    #: A leader of the deciding agency (lãnh đạo cơ quan).
    LEADER = "leader"
    #: The citizen who submitted it online from their account (``Dossier.applicant_user``).
    APPLICANT = "applicant"
    #: The system itself (a data migration, a scheduled job): every relation at once.
    SYSTEM = "system"


@dataclass(frozen=True)
class Guard:
    """A condition beyond the status, with the message given when it does not hold."""

    name: str
    holds: Callable[..., bool]
    #: The message, or a function of the dossier that gives it.
    refusal: Promise | Callable[..., str | None]
    #: Guards that must all hold (``all_of``): the refusal is the first failing one's.
    parts: tuple[Guard, ...] = ()

    def refusal_for(self, dossier) -> str:
        for part in self.parts:
            if not part.holds(dossier):
                return part.refusal_for(dossier)
        return self.refusal(dossier) if callable(self.refusal) else self.refusal


def all_of(name: str, *parts: Guard) -> Guard:
    return Guard(name, lambda d: all(p.holds(d) for p in parts), "", parts)


def _extension_lateness(dossier) -> str | None:
    return deadlines.extension_lateness(
        due_at=dossier.due_at,
        now=clock.now(),
        calendar=deadlines.calendar_of(dossier),
        paused_at=dossier.paused_at,
    )


NOT_EXTENDED = Guard(
    "not_extended",
    lambda d: d.extended_at is None,
    _("Hồ sơ đã được gia hạn một lần; không được gia hạn lần nữa."),
)
#: SPEC §6: form 04 at the latest 1 working day before the due time (``deadlines``' rule).
NOTICE_IN_TIME = Guard(
    "notice_in_time", lambda d: _extension_lateness(d) is None, _extension_lateness
)
EXTENSION_OPEN = all_of("not_extended_and_in_time", NOT_EXTENDED, NOTICE_IN_TIME)
BEFORE_DECISION = Guard(
    "before_decision_step",
    process.is_before_decision_step,
    _("Bước này là bước quyết định: phê duyệt hoặc báo đã có kết quả, không chuyển tiếp."),
)
DECISION_BY_LEADER = Guard(
    "decision_by_leader",
    lambda d: process.is_at_decision_step(d) and process.decision_by_leader(d),
    _("Chỉ phê duyệt ở bước ký duyệt của lãnh đạo."),
)
DECISION_BY_OFFICER = Guard(
    "decision_by_officer",
    lambda d: process.is_at_decision_step(d) and not process.decision_by_leader(d),
    _("Chưa đến bước quyết định của quy trình, hoặc bước này do lãnh đạo phê duyệt."),
)
AT_UNIT_STEP = Guard(
    "at_unit_step",
    lambda d: d.current_unit_id is not None,
    _("Hồ sơ không ở bước của một phòng, đơn vị chuyên môn: không có ai để phân công."),
)
AWAITING_NOTHING = Guard(
    "not_awaiting_completion",
    lambda d: d.completion_requested_at is None,
    _(
        "Hồ sơ đang chờ công dân bổ sung theo yêu cầu: tiếp nhận hoặc yêu cầu lại sau khi công "
        "dân nộp bổ sung."
    ),
)
AWAITING_COMPLETION = Guard(
    "awaiting_completion",
    lambda d: d.completion_requested_at is not None,
    _("Hồ sơ không có yêu cầu bổ sung nào đang chờ."),
)
HAS_PREVIOUS_STEP = Guard(
    "has_previous_step",
    lambda d: process.previous_step(d) is not None,
    _("Hồ sơ đang ở bước đầu tiên, không có bước trước."),
)


@dataclass(frozen=True)
class Rule:
    """One row of the table: from the status of its key, ``action`` leads to ``target``,
    for an actor with one of the relations ``who``, when ``guard`` holds."""

    target: Status
    who: frozenset[Relation]
    guard: Guard | None = None


def _who(*relations: Relation) -> frozenset[Relation]:
    return frozenset(relations)


DESK, HOLDER = _who(Relation.DESK), _who(Relation.HOLDER)
S = Status

#: (action, from status) → rule. Anything not here is refused.
TABLE: dict[tuple[Action, Status], Rule] = {
    # Online and postal dossiers: the desk checks them (SPEC §4) — the clock starts at accept.
    # Incomplete, it asks the applicant to complete it online (form 02, everything at once)
    # and nothing is received yet: the status stays until the applicant sends what is missing.
    (Action.ACCEPT, S.SUBMITTED): Rule(S.RECEIVED, DESK, AWAITING_NOTHING),
    (Action.REQUEST_COMPLETION, S.SUBMITTED): Rule(S.SUBMITTED, DESK, AWAITING_NOTHING),
    (Action.RESUBMIT, S.SUBMITTED): Rule(
        S.SUBMITTED, _who(Relation.APPLICANT), AWAITING_COMPLETION
    ),
    (Action.REFUSE, S.SUBMITTED): Rule(S.REFUSED, DESK),
    # Work inside a step, the status stays: a unit's step is assigned to one of its officers
    # (by the head of unit, or taken by a specialist for themselves); whoever holds the step
    # writes an opinion and attaches working files (never public).
    **{
        (Action.ASSIGN, status): Rule(
            status, _who(Relation.UNIT_HEAD, Relation.CLAIMANT), AT_UNIT_STEP
        )
        for status in OPEN_STATUSES
    },
    **{
        (Action.COMMENT, status): Rule(status, _who(Relation.HOLDER, Relation.UNIT_HEAD))
        for status in OPEN_STATUSES
    },
    # The internal process.
    (Action.FORWARD, S.RECEIVED): Rule(S.PROCESSING, HOLDER, BEFORE_DECISION),
    (Action.FORWARD, S.PROCESSING): Rule(S.PROCESSING, HOLDER, BEFORE_DECISION),
    (Action.SEND_BACK, S.PROCESSING): Rule(S.PROCESSING, HOLDER, HAS_PREVIOUS_STEP),
    (Action.APPROVE, S.PROCESSING): Rule(S.RESULT_READY, HOLDER, DECISION_BY_LEADER),
    (Action.RESULT_READY, S.RECEIVED): Rule(S.RESULT_READY, HOLDER, DECISION_BY_OFFICER),
    (Action.RESULT_READY, S.PROCESSING): Rule(S.RESULT_READY, HOLDER, DECISION_BY_OFFICER),
    # Waiting for the applicant or for payment stops the clock (SPEC §6).
    (Action.REQUEST_SUPPLEMENT, S.RECEIVED): Rule(S.WAITING_APPLICANT, HOLDER),
    (Action.REQUEST_SUPPLEMENT, S.PROCESSING): Rule(S.WAITING_APPLICANT, HOLDER),
    (Action.SUPPLEMENT_RECEIVED, S.WAITING_APPLICANT): Rule(
        S.PROCESSING, _who(Relation.DESK, Relation.HOLDER)
    ),
    (Action.REQUEST_PAYMENT, S.PROCESSING): Rule(S.WAITING_PAYMENT, HOLDER),
    (Action.PAYMENT_RECEIVED, S.WAITING_PAYMENT): Rule(
        S.PROCESSING, _who(Relation.DESK, Relation.HOLDER)
    ),
    # A fee paid online or at the desk, recorded by ``payments.services`` with the payment
    # itself: the status stays (a dossier waiting for payment takes ``payment_received``).
    **{
        (Action.FEE_PAID, status): Rule(status, _who(Relation.SYSTEM))
        for status in (
            S.SUBMITTED,
            S.RECEIVED,
            S.PROCESSING,
            S.WAITING_APPLICANT,
            S.RESULT_READY,
        )
    },
    # Apology and a new appointment (form 04), the status stays, once only (SPEC §6): whoever
    # holds the step proposes it, the agency's leader alone issues it.
    **{
        (Action.PROPOSE_EXTENSION, status): Rule(
            status, _who(Relation.HOLDER, Relation.UNIT_HEAD), EXTENSION_OPEN
        )
        for status in OPEN_STATUSES
    },
    **{
        (Action.EXTEND, status): Rule(status, _who(Relation.LEADER), EXTENSION_OPEN)
        for status in OPEN_STATUSES
    },
    # Endings before a result. The desk refuses a dossier that is not eligible before receipt
    # (``refuse``, form 03); once received, not resolving it is the decision's outcome, and
    # the decision is the leader's ("approval and signature by the leader", SPEC §3–§4): a
    # specialist or the desk who finds it ineligible passes it on with the reason.
    (Action.REJECT, S.RECEIVED): Rule(S.REJECTED, _who(Relation.LEADER)),
    (Action.REJECT, S.PROCESSING): Rule(S.REJECTED, _who(Relation.LEADER)),
    **{(Action.STOP, s): Rule(S.STOPPED, _who(Relation.LEADER)) for s in OPEN_STATUSES},
    **{(Action.WITHDRAW, s): Rule(S.WITHDRAWN, DESK) for s in OPEN_STATUSES},
    # The result goes back to the applicant.
    (Action.RETURN_RESULT, S.RESULT_READY): Rule(S.RETURNED, DESK),
}

#: Work inside the agency: not a hand-over (form 06 has no row for it) and never shown to the
#: public (the look-up and its API leave these events out).
INTERNAL_ACTIONS = frozenset({Action.ASSIGN, Action.COMMENT, Action.PROPOSE_EXTENSION})

#: Recorded by another module's service together with its own record, as the system (the
#: row's only "who"): never a button, never a staff API action. A fee paid is
#: ``payments.services`` writing the payment and this event in one transaction.
SYSTEM_ACTIONS = frozenset({Action.FEE_PAID})


REASON = _("Lý do / nội dung")


@dataclass(frozen=True)
class ActionSpec:
    """How an action is presented and what it needs besides the table's row."""

    label: Promise
    #: The message when a note is required; None when the note is optional.
    note_required: Promise | None = None
    #: The label of the note field on the page; None when the page shows no note field.
    note_label: Promise | None = REASON
    #: Other inputs: "assignee", "files" (working files), "result" (the result file or a
    #: paper result), "missing_documents", "new_due_at", "receiver" ("returned_to" or
    #: "postal_tracking", by the delivery chosen), "documents" (the applicant's files, each
    #: for one item of the request to complete).
    fields: tuple[str, ...] = ()
    #: The applicant's message (``messages.TEXTS``) sent after it, if any.
    message: str | None = None
    #: The message sent instead when the applicant receives the result online.
    online_message: str | None = None
    #: The button is the dossier's main action (shown first, unfolded).
    main: bool = False
    #: What the officer is told once it is done (default: "Đã thực hiện: <label>").
    done: Promise | None = None
    #: How the public look-up, the kiosk and the API name the event, in the applicant's
    #: words ("Đang thẩm định", never "Chuyển bước tiếp theo"); None for the internal
    #: actions, which the public never sees. A hand-over (forward, send back) is named by
    #: the step it reaches: ``PUBLIC_STEP_LABELS``.
    public_label: Promise | None = None


OPINION = _("Ý kiến xử lý")

SPECS: dict[Action, ActionSpec] = {
    Action.RECEIVE: ActionSpec(
        _("Tiếp nhận hồ sơ"), message="received", public_label=_("Đã tiếp nhận hồ sơ")
    ),
    Action.SUBMIT: ActionSpec(
        _("Nộp hồ sơ trực tuyến"),
        message="submitted",
        public_label=_("Đã gửi hồ sơ trực tuyến, chờ tiếp nhận"),
    ),
    Action.ACCEPT: ActionSpec(
        _("Tiếp nhận hồ sơ trực tuyến"),
        note_label=None,
        message="received",
        main=True,
        public_label=_("Đã tiếp nhận hồ sơ"),
    ),
    Action.REQUEST_COMPLETION: ActionSpec(
        _("Yêu cầu bổ sung, hoàn thiện hồ sơ trực tuyến"),
        note_label=_("Lý do yêu cầu bổ sung"),
        fields=("missing_documents",),
        message="completion_requested",
        done=_(
            "Đã yêu cầu công dân bổ sung hồ sơ trực tuyến (phiếu mẫu 02). Hồ sơ trở lại hộp khi "
            "công dân nộp bổ sung."
        ),
        public_label=_("Cần ông/bà bổ sung, hoàn thiện hồ sơ trực tuyến"),
    ),
    Action.RESUBMIT: ActionSpec(
        _("Nộp bổ sung hồ sơ"),
        note_label=_("Ghi chú gửi bộ phận một cửa"),
        fields=("documents",),
        message="submitted",
        done=_("Đã nộp bổ sung hồ sơ. Bộ phận một cửa sẽ kiểm tra lại."),
        public_label=_("Đã nộp bổ sung, chờ bộ phận một cửa kiểm tra"),
    ),
    Action.REFUSE: ActionSpec(
        _("Từ chối tiếp nhận"),
        note_required=_("Ghi rõ lý do từ chối tiếp nhận."),
        public_label=_("Không được tiếp nhận (xem phiếu từ chối)"),
    ),
    Action.ASSIGN: ActionSpec(
        _("Phân công xử lý"),
        note_label=_("Ghi chú phân công"),
        fields=("assignee",),
        done=_("Đã phân công hồ sơ."),
    ),
    Action.COMMENT: ActionSpec(
        _("Ghi ý kiến xử lý"),
        note_label=OPINION,
        fields=("files",),
        done=_("Đã ghi ý kiến xử lý."),
    ),
    Action.FORWARD: ActionSpec(
        _("Chuyển bước tiếp theo"),
        note_label=OPINION,
        fields=("files",),
        main=True,
        public_label=_("Đang giải quyết"),
    ),
    Action.SEND_BACK: ActionSpec(
        _("Trả lại bước trước"),
        note_required=_("Ghi lý do trả lại bước trước."),
        fields=("files",),
        public_label=_("Đang giải quyết"),
    ),
    Action.APPROVE: ActionSpec(
        _("Phê duyệt, ký kết quả"),
        note_label=_("Ý kiến phê duyệt"),
        fields=("result",),
        message="result_ready",
        main=True,
        done=_("Đã phê duyệt và ký kết quả; bộ phận một cửa sẽ trả kết quả cho người dân."),
        public_label=_("Đã có kết quả"),
    ),
    Action.RESULT_READY: ActionSpec(
        _("Đã có kết quả"),
        note_label=_("Ghi chú"),
        fields=("result",),
        message="result_ready",
        main=True,
        public_label=_("Đã có kết quả"),
    ),
    Action.REQUEST_SUPPLEMENT: ActionSpec(
        _("Yêu cầu bổ sung hồ sơ"),
        note_label=_("Lý do yêu cầu bổ sung"),
        fields=("missing_documents",),
        message="supplement_requested",
        done=_("Đã yêu cầu bổ sung hồ sơ. In phiếu yêu cầu bổ sung (mẫu 02)."),
        public_label=_("Cần ông/bà bổ sung giấy tờ"),
    ),
    Action.SUPPLEMENT_RECEIVED: ActionSpec(
        _("Nhận hồ sơ bổ sung"),
        note_label=_("Ghi chú"),
        main=True,
        public_label=_("Đã nhận giấy tờ bổ sung, tiếp tục giải quyết"),
    ),
    Action.REQUEST_PAYMENT: ActionSpec(
        _("Yêu cầu thực hiện nghĩa vụ tài chính"),
        note_required=_("Ghi khoản nghĩa vụ tài chính cần nộp."),
        message="payment_requested",
        public_label=_("Chờ ông/bà nộp phí, lệ phí, nghĩa vụ tài chính"),
    ),
    Action.PAYMENT_RECEIVED: ActionSpec(
        _("Đã nhận chứng từ nộp nghĩa vụ tài chính"),
        note_label=_("Ghi chú"),
        main=True,
        public_label=_("Đã nộp nghĩa vụ tài chính, tiếp tục giải quyết"),
    ),
    Action.FEE_PAID: ActionSpec(
        _("Đã nộp phí, lệ phí"),
        note_required=_("Ghi khoản phí, lệ phí đã nộp."),
        note_label=None,
        public_label=_("Đã nộp phí, lệ phí"),
    ),
    Action.PROPOSE_EXTENSION: ActionSpec(
        _("Đề xuất gia hạn (mẫu 04)"),
        note_required=_("Ghi lý do chậm trễ."),
        note_label=_("Lý do chậm trễ"),
        fields=("new_due_at",),
        done=_("Đã gửi đề xuất gia hạn tới lãnh đạo cơ quan."),
    ),
    Action.EXTEND: ActionSpec(
        _("Xin lỗi và gia hạn thời gian giải quyết"),
        note_required=_("Ghi lý do chậm trễ và lời xin lỗi."),
        note_label=_("Lý do chậm và lời xin lỗi"),
        fields=("new_due_at",),
        message="extended",
        public_label=_("Xin lỗi ông/bà: hẹn lại ngày trả kết quả"),
    ),
    Action.REJECT: ActionSpec(
        _("Từ chối giải quyết"),
        note_required=_("Ghi rõ lý do từ chối giải quyết."),
        public_label=_("Không giải quyết (bộ phận một cửa thông báo lý do)"),
    ),
    Action.STOP: ActionSpec(
        _("Dừng xử lý"),
        note_required=_("Ghi rõ lý do dừng xử lý."),
        public_label=_("Dừng giải quyết hồ sơ"),
    ),
    Action.WITHDRAW: ActionSpec(
        _("Công dân rút hồ sơ"),
        note_required=_("Ghi nội dung đề nghị rút hồ sơ của công dân."),
        public_label=_("Đã rút hồ sơ theo đề nghị của ông/bà"),
    ),
    Action.RETURN_RESULT: ActionSpec(
        _("Trả kết quả"),
        note_label=_("Ghi chú"),
        fields=("receiver",),
        main=True,
        message="returned",
        online_message="result_online",  # with the signed link to download it (results.py)
        public_label=_("Đã trả kết quả"),
    ),
}

#: A hand-over (forward, send back) in the applicant's words: what happens at the step it
#: reaches, by who holds that step.
PUBLIC_STEP_LABELS: dict[str, Promise] = {
    "desk_officer": _("Chuyển về bộ phận một cửa"),
    "specialist": _("Đang thẩm định"),
    "unit_head": _("Đang thẩm định"),
    "agency_leader": _("Đang trình lãnh đạo ký duyệt"),
}


def main_actions(
    allowed: list[Action], *, step_unassigned: bool, proposal_pending: bool
) -> list[Action]:
    """The action the dossier's page puts first (the others are folded): the leader's
    confirmation of a specialist's proposal of form 04 while it waits; giving out (or
    claiming) a unit's step nobody holds yet; otherwise the actions marked ``main``."""
    if proposal_pending and Action.EXTEND in allowed:
        return [Action.EXTEND]
    if step_unassigned and Action.ASSIGN in allowed:
        return [Action.ASSIGN]
    return [a for a in allowed if SPECS[a].main]


def public_label(action: str, step_role: str | None = None) -> Promise | str:
    """How the public names an event (``ActionSpec.public_label``); a hand-over by the step
    it reaches. Internal actions have none: callers never show them (``INTERNAL_ACTIONS``)."""
    try:
        spec = SPECS[Action(action)]
    except ValueError:  # an event of a later version, read by an older one
        return action
    if spec.public_label is None:
        raise ValueError(f"{action} không công khai")
    if action in (Action.FORWARD, Action.SEND_BACK) and step_role in PUBLIC_STEP_LABELS:
        return PUBLIC_STEP_LABELS[step_role]
    return spec.public_label


ACTION_LABELS: dict[str, Promise] = {action.value: spec.label for action, spec in SPECS.items()}


class TransitionRefused(ValidationError):
    """The table does not allow this action now; the message says why, in the user's words."""


def rule_for(action: Action, status: Status) -> Rule | None:
    return TABLE.get((Action(action), Status(status)))


def actions_from(status: Status) -> list[Action]:
    """The actions the table allows from ``status``, in the table's order."""
    return [action for (action, source) in TABLE if source == status]


def targets_from(status: Status) -> set[Status]:
    """The statuses that can follow ``status``."""
    return {rule.target for (action, source), rule in TABLE.items() if source == status}


def transition_check(action: str, dossier) -> Rule:
    """The row that lets ``action`` happen to ``dossier`` now (status and guard), or
    ``TransitionRefused`` with the reason. Who may do it is ``access.may``'s question."""
    try:
        action = Action(action)
    except ValueError:
        raise TransitionRefused(_("Thao tác không tồn tại.")) from None
    status = Status(dossier.status)
    rule = TABLE.get((action, status))
    if rule is None:
        raise TransitionRefused(
            _("Không thể “%(action)s” khi hồ sơ đang ở trạng thái “%(status)s”.")
            % {"action": str(SPECS[action].label).lower(), "status": status.label.lower()}
        )
    if rule.guard is not None and not rule.guard.holds(dossier):
        raise TransitionRefused(rule.guard.refusal_for(dossier))
    return rule
