"""Reading the catalog: the published procedures, the search citizens type into, and who
handles a procedure where.

Search folds diacritics on both sides (``catalog.text.fold``), keeps the procedures whose
folded text has any word of the query as the start of a word, and ranks them with
``catalog.search.search_rank`` (all words in the name first, then in order, early and whole);
lists without a query are in Vietnamese order (``catalog.text.sort_key``). See
docs/adr/0018-catalog-search-any-word.md.
"""

from dataclasses import dataclass

from django.db import connection
from django.db.models import Case, Count, F, Prefetch, Q, QuerySet, Value, When
from django.db.models.functions import Collate

from motcua.agencies.models import Agency, AgencyLevel
from motcua.catalog.models import Fee, Field, ProcedureVersion, RequiredDocument
from motcua.catalog.search import SearchQuery, search_rank
from motcua.catalog.text import sort_key
from motcua.ttlcache import TTLCache


def by_sort_key():
    """``ProcedureVersion.sort_key`` compared code point by code point, on any database."""
    return Collate(F("sort_key"), "C" if connection.vendor == "postgresql" else "BINARY")


def fields_in_use() -> list[Field]:
    """Fields that have at least one procedure in force, in Vietnamese order, each with
    ``procedure_count``: an empty field is not a category a citizen can pick."""
    fields = Field.objects.annotate(
        procedure_count=Count(
            "versions", filter=Q(versions__status=ProcedureVersion.Status.PUBLISHED)
        )
    ).filter(procedure_count__gt=0)
    return sorted(fields, key=lambda f: sort_key(f.name))


def levels_in_use() -> QuerySet[AgencyLevel]:
    """Agency levels that have at least one procedure in force, from the top."""
    return (
        AgencyLevel.objects.filter(procedure_versions__status=ProcedureVersion.Status.PUBLISHED)
        .distinct()
        .order_by("rank", "name")
    )


def published_versions() -> QuerySet[ProcedureVersion]:
    return ProcedureVersion.objects.filter(status=ProcedureVersion.Status.PUBLISHED)


def _with_list_relations(qs: QuerySet[ProcedureVersion]) -> QuerySet[ProcedureVersion]:
    return qs.select_related("procedure").prefetch_related(
        "fields", "agency_levels", Prefetch("fees", queryset=Fee.objects.order_by("order"))
    )


@dataclass
class SearchResult:
    total: int
    versions: list[ProcedureVersion]


def procedure_search(
    *,
    query: str = "",
    field_code: str = "",
    level_code: str = "",
    offset: int = 0,
    limit: int = 20,
) -> SearchResult:
    """Published procedures matching any word of ``query`` (diacritics optional), best first
    (``catalog.search``); without a query, all of them in Vietnamese order."""
    qs = published_versions()
    if field_code:
        qs = qs.filter(fields__code=field_code)
    if level_code:
        qs = qs.filter(agency_levels__code=level_code)
    parsed = SearchQuery(query)
    if not parsed:
        total = qs.count()
        ordered = qs.order_by(by_sort_key(), "pk")
        page = list(_with_list_relations(ordered)[offset : offset + limit])
        return SearchResult(total=total, versions=page)
    # The rank's first term, how many words are in the name, is counted by the database in
    # one aggregate; only the rows of the counts the page falls in are ranked in Python.
    any_word = Q()
    for start in parsed.starts:
        any_word |= Q(search_text__contains=start)
    matching = qs.filter(any_word).annotate(name_hits=_name_hits(parsed))
    groups = list(matching.values_list("name_hits").annotate(n=Count("pk")).order_by("-name_hits"))
    total = sum(n for _, n in groups)
    wanted, skipped, seen = [], 0, 0
    for name_hits, n in groups:
        if seen + n > offset and seen < offset + limit:
            wanted.append(name_hits)
        elif seen + n <= offset:
            skipped += n
        seen += n
    if wanted == [len(parsed.starts)]:  # the usual first page: every word in the name
        rows = qs.filter(*[Q(search_name__contains=start) for start in parsed.starts])
    else:
        rows = matching.filter(name_hits__in=wanted)
    candidates = list(rows.values_list("pk", "search_name", "search_text", "sort_key"))
    candidates.sort(key=lambda row: (search_rank(parsed, name=row[1], text=row[2]), row[3], row[0]))
    page_ids = [row[0] for row in candidates[offset - skipped : offset - skipped + limit]]
    by_id = {v.pk: v for v in _with_list_relations(published_versions().filter(pk__in=page_ids))}
    return SearchResult(total=total, versions=[by_id[pk] for pk in page_ids])


