"""Compound splitting by a lexicon of known words, for Finnish (without Voikko) and Swedish.

A word is split into known parts by longest match: the first part is a known word (or one of its
compound-forming shapes: Finnish genitives such as "lasten", Swedish linking -s-/-e- or a dropped final
vowel), and the last part is a known word in any inflection (compared by its Snowball stem). Each part
is returned as its base word, so the caller stems it the same way as a query word.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import lru_cache


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words that families and service texts put into compounds. Simple words only: a word listed here is
# never split further. The index can add its own vocabulary with `add_compound_words`.
_FINNISH_WORDS = _words(
    """
aamu apu arki asia asunto avio ero hoito huolto ilta isä jatko keskus kasvatus kehitys kerho kesä
kiusaaminen koti koulu kriisi kuraattori leikki lapsi lääkäri mieli neuvola neuvonta nuori ohjaus opetus
ongelma palvelu perhe psykologi puhe puisto pulma päivä päihde raskaus riita ryhmä sairaus sosiaali
suojelu synnytys talvi terapia terveys toiminta tuki työ uni vanhempi vauva vertais väkivalta yö äiti
huoli harrastus kuntoutus oppilas opiskelija hyvinvointi ensi kieli maahanmuuttaja vammainen vamma
erityis varhais aika hätä häiriö hoitaja keskustelu koulutus liikunta nuoriso oppi paikka
päiväkoti seura taito tila tutkimus vapaa ystävä kumppani lähi ruoka syöminen imetys
ala luokka järjestelmä elämä pari suhde kunta valta asuminen raha etuus lupa hakemus laki oikeus
sopimus päivystys vastaanotto käynti ennaltaehkäisy matala kynnys hammas silmä suu lääke rokotus
seulonta kaksonen sisarus isovanhempi sijais huostaanotto avo liitto kasvu valmennus kurssi tulkki
kotoutuminen jakso loma leiri tapaaminen
"""
)

# Shapes a Finnish word takes as the first part of a compound, with the base word they stand for.
FINNISH_FORMS = {
    "lasten": "lapsi",
    "lapsen": "lapsi",
    "perheen": "perhe",
    "perheiden": "perhe",
    "nuorten": "nuori",
    "nuoren": "nuori",
    "nuoriso": "nuoriso",
    "vanhempien": "vanhempi",
    "vanhempain": "vanhempi",
    "vanhemmuuden": "vanhempi",
    "mielen": "mieli",
    "äidin": "äiti",
    "äitien": "äiti",
    "isän": "isä",
    "isien": "isä",
    "kodin": "koti",
    "koulun": "koulu",
    "vauvan": "vauva",
    "vauvojen": "vauva",
    "päivän": "päivä",
    "yön": "yö",
    "raskauden": "raskaus",
    "terveyden": "terveys",
    "puheen": "puhe",
    "kasvatuksen": "kasvatus",
    "kehityksen": "kehitys",
    "oppilaan": "oppilas",
    "ryhmän": "ryhmä",
    "avioeron": "ero",
    "eron": "ero",
    "hyvinvoinnin": "hyvinvointi",
}

_SWEDISH_WORDS = _words(
    """
barn familj stöd rådgivning rådgivare mottagning skola kurator hälsa vård omsorg föräldrar förälder
mamma pappa bebis baby sömn problem hjälp tjänst center central grupp kamrat träff lek park mobbning
skydd social arbete terapi psykolog läkare samtal hem service ungdom ung kris våld missbruk skilsmässa
graviditet förlossning dag natt tid mat språk fritid hobby elev studie lärare vän nätverk
natur miljö hand under boende bostad pengar ansökan lag rätt avtal jour besök tand öga vaccination
syskon far mor fosterhem placering utveckling kurs tolk integration läger verksamhet ekonomi sjukvård
"""
)

_LANGUAGES = ("fi", "sv")
_extra_words: dict[str, set[str]] = {lang: set() for lang in _LANGUAGES}

_MIN_PART = 2
_MAX_WORD = 50


def add_compound_words(lang: str, words: Iterable[str]) -> None:
    """Teach the splitter more simple words (e.g. the ontology's labels); reindex after changing it."""
    _extra_words[lang].update(word.lower() for word in words if word.isalpha())
    _lexicon.cache_clear()
    split_compound.cache_clear()


@lru_cache(maxsize=4)
def _lexicon(lang: str) -> tuple[dict[str, str], dict[str, str]]:
    """The first-part shapes (shape -> base word) and the last-part stems (stem -> base word)."""
    from lape.search.stemming import stem_word

    words = set(_FINNISH_WORDS if lang == "fi" else _SWEDISH_WORDS) | _extra_words[lang]
    heads = {word: word for word in words}
    if lang == "fi":
        heads.update(FINNISH_FORMS)
    else:
        for word in words:
            heads.setdefault(word + "s", word)  # ungdom|s|mottagning
            heads.setdefault(word + "e", word)  # familj|e|rådgivning
            if word[-1] in "ae" and len(word) > 3:
                heads.setdefault(word[:-1], word)  # skol(a)|kurator
    tails = {stem_word(word, lang): word for word in words}
    return heads, tails


@lru_cache(maxsize=20_000)
def split_compound(word: str, lang: str) -> tuple[str, ...]:
    """The base words of a compound's parts ("lastenneuvola" -> lapsi, neuvola); () when not a compound."""
    from lape.search.stemming import stem_word

    if lang not in _LANGUAGES or len(word) > _MAX_WORD or len(word) < 2 * _MIN_PART:
        return ()
    heads, tails = _lexicon(lang)
    if stem_word(word, lang) in tails or word in heads:
        return ()  # a known simple word
    parts = _split(word, heads, lambda rest: tails.get(stem_word(rest, lang)))
    return tuple(parts) if parts and len(parts) > 1 else ()


def _split(word: str, heads: dict[str, str], last: Callable[[str], str | None]) -> list[str] | None:
    """Longest known first part, then the rest split the same way or known as a whole."""
    for end in range(len(word) - _MIN_PART, _MIN_PART - 1, -1):
        head = heads.get(word[:end])
        if head is None:
            continue
        rest = word[end:]
        final = last(rest)
        if final is not None:
            return [head, final]
        tail = _split(rest, heads, last)
        if tail:
            return [head, *tail]
    return None
