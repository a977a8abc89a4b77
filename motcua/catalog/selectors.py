"""Reading the catalog: the published procedures and the search citizens type into.

Search folds diacritics on both sides (``catalog.text.fold``), keeps the procedures whose
folded text has every word of the query as the start of a word, then ranks them in Python:
exact name, name beginning with the query, the query as a phrase, all words in the name, the
query with its diacritics as typed. See docs/adr/0005-catalog-search.md.
"""

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from motcua.catalog.models import Fee, Field, ProcedureVersion
from motcua.catalog.text import fold
from motcua.ttlcache import TTLCache


def fields_in_use() -> QuerySet[Field]:
    """Fields that have at least one procedure in force, by name."""
    return (
        Field.objects.filter(versions__status=ProcedureVersion.Status.PUBLISHED)
        .distinct()
        .order_by("name")
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


def _score(query: str, folded_query: str, words: list[str], name: str) -> int:
    folded_name = fold(name)
    score = 0
    if folded_name == folded_query:
        score += 1000
    elif folded_name.startswith(folded_query + " ") or folded_name.startswith(folded_query):
        score += 600
    elif f" {folded_query} " in f" {folded_name} ":
        score += 400
    name_words = set(folded_name.split())
    score += 50 * sum(1 for w in words if w in name_words)
    if query.strip().lower() in name.lower():
        score += 100  # the query as typed, diacritics included
    return score - len(folded_name) // 10  # among equals, the shorter name is the closer one


def procedure_search(
    *,
    query: str = "",
    field_code: str = "",
    level_code: str = "",
    offset: int = 0,
    limit: int = 20,
) -> SearchResult:
    """Published procedures matching ``query`` (diacritics optional), best first."""
    qs = published_versions()
    if field_code:
        qs = qs.filter(fields__code=field_code)
    if level_code:
        qs = qs.filter(agency_levels__code=level_code)
    folded_query = fold(query)
    words = folded_query.split()
    for word in words:
        qs = qs.filter(search_text__contains=f" {word}")
    if not words:
        total = qs.count()
        page = list(_with_list_relations(qs.order_by("name", "pk"))[offset : offset + limit])
        return SearchResult(total=total, versions=page)
    candidates = list(qs.values_list("pk", "name").distinct())
    candidates.sort(key=lambda row: (-_score(query, folded_query, words, row[1]), row[1], row[0]))
    page_ids = [pk for pk, _ in candidates[offset : offset + limit]]
    by_id = {v.pk: v for v in _with_list_relations(published_versions().filter(pk__in=page_ids))}
    return SearchResult(total=len(candidates), versions=[by_id[pk] for pk in page_ids])


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
