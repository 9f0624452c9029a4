"""The query mix of the search speed benchmark: what families type, in Finnish, Swedish and English.

Each query has a kind, so the figures can be read by kind:

- `common`: a word in most of the national data's services (tens of thousands of matches, the worst case);
- `rare`: a word or a place that few services have, or none;
- `misspelt`: a typo of a service word, as a family types it;
- `need`: several words describing a situation rather than a service;
- `filtered`: any of the above with the issue's filters (municipality, county, age, language, level,
  low_threshold, free, open_now, lat/lon/radius_km, postcode).

The national data (lape.directory.national) repeats 22 service templates over every municipality, so
a template's words match about 1/22 of the services each, and words in many templates (child, family,
support) match most of them. Places are the real municipalities: Kuopio is 297, in Pohjois-Savo (13);
Vaasa is 905, in Pohjanmaa (17), where many services are in Swedish.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

Params = tuple[tuple[str, str], ...]

KUOPIO = (("municipality", "297"),)
POHJOIS_SAVO = (("county", "13"),)
POHJANMAA = (("county", "17"),)
NEAR_KUOPIO = (("lat", "62.8924"), ("lon", "27.6783"), ("radius_km", "20"))
NEAR_HELSINKI = (("lat", "60.1699"), ("lon", "24.9384"), ("radius_km", "10"))


@dataclass(frozen=True)
class SearchQuery:
    """One search: the text, its language, its kind and any filter parameters."""

    text: str
    lang: str
    kind: str
    filters: Params = field(default=())

    @property
    def label(self) -> str:
        """The query as the report shows it: text, language and filters."""
        extra = " ".join(f"{name}={value}" for name, value in self.filters)
        return f"{self.text!r} ({self.lang}){' ' + extra if extra else ''}"

    def path(self, supported: set[str], per_page: int, lang_param: str | None) -> str:
        """The API path of this search, with only the parameters the API documents."""
        params: list[tuple[str, str]] = [("search", self.text), ("per_page", str(per_page))]
        if lang_param:
            params.append((lang_param, self.lang))
        params += [(name, value) for name, value in self.filters if name in supported]
        return "/api/hsds/services?" + urlencode(params)


QUERIES: tuple[SearchQuery, ...] = (
    # common words: tens of thousands of matches
    SearchQuery("lapsi", "fi", "common"),
    SearchQuery("perhe", "fi", "common"),
    SearchQuery("tuki lapsille", "fi", "common"),
    SearchQuery("barn", "sv", "common"),
    SearchQuery("familj", "sv", "common"),
    SearchQuery("child", "en", "common"),
    SearchQuery("family support", "en", "common"),
    # rarer words and places: a template's services, a town's, or nothing
    SearchQuery("puheterapia", "fi", "rare"),
    SearchQuery("elatusapu", "fi", "rare"),
    SearchQuery("perhekummi", "fi", "rare"),
    SearchQuery("Kuopio", "fi", "rare"),
    SearchQuery("hammaslääkäri", "fi", "rare"),
    SearchQuery("talterapi", "sv", "rare"),
    SearchQuery("umgängesrätt", "sv", "rare"),
    SearchQuery("speech therapy", "en", "rare"),
    SearchQuery("custody", "en", "rare"),
    # misspellings
    SearchQuery("lastenneovola", "fi", "misspelt"),
    SearchQuery("puheterapija", "fi", "misspelt"),
    SearchQuery("kuraatori", "fi", "misspelt"),
    SearchQuery("barnrådgivnig", "sv", "misspelt"),
    SearchQuery("skolkuratr", "sv", "misspelt"),
    SearchQuery("speach therapy", "en", "misspelt"),
    SearchQuery("councelling", "en", "misspelt"),
    # needs in a family's words
    SearchQuery("vauva ei nuku öisin", "fi", "need"),
    SearchQuery("lasta kiusataan koulussa", "fi", "need"),
    SearchQuery("eroamme, miten sovimme lasten asumisesta", "fi", "need"),
    SearchQuery("uupunut äiti tarvitsee apua kotiin", "fi", "need"),
    SearchQuery("stödfamilj för mitt barn", "sv", "need"),
    SearchQuery("mitt barn mobbas i skolan", "sv", "need"),
    SearchQuery("bullying at school", "en", "need"),
    SearchQuery("my teenager does not go to school", "en", "need"),
    SearchQuery("we are expecting our first baby", "en", "need"),
    # with filters
    SearchQuery("neuvola", "fi", "filtered", KUOPIO),
    SearchQuery("lapsi", "fi", "filtered", (*POHJOIS_SAVO, ("age", "1"), ("age", "12"))),
    SearchQuery("perhe", "fi", "filtered", (*KUOPIO, ("free", "true"), ("open_now", "true"))),
    SearchQuery("puheterapia", "fi", "filtered", NEAR_KUOPIO),
    SearchQuery("kerho", "fi", "filtered", (("postcode", "70100"), ("radius_km", "15"))),
    SearchQuery("barn", "sv", "filtered", (*POHJANMAA, ("language", "sv"))),
    SearchQuery("stöd för familjen", "sv", "filtered", (*POHJANMAA, ("level", "targeted"))),
    SearchQuery("family", "en", "filtered", (*NEAR_HELSINKI, ("language", "en"))),
    SearchQuery("help for parents", "en", "filtered", (("low_threshold", "true"), ("age", "3"))),
    SearchQuery("school", "en", "filtered", (("municipality", "091"), ("age", "9"), ("open_now", "true"))),
)


def interleaved(queries: tuple[SearchQuery, ...]) -> list[SearchQuery]:
    """The queries with the kinds taken in turn, so that any run of consecutive queries is a mix."""
    by_kind: dict[str, list[SearchQuery]] = {}
    for query in queries:
        by_kind.setdefault(query.kind, []).append(query)
    mixed: list[SearchQuery] = []
    while any(by_kind.values()):
        for kind_queries in by_kind.values():
            if kind_queries:
                mixed.append(kind_queries.pop(0))
    return mixed


MIX = interleaved(QUERIES)

# The filter parameters the mix uses (the report says which of them the API under test lacks).
FILTER_PARAMS = tuple(dict.fromkeys(name for query in QUERIES for name, _value in query.filters))
