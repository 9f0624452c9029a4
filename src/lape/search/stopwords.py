"""Stop words of Finnish, Swedish and English: the little words a search should not match on.

Short lists on purpose (after the Snowball lists), plus the colloquial Finnish that parents write.
Finnish lemmas are listed too, because Voikko turns "on" into "olla" and "mitä" into "mikä".
"""

from __future__ import annotations


def _word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


FINNISH = _word_set(
    """
    ja tai sekä eli mutta vaan että kun jos koska kuin niin myös vain jo nyt sitten vielä kanssa
    ei en et emme ette eivät älä
    olla on ovat olen olet olemme olette oli olivat ollut ole olisi
    minä sinä hän me te he mä sä se ne mun sun sen niiden meidän teidän heidän minun sinun hänen meiän
    tämä tuo nämä nuo tätä tuota tässä siinä siellä täällä tähän siihen tämän sitä niitä jotta kuten
    joka jotka mikä mitä kuka ketä miten miksi missä mistä mihin milloin
    voi voisi pitää pitäisi saa
    """
)

SWEDISH = _word_set(
    """
    och att det som en ett i på med till av för från om men eller så då när samt
    jag du han hon vi ni de den dem min mitt mina din ditt dina vår vårt våra er
    är var har hade vara varit blir blev kan kunde ska skulle vill måste
    inte ej hur vad vem var vilken vilket vilka här där denna detta dessa
    hos åt över under efter utan mot vid genom mycket
    """
)

ENGLISH = _word_set(
    """
    a an the and or but if then so than as of at by for from in into on onto to with about
    i me my we our you your he him his she her it its they them their this that these those
    is are was were be been being am have has had do does did can could will would should may might must
    not no how what who whom which where when why
    up out off over very just get got any some
    """
)

STOP_WORDS = {"fi": FINNISH, "sv": SWEDISH, "en": ENGLISH}