def _name_hits(query: SearchQuery):
    """How many words of ``query`` start a word of the name: ``search_rank``'s first term."""
    return sum(
        Case(When(search_name__contains=start, then=Value(1)), default=Value(0))
        for start in query.starts
    )


def procedure_get_published(*, code: str) -> ProcedureVersion | None:
    return (
        published_versions()
        .filter(procedure__code=code)
        .select_related("procedure", "interop_level")
        .prefetch_related("fields", "agency_levels", "documents", "fees", "steps")
        .first()
    )


_receivable: TTLCache[ProcedureVersion] = TTLCache(seconds=60)


def procedure_version_for_receipt(*, code: str) -> ProcedureVersion | None:
    """The version of procedure ``code`` that applies, for receiving a dossier; kept for a
    minute per process (receiving checks again, as it writes, that it still applies)."""

    def load():
        versions = published_versions().filter(procedure__code=code)
        return versions.select_related("procedure").first()

    return _receivable.get(code, load)


def procedure_version_for_receipt_forget(*, code: str) -> None:
    _receivable.forget(code)


# --- who handles a procedure, and where --------------------------------------------------


def agencies_handling(*, version: ProcedureVersion) -> list[Agency]:
    """The agencies a citizen can hand ``version``'s procedure in to: the active agencies of
    its levels that have a one-stop desk, from the top level down and in Vietnamese order,
    with their desks and office hours."""
    levels = [level.pk for level in version.agency_levels.all()]
    agencies = (
        Agency.objects.filter(is_active=True, level_id__in=levels, desks__isnull=False)
        .distinct()
        .select_related("level")
        .prefetch_related("desks", "office_hours")
    )
    return sorted(agencies, key=lambda a: (a.level.rank, sort_key(a.name)))


@dataclass
class FieldProcedures:
    field: Field
    versions: list[ProcedureVersion]


def procedures_of_agency(*, agency: Agency) -> list[FieldProcedures]:
    """The procedures in force that ``agency`` handles (``agencies_handling``'s rule, seen
    from the agency): by field, fields and names in Vietnamese order. None for an agency
    without a desk or not active."""
    if not agency.is_active or not agency.desks.exists():
        return []
    versions = (
        published_versions()
        .filter(agency_levels=agency.level_id)
        .select_related("procedure")
        .prefetch_related("fields")
        .order_by(by_sort_key(), "pk")
    )
    by_field: dict[int, FieldProcedures] = {}
    for version in versions:
        for field in version.fields.all():
            by_field.setdefault(field.pk, FieldProcedures(field, [])).versions.append(version)
    return sorted(by_field.values(), key=lambda group: sort_key(group.field.name))


def required_document_for_download(*, code: str, document_id: int) -> RequiredDocument | None:
    """A document of a version of procedure ``code`` that was published (in force or
    superseded: a citizen may hold an older page); never a draft's."""
    return (
        RequiredDocument.objects.filter(
            pk=document_id,
            version__procedure__code=code,
            version__status__in=[
                ProcedureVersion.Status.PUBLISHED,
                ProcedureVersion.Status.SUPERSEDED,
            ],
        )
        .select_related("version")
        .first()
    )
