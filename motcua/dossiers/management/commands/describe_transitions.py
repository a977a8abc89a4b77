"""Write the transition table as Markdown (docs/transitions.md is this command's output)."""

from django.core.management.base import BaseCommand
from django.utils import translation

from motcua.dossiers.models import DVCQG_STATUS, Status
from motcua.dossiers.transitions import SPECS, TABLE, Relation

WHO = {
    Relation.DESK: "desk officer of the receiving desk",
    Relation.HOLDER: "holder of the current step",
    Relation.UNIT_HEAD: "head of the unit holding the step",
    Relation.CLAIMANT: "a specialist of that unit, for themselves, while nobody holds it",
    Relation.LEADER: "leader of the deciding agency",
    Relation.SYSTEM: "the system only",
}


class Command(BaseCommand):
    help = "In bảng chuyển trạng thái hồ sơ dạng Markdown (docs/transitions.md)."

    def handle(self, *args, **options):
        with translation.override("vi"):
            lines = [
                "# Dossier transitions",
                "",
                "Written by `python manage.py describe_transitions > docs/transitions.md` from",
                "`motcua/dossiers/transitions.py` (a test fails when this page and the table",
                "disagree). Anything not listed is refused. The system itself (a management",
                "command, a data migration) holds every relation.",
                "",
                "`assign`, `comment` and `propose_extension` are work inside a step: they",
                "change neither status nor step, but are kept in the trace like any other",
                "action; form 06 has no row for them and the public look-up never shows",
                "them. Besides the table, `assign` gives",
                "the step only to an officer of its unit, and a claimant only to themselves;",
                "`approve` / `result_ready` need the result (a signed PDF, or a paper",
                "result); `request_supplement` needs the numbered list of what is missing,",
                "and a reason from the second time on; `propose_extension` / `extend` keep to",
                "SPEC §6 (`deadlines.extension_errors`).",
                "",
                "`fee_paid` is written only by the system, with the payment it records",
                "(`payments.services`: a gateway's verified callback, or the desk's record",
                "of a fee paid in cash): never a button nor a staff API action. It changes",
                "neither status nor step; a dossier waiting for payment takes",
                "`payment_received` instead.",
                "",
                "| action | from | to | who may | also needs | note required |",
                "|---|---|---|---|---|---|",
            ]
            for (action, source), rule in TABLE.items():
                spec = SPECS[action]
                who = ", ".join(WHO[r] for r in Relation if r in rule.who)
                guard = rule.guard.name.replace("_", " ") if rule.guard else ""
                lines.append(
                    f"| `{action}` {spec.label} | {_status(source)} | {_status(rule.target)} "
                    f"| {who} | {guard} | {'yes' if spec.note_required else ''} |"
                )
            lines += ["", "Statuses and their DVCQG codes (SPEC §4):", ""]
            lines += [f"- `{s.value}` {s.label}: {DVCQG_STATUS[s]}" for s in Status]
        self.stdout.write("\n".join(lines))


def _status(status: Status) -> str:
    return f"`{status.value}`"
