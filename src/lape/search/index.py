"""The service index: each service's analysed text per language, searchable on SQLite and PostgreSQL.

Per active service and language (fi, sv, en) the index keeps the terms `analyse()` gives for three
weights: the name (A); the alternate name, description and eligibility (B); the organisation's name and
the names of the service's taxonomy terms (C); and the facet terms the filters use (lape.search.facets).
Finnish is the base fields; Swedish and English only the translations that exist (a service without
Swedish text has a Swedish row with its facets and no text, rather than Finnish text analysed as
Swedish). The database backend (lape.search.backends) indexes those term strings as they
are, so both databases match on the same terms.

A query is analysed the same way, word by word; each word becomes the OR of its alternatives (base
form and compound parts: "unipulmat" -> unipulma | uni | pulma). The services that match every word
come first, ranked by relevance; the services that match only some words follow, also ranked, so a
family's longer sentence ("vauva ei nuku öisin") still finds something when no text has every word.

Writes go through signals (lape.search.signals) in the same transaction as the change, so an edit is
searchable at once. Bulk writes (the HSDS importer) call `reindex_services(ids)`.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable

from django.db import connection, transaction

from lape.directory.api_cache import bump_directory_version
from lape.directory.models import Attribute, Service
from lape.directory.translation import Translated
from lape.search.analysis import LANGUAGES, analyse, analyse_words, words
from lape.search.backends import Document, Expr, backend_for
from lape.search.expansion import forget_vocabulary
from lape.search.facets import facet_terms

__all__ = [
    "index_service",
    "rebuild_index",
    "reindex_services",
    "remove_service",
    "search_services",
    "service_documents",
]

DEFAULT_LIMIT = 50
MAX_LIMIT = 1000
# A family's query is a sentence at most; the rest of a pasted text would only slow the search.
MAX_QUERY_WORDS = 32
MAX_QUERY_CHARS = 1000
BATCH = 500

NAME_FIELDS = ("name",)
BODY_FIELDS = ("alternate_name", "description", "eligibility_description")


def _terms(text: str, lang: str) -> str:
    """The analysed terms of a text as one space-separated string, each a plain word."""
    return " ".join(piece for term in analyse(text, lang) for piece in words(term))


def _text(obj: Translated, fields: Iterable[str], lang: str) -> str:
    return " ".join(obj.text(field, lang, fallback=(lang == "fi")) for field in fields)


def service_documents(
    service: Service, term_names: dict[str, list[str]] | None = None, facets: str | None = None
) -> list[Document]:
    """The index rows of a service, one per language that has a name or text; `term_names` per language.

    Only active services are indexed: a search never shows an inactive, defunct or closed one.
    """
    if service.status != Service.Status.ACTIVE:
        return []
    if term_names is None:
        term_names = _taxonomy_names([service.pk]).get(service.pk, {})
    if facets is None:
        facets = facet_terms([service])[service.pk]
    documents = []
    organisation = service.organization
    for lang in LANGUAGES:
        name = _terms(_text(service, NAME_FIELDS, lang), lang)
        body = _terms(_text(service, BODY_FIELDS, lang), lang)
        # Every language has a row, with or without text in it: the facets filter in any language.
        context_text = " ".join([organisation.text("name", lang, fallback=False), *term_names.get(lang, [])])
        context = _terms(context_text, lang)
        documents.append(Document(service.pk, lang, name, body, context, facets))
    return documents


def _taxonomy_names(service_ids: list[uuid.UUID]) -> dict[uuid.UUID, dict[str, list[str]]]:
    """The names of the services' taxonomy terms, by service and language."""
    names: dict[uuid.UUID, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    attributes = Attribute.objects.filter(link_entity="service", link_id__in=service_ids).select_related(
        "taxonomy_term"
    )
    for attribute in attributes:
        for lang in LANGUAGES:
            name = attribute.taxonomy_term.text("name", lang, fallback=False)
            if name:
                names[attribute.link_id][lang].append(name)
    return names


def index_service(service: Service) -> None:
    """Write (or rewrite) one service's rows in the index."""
    backend_for(connection).replace([service.pk], service_documents(service))
    forget_vocabulary()


def remove_service(service_id: uuid.UUID) -> None:
    """Remove one service from the index."""
    backend_for(connection).replace([service_id], [])
    forget_vocabulary()


def reindex_services(service_ids: Iterable[uuid.UUID]) -> int:
    """Rewrite the index rows of these services (after bulk writes, which send no signals); returns how many."""
    ids = list(dict.fromkeys(service_ids))
    backend = backend_for(connection)
    count = 0
    with transaction.atomic():
        for start in range(0, len(ids), BATCH):
            batch = ids[start : start + BATCH]
            services = list(Service.objects.filter(pk__in=batch).select_related("organization"))
            names = _taxonomy_names([service.pk for service in services])
            facets = facet_terms(services)
            documents = [
                doc
                for service in services
                for doc in service_documents(service, names[service.pk], facets[service.pk])
            ]
            # Services that no longer exist are removed too.
            backend.replace(batch, documents)
            count += len(services)
    forget_vocabulary()
    return count


def rebuild_index() -> int:
    """Empty the index and index every service again; returns the number of services indexed."""
    with transaction.atomic():
        backend_for(connection).clear()
        # Every other reindex follows a directory write, which has moved the version on already.
        bump_directory_version()  # cached search pages (lape.directory.api_cache) are out of date
        return reindex_services(Service.objects.values_list("pk", flat=True).iterator())


def search_services(query: str, lang: str, limit: int = DEFAULT_LIMIT) -> list[tuple[uuid.UUID, float]]:
    """Service ids for a query's words in fi, sv or en as written, best first, with the index's score.

    The index alone, without corrections, synonyms, needs or filters (lape.search.query has those).
    An empty or meaningless query (only stop words, punctuation) gives an empty list.
    """
    limit = max(1, min(limit, MAX_LIMIT))
    groups = _query_groups(query, lang)
    if not groups:
        return []
    backend = backend_for(connection)
    every: Expr = ("and", [("or", list(group)) for group in groups])
    rows = backend.ranked(every, lang, limit)
    if len(groups) > 1 and len(rows) < limit:
        found = {row.service_id for row in rows}
        some: Expr = ("or", [term for group in groups for term in group])
        rows += [row for row in backend.ranked(some, lang, limit) if row.service_id not in found]
    return [(row.service_id, row.score) for row in rows[:limit]]


def _query_groups(query: str, lang: str) -> list[tuple[str, ...]]:
    """The query's words as groups of alternative plain-word terms, repeated words once."""
    groups: list[tuple[str, ...]] = []
    for word_terms in analyse_words(query[:MAX_QUERY_CHARS], lang):
        group = tuple(dict.fromkeys(piece for term in word_terms for piece in words(term)))
        if group and group not in groups:
            groups.append(group)
        if len(groups) == MAX_QUERY_WORDS:
            break
    return groups
