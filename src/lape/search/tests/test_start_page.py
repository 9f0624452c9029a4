"""The start page: a search box and the nine life situations, each with a few of its needs."""

from __future__ import annotations

from urllib.parse import quote_plus

import pytest
from django.test import Client

from lape.search.needs import LIFE_SITUATIONS, needs_in

pytestmark = pytest.mark.django_db


def _page(client: Client, lang: str) -> str:
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=lang)
    assert response.status_code == 200
    return response.content.decode()


def test_it_offers_a_search_box_that_works_without_javascript(client: Client) -> None:
    page = _page(client, "en")
    assert '<form class="search-box" method="get" action="/search/" role="search">' in page
    assert '<label for="q">What do you need help with?</label>' in page
    assert '<input id="q" name="q" type="search"' in page


def test_it_links_every_life_situation_to_its_search(client: Client) -> None:
    page = _page(client, "en")
    for situation in LIFE_SITUATIONS:
        assert f'href="/search/?situation={situation}"' in page
    assert ">Expecting a baby</a>" in page
    assert ">Looking for peer support</a>" in page


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_it_shows_needs_in_the_pages_language_as_searches(client: Client, lang: str) -> None:
    page = _page(client, lang)
    need = needs_in("teenager")[0]
    phrase = need.label(lang)
    assert f'href="/search/?q={quote_plus(phrase)}"' in page.replace("%20", "+")
    assert f'<html lang="{lang}">' in page


def test_it_speaks_finnish_and_swedish(client: Client) -> None:
    assert ">Odotamme vauvaa</a>" in _page(client, "fi")
    assert ">Vi väntar barn</a>" in _page(client, "sv")


def test_it_has_a_skip_link_landmarks_and_a_language_switch_that_keeps_the_page(client: Client) -> None:
    page = _page(client, "en")
    assert '<a class="skip" href="#main">Skip to content</a>' in page
    assert '<main id="main"' in page
    assert '<header class="site-header">' in page
    assert '<footer class="site-footer">' in page
    assert '<input id="language-next" name="next" type="hidden" value="/">' in page
