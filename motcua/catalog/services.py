"""Writing the catalog: versions of procedures, publication, import and export.

Every write goes through ``procedure_publish`` (import, the demo loader and the admin's
"publish" action), so the rules of SPEC §6 on step budgets and the one-published-version rule
hold whatever the entry point.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict, dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from motcua.agencies.models import AgencyLevel, Role
from motcua.catalog.formfiles import form_files_copy
from motcua.catalog.models import (
    Fee,
    Field,
    OnlineLevel,
    Procedure,
    ProcedureVersion,
    ProcessStep,
    RequiredDocument,
)
from motcua.catalog.selectors import procedure_version_for_receipt_forget
from motcua.catalog.text import fold
from motcua.spreadsheet import csv_safe, csv_unguard
from motcua.workcalendar.calendar import TimeUnit, processing_hours

FORMAT = "motcua-catalog/1"
CSV_COLUMNS = [
    "code",
    "name",
    "fields",
    "agency_levels",
    "processing_time",
    "time_unit",
    "online_level",
    "post_allowed",
    "applicants",
    "result_document",
    "legal_basis",
    "documents",
    "fees",
    "steps",
    "sets_required",
    "is_interop",
    "interop_level",
    "decision",
    "effective_from",
]


def step_budget_errors(*, hours_available: Decimal, budgets: list[Decimal]) -> list[str]:
    """SPEC §6: the sum of the steps' budgets cannot exceed the procedure's time."""
    total = sum(budgets, Decimal(0))
    if total > hours_available:
        return [
            f"Tổng thời gian các bước ({_hours(total)} giờ làm việc) vượt quá thời hạn giải "
            f"quyết của thủ tục ({_hours(hours_available)} giờ làm việc)."
        ]
    return []


def _hours(value: Decimal) -> str:
    return f"{value.normalize():f}".replace(".", ",")


@dataclass
class DocumentData:
    name: str
    originals: int = 1
    copies: int = 0
    optional: bool = False
    form_name: str = ""


@dataclass
class FeeData:
    description: str
    amount: int = 0
    paid_when: str = Fee.PaidWhen.ON_SUBMISSION.value
    exemptions: str = ""


@dataclass
class StepData:
    name: str
    role: str
    budget_hours: Decimal
    unit_function: str = ""


@dataclass
class ProcedureData:
    """A procedure's content, as imported, exported and compared: one version's worth."""

    code: str
    name: str
    fields: list[str]
    agency_levels: list[str]
    processing_time: Decimal
    time_unit: str = TimeUnit.WORKING_DAYS.value
    online_level: str = OnlineLevel.NONE.value
    post_allowed: bool = False
    applicants: str = ""
    description: str = ""
    conditions: str = ""
    result_document: str = ""
    legal_basis: str = ""
    sets_required: int = 1
    is_interop: bool = False
    interop_level: str = ""
    decision: str = ""
    effective_from: date | None = None
    documents: list[DocumentData] = field(default_factory=list)
    fees: list[FeeData] = field(default_factory=list)
    steps: list[StepData] = field(default_factory=list)

    def to_json(self) -> dict:
        data = asdict(self)
        data["processing_time"] = _decimal_text(self.processing_time)
        data["effective_from"] = self.effective_from.isoformat() if self.effective_from else None
        for step in data["steps"]:
            step["budget_hours"] = _decimal_text(step["budget_hours"])
        return data


def _decimal_text(value: Decimal) -> str:
    text = f"{Decimal(value).normalize():f}"
    return text


class CatalogImportError(Exception):
    """The file was refused: ``errors`` lists (row, code, message); nothing was imported."""

    def __init__(self, errors: list[tuple[int, str, str]]):
        self.errors = errors
        super().__init__("\n".join(f"Dòng {row} ({code}): {msg}" for row, code, msg in errors))


# --- parsing -----------------------------------------------------------------------------


def _text(raw: dict, key: str, errors: list[str], *, required: bool = False, limit=None) -> str:
    value = raw.get(key)
    value = "" if value is None else str(value).strip()
    if required and not value:
        errors.append(f"thiếu “{key}”.")
    if limit and len(value) > limit:
        errors.append(f"“{key}” dài quá {limit} ký tự.")
    return value


def _decimal(value, label: str, errors: list[str], *, minimum=Decimal(0)) -> Decimal:
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, AttributeError):
        errors.append(f"“{label}” phải là số (đang là “{value}”).")
        return Decimal(0)
    if not number.is_finite() or number < minimum:
        errors.append(f"“{label}” phải là số không nhỏ hơn {minimum} (đang là “{value}”).")
        return Decimal(0)
    return number


def _int(value, label: str, errors: list[str], default: int = 0) -> int:
    if value in (None, ""):
        return default
    try:
        number = int(str(value).strip().replace(".", ""))
    except ValueError:
        errors.append(f"“{label}” phải là số nguyên (đang là “{value}”).")
        return default
    if number < 0:
        errors.append(f"“{label}” không được âm.")
        return default
    return number


def _bool(value) -> bool:
    if isinstance(value, bool):
        return value
    return str(value or "").strip().lower() in {"1", "true", "co", "có", "x", "yes"}


def _choice(value, label: str, choices, errors: list[str], default: str) -> str:
    value = str(value or "").strip() or default
    allowed = [str(c) for c in choices]
    if value not in allowed:
        errors.append(f"“{label}” phải là một trong: {', '.join(allowed)} (đang là “{value}”).")
    return value


def parse_procedure(raw: dict, *, known_levels: set[str]) -> tuple[ProcedureData, list[str]]:
    """Read one procedure from a JSON object (or a CSV row already split into lists)."""
    errors: list[str] = []
    code = _text(raw, "code", errors, required=True, limit=40)
    name = _text(raw, "name", errors, required=True, limit=500)
    fields = [str(f).strip() for f in raw.get("fields") or [] if str(f).strip()]
    if not fields:
        errors.append("cần ít nhất một lĩnh vực (“fields”).")
    levels = [str(level).strip() for level in raw.get("agency_levels") or [] if str(level).strip()]
    if not levels:
        errors.append("cần ít nhất một cấp thực hiện (“agency_levels”).")
    for level in levels:
        if level not in known_levels:
            errors.append(f"không có cấp hành chính mã “{level}”.")
    time_unit = _choice(raw.get("time_unit"), "time_unit", TimeUnit, errors, "working_days")
    processing = _decimal(raw.get("processing_time") or 0, "processing_time", errors)
    if time_unit != TimeUnit.SAME_DAY and processing <= 0:
        errors.append("“processing_time” phải lớn hơn 0 (hoặc time_unit là “same_day”).")
    if time_unit == TimeUnit.CALENDAR_DAYS and processing != int(processing):
        errors.append("thời hạn tính theo ngày lịch phải là số nguyên.")
    online = _choice(raw.get("online_level"), "online_level", OnlineLevel.values, errors, "none")
    interop_level = _text(raw, "interop_level", errors)
    is_interop = _bool(raw.get("is_interop"))
    if is_interop and interop_level not in known_levels:
        errors.append("thủ tục liên thông cần “interop_level” là mã một cấp hành chính có thật.")
    effective_from = None
    if raw.get("effective_from"):
        try:
            effective_from = date.fromisoformat(str(raw["effective_from"]).strip())
        except ValueError:
            value = raw["effective_from"]
            errors.append(f"“effective_from” phải là ngày dạng YYYY-MM-DD (đang là “{value}”).")

    documents = []
    for i, doc in enumerate(raw.get("documents") or [], start=1):
        doc_name = str(doc.get("name") or "").strip()
        if not doc_name:
            errors.append(f"giấy tờ thứ {i} thiếu tên.")
        originals = _int(doc.get("originals"), f"bản chính của giấy tờ {i}", errors, 1)
        copies = _int(doc.get("copies"), f"bản sao của giấy tờ {i}", errors, 0)
        if originals == 0 and copies == 0:
            errors.append(f"giấy tờ thứ {i} cần ít nhất một bản chính hoặc một bản sao.")
        documents.append(
            DocumentData(
                name=doc_name,
                originals=originals,
                copies=copies,
                optional=_bool(doc.get("optional")),
                form_name=str(doc.get("form_name") or "").strip(),
            )
        )
    fees = []
    for i, fee in enumerate(raw.get("fees") or [], start=1):
        fees.append(
            FeeData(
                description=str(fee.get("description") or "").strip() or "Lệ phí",
                amount=_int(fee.get("amount"), f"mức thu của khoản phí {i}", errors),
                paid_when=_choice(
                    fee.get("paid_when"),
                    f"thời điểm nộp phí {i}",
                    Fee.PaidWhen.values,
                    errors,
                    "before",
                ),
                exemptions=str(fee.get("exemptions") or "").strip(),
            )
        )
    steps = []
    for i, step in enumerate(raw.get("steps") or [], start=1):
        step_name = str(step.get("name") or "").strip()
        if not step_name:
            errors.append(f"bước {i} thiếu nội dung công việc.")
        steps.append(
            StepData(
                name=step_name,
                role=_choice(
                    step.get("role"), f"người thực hiện bước {i}", Role.values, errors, ""
                ),
                budget_hours=_decimal(
                    step.get("budget_hours"), f"thời gian bước {i}", errors, minimum=Decimal("0.25")
                ),
                unit_function=str(step.get("unit_function") or "").strip(),
            )
        )
    if not errors:
        errors += step_budget_errors(
            hours_available=processing_hours(processing, time_unit),
            budgets=[s.budget_hours for s in steps],
        )
    data = ProcedureData(
        code=code,
        name=name,
        fields=fields,
        agency_levels=levels,
        processing_time=processing,
        time_unit=time_unit,
        online_level=online,
        post_allowed=_bool(raw.get("post_allowed")),
        applicants=_text(raw, "applicants", errors, limit=255),
        description=_text(raw, "description", errors),
        conditions=_text(raw, "conditions", errors),
        result_document=_text(raw, "result_document", errors, limit=500),
        legal_basis=_text(raw, "legal_basis", errors),
        sets_required=_int(raw.get("sets_required"), "sets_required", errors, 1) or 1,
        is_interop=is_interop,
        interop_level=interop_level if is_interop else "",
        decision=_text(raw, "decision", errors, limit=255),
        effective_from=effective_from,
        documents=documents,
        fees=fees,
        steps=steps,
    )
    return data, errors


def _split(cell: str, sep: str) -> list[str]:
    return [part.strip() for part in (cell or "").split(sep) if part.strip()]


def _csv_row_to_raw(row: dict) -> dict:
    """CSV cells hold lists one item per line, and an item's parts as ``a|b|c``; a cell the
    export guarded against formulas (``csv_safe``) reads back as it was."""
    raw = {
        name: csv_unguard(value) if isinstance(value, str) else value for name, value in row.items()
    }
    row = raw
    raw["fields"] = _split(row.get("fields", ""), "\n")
    raw["agency_levels"] = _split(row.get("agency_levels", ""), "\n")
    raw["documents"] = [
        dict(zip(["name", "originals", "copies", "optional"], item.split("|"), strict=False))
        for item in _split(row.get("documents", ""), "\n")
    ]
    raw["fees"] = [
        dict(
            zip(["description", "amount", "paid_when", "exemptions"], item.split("|"), strict=False)
        )
        for item in _split(row.get("fees", ""), "\n")
    ]
    raw["steps"] = [
        dict(zip(["name", "role", "unit_function", "budget_hours"], item.split("|"), strict=False))
        for item in _split(row.get("steps", ""), "\n")
    ]
    return raw


def read_catalog_file(content: bytes, *, filename: str) -> list[dict]:
    """The raw procedure records of a JSON or CSV catalog file, in file order."""
    text = content.decode("utf-8-sig")
    if filename.lower().endswith(".csv"):
        reader = csv.DictReader(io.StringIO(text))
        missing = {"code", "name"} - set(reader.fieldnames or [])
        if missing:
            raise CatalogImportError([(1, "", f"tệp CSV thiếu cột: {', '.join(sorted(missing))}.")])
        return [_csv_row_to_raw(row) for row in reader]
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CatalogImportError(
            [(exc.lineno, "", f"tệp JSON không hợp lệ: {exc.msg} (cột {exc.colno}).")]
        ) from exc
    if isinstance(document, dict):
        document = document.get("procedures")
    if not isinstance(document, list):
        raise CatalogImportError([(1, "", "tệp JSON phải có danh sách “procedures”.")])
    return document


# --- writing -----------------------------------------------------------------------------


def procedure_data_from_version(version: ProcedureVersion) -> ProcedureData:
    return ProcedureData(
        code=version.procedure.code,
        name=version.name,
        fields=sorted(f.name for f in version.fields.all()),
        agency_levels=sorted(level.code for level in version.agency_levels.all()),
        processing_time=Decimal(version.processing_time),
        time_unit=version.time_unit,
        online_level=version.online_level,
        post_allowed=version.post_allowed,
        applicants=version.applicants,
        description=version.description,
        conditions=version.conditions,
        result_document=version.result_document,
        legal_basis=version.legal_basis,
        sets_required=version.sets_required,
        is_interop=version.is_interop,
        interop_level=version.interop_level.code if version.interop_level_id else "",
        decision=version.decision,
        effective_from=version.effective_from,
        documents=[
            DocumentData(d.name, d.originals, d.copies, d.is_optional, d.form_name)
            for d in version.documents.all()
        ],
        fees=[
            FeeData(f.description, f.amount, f.paid_when, f.exemptions) for f in version.fees.all()
        ],
        steps=[
            StepData(s.name, s.role, Decimal(s.budget_hours), s.unit_function)
            for s in version.steps.all()
        ],
    )


def _same_content(a: ProcedureData, b: ProcedureData) -> bool:
    left, right = a.to_json(), b.to_json()
    left["fields"], right["fields"] = sorted(left["fields"]), sorted(right["fields"])
    left["agency_levels"] = sorted(left["agency_levels"])
    right["agency_levels"] = sorted(right["agency_levels"])
    return left == right


def field_get_or_create(*, name: str) -> Field:
    existing = Field.objects.filter(name=name).first()
    if existing:
        return existing
    code = fold(name).replace(" ", "-")[:60] or "linh-vuc"
    suffix, candidate = 1, code
    while Field.objects.filter(code=candidate).exists():
        suffix += 1
        candidate = f"{code[:55]}-{suffix}"
    return Field.objects.create(code=candidate, name=name)


@transaction.atomic
def procedure_version_create(*, data: ProcedureData) -> ProcedureVersion:
    """A new draft version of ``data.code`` (the procedure is created if new). Its documents
    get copies of the form files of the same-named documents of the version in force, so a
    new version has its own files and the old one keeps its own."""
    procedure, _ = Procedure.objects.select_for_update().get_or_create(code=data.code)
    last = procedure.versions.order_by("-number").values_list("number", flat=True).first() or 0
    levels = {level.code: level for level in AgencyLevel.objects.all()}
    version = ProcedureVersion(
        procedure=procedure,
        number=last + 1,
        name=data.name,
        processing_time=data.processing_time,
        time_unit=data.time_unit,
        online_level=data.online_level,
        post_allowed=data.post_allowed,
        applicants=data.applicants,
        description=data.description,
        conditions=data.conditions,
        result_document=data.result_document,
        legal_basis=data.legal_basis,
        sets_required=data.sets_required,
        is_interop=data.is_interop,
        interop_level=levels.get(data.interop_level) if data.is_interop else None,
        decision=data.decision,
        effective_from=data.effective_from,
    )
    version.full_clean(exclude=["procedure"])
    fields = [field_get_or_create(name=name) for name in data.fields]
    version.refresh_search_text([f.name for f in fields])
    version.save()
    version.fields.set(fields)
    version.agency_levels.set([levels[code] for code in data.agency_levels])
    RequiredDocument.objects.bulk_create(
        RequiredDocument(
            version=version,
            order=i,
            name=d.name,
            originals=d.originals,
            copies=d.copies,
            is_optional=d.optional,
            form_name=d.form_name,
        )
        for i, d in enumerate(data.documents, start=1)
    )
    Fee.objects.bulk_create(
        Fee(
            version=version,
            order=i,
            description=f.description,
            amount=f.amount,
            paid_when=f.paid_when,
            exemptions=f.exemptions,
        )
        for i, f in enumerate(data.fees, start=1)
    )
    ProcessStep.objects.bulk_create(
        ProcessStep(
            version=version,
            order=i,
            name=s.name,
            role=s.role,
            unit_function=s.unit_function,
            budget_hours=s.budget_hours,
        )
        for i, s in enumerate(data.steps, start=1)
    )
    if procedure.current_version_id:
        form_files_copy(source=procedure.current_version, target=version)
    return version


def procedure_version_errors(version: ProcedureVersion) -> list[str]:
    """What stops ``version`` from being published, in Vietnamese."""
    errors = []
    try:
        version.full_clean()
    except ValidationError as exc:
        errors += [msg for messages in exc.message_dict.values() for msg in messages]
    errors += step_budget_errors(
        hours_available=version.processing_hours,
        budgets=[Decimal(step.budget_hours) for step in version.steps.all()],
    )
    if not version.fields.exists():
        errors.append("Thủ tục cần ít nhất một lĩnh vực.")
    if not version.agency_levels.exists():
        errors.append("Thủ tục cần ít nhất một cấp thực hiện.")
    return errors


@transaction.atomic
def procedure_publish(*, version: ProcedureVersion) -> ProcedureVersion:
    """Make ``version`` the one that applies: the previous published one is superseded."""
    version = ProcedureVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != ProcedureVersion.Status.DRAFT:
        raise ValidationError("Chỉ bản nháp mới được công bố.")
    errors = procedure_version_errors(version)
    if errors:
        raise ValidationError(errors)
    procedure = Procedure.objects.select_for_update().get(pk=version.procedure_id)
    procedure.versions.filter(status=ProcedureVersion.Status.PUBLISHED).update(
        status=ProcedureVersion.Status.SUPERSEDED
    )
    version.status = ProcedureVersion.Status.PUBLISHED
    version.published_at = timezone.now()
    version.refresh_search_text([f.name for f in version.fields.all()])
    version.save(update_fields=["status", "published_at", "search_text"])
    procedure.current_version = version
    procedure.save(update_fields=["current_version"])
    transaction.on_commit(lambda: procedure_version_for_receipt_forget(code=procedure.code))
    return version


@transaction.atomic
def procedure_draft_from_current(*, procedure: Procedure) -> ProcedureVersion:
    """A new draft copied from the version that applies now, to be edited and published."""
    if procedure.current_version is None:
        raise ValidationError("Thủ tục chưa có phiên bản nào đang áp dụng.")
    data = procedure_data_from_version(procedure.current_version)
    data.decision, data.effective_from = "", None
    return procedure_version_create(data=data)


@dataclass
class ImportSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@transaction.atomic
def catalog_import(*, records: list[dict]) -> ImportSummary:
    """Publish every record whose content differs from what applies now. Any bad record
    refuses the whole file (``CatalogImportError`` lists every problem), so nothing changes."""
    known_levels = set(AgencyLevel.objects.values_list("code", flat=True))
    parsed, errors, seen = [], [], {}
    for row_number, raw in enumerate(records, start=1):
        if not isinstance(raw, dict):
            errors.append((row_number, "", "mỗi thủ tục phải là một đối tượng JSON."))
            continue
        data, row_errors = parse_procedure(raw, known_levels=known_levels)
        if data.code in seen:
            row_errors.append(f"mã thủ tục trùng với dòng {seen[data.code]}.")
        seen.setdefault(data.code, row_number)
        errors += [(row_number, data.code, message) for message in row_errors]
        parsed.append(data)
    if errors:
        raise CatalogImportError(errors)

    summary = ImportSummary()
    current = {
        p.code: p.current_version
        for p in Procedure.objects.filter(code__in=seen).select_related("current_version")
    }
    for data in parsed:
        version = current.get(data.code)
        if version is not None and _same_content(procedure_data_from_version(version), data):
            summary.unchanged += 1
            continue
        procedure_publish(version=procedure_version_create(data=data))
        if version is None:
            summary.created += 1
        else:
            summary.updated += 1
    return summary


def catalog_export(*, as_csv: bool = False) -> str:
    versions = (
        ProcedureVersion.objects.filter(status=ProcedureVersion.Status.PUBLISHED)
        .select_related("procedure", "interop_level")
        .prefetch_related("fields", "agency_levels", "documents", "fees", "steps")
        .order_by("procedure__code")
    )
    records = [procedure_data_from_version(v).to_json() for v in versions]
    if not as_csv:
        return json.dumps({"format": FORMAT, "procedures": records}, ensure_ascii=False, indent=1)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, extrasaction="ignore")
    writer.writeheader()
    for rec in records:
        row = dict(rec)
        row["fields"] = "\n".join(rec["fields"])
        row["agency_levels"] = "\n".join(rec["agency_levels"])
        row["documents"] = "\n".join(
            f"{d['name']}|{d['originals']}|{d['copies']}|{int(d['optional'])}"
            for d in rec["documents"]
        )
        row["fees"] = "\n".join(
            f"{f['description']}|{f['amount']}|{f['paid_when']}|{f['exemptions']}"
            for f in rec["fees"]
        )
        row["steps"] = "\n".join(
            f"{s['name']}|{s['role']}|{s['unit_function']}|{s['budget_hours']}"
            for s in rec["steps"]
        )
        row["is_interop"] = int(rec["is_interop"])
        row["post_allowed"] = int(rec["post_allowed"])
        row["effective_from"] = rec["effective_from"] or ""
        writer.writerow({name: csv_safe(value) for name, value in row.items()})
    return out.getvalue()
