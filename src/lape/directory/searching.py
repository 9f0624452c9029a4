"""The directory's door to search: the HSDS API asks here, the search app answers.

Dependencies point one way (areas <- directory <- search), so the directory does not import the
search app; the search app registers its search here when Django starts (SearchConfig.ready).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence

__all__ = ["FILTER_PARAMETERS", "LIFE_SITUATIONS", "SearchError", "register_search", "search_service_ids"]

# The search filters' query-string parameters, shared by the API and the family's pages.
FILTER_PARAMETERS = (
    "municipality",
    "county",
    "age",
    "language",
    "level",
    "low_threshold",
    "free",
    "open_now",
    "lat",
    "lon",
    "postcode",
    "radius_km",
    "situation",
)

# The life situations of the family's start page: a search filter (`situation`), and the need
# vocabulary's groups (lape.search.needs).
LIFE_SITUATIONS = (
    "expecting",
    "baby",
    "under-school-age",
    "school-age",
    "teenager",
    "separation",
    "moving-to-finland",
    "worried-about-child",
    "peer-support",
)

Params = Mapping[str, str | Sequence[str]]
# (words, language, query-string parameters, offset, limit) -> (service ids best first, total)
SearchFunction = Callable[[str, str, Params, int, int], tuple[list[uuid.UUID], int]]

_search: list[SearchFunction] = []


class SearchError(ValueError):
    """A search parameter that cannot be used; `field` names it, the message says what to do."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def register_search(function: SearchFunction) -> None:
    """Make `function` the search behind the directory's API (the search app calls this)."""
    _search[:] = [function]


def search_service_ids(
    text: str, lang: str, params: Params, offset: int, limit: int
) -> tuple[list[uuid.UUID], int]:
    """Active services for the words and filters, best first, and how many match in all."""
    if not _search:
        raise RuntimeError("No search is registered: add lape.search to INSTALLED_APPS.")
    return _search[0](text, lang, params, offset, limit)
