"""The vocabulary in the back office: an administrator finds a concept by its words and opens it."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from lape.search.models import Concept
from lape.search.needs import load_needs

pytestmark = pytest.mark.django_db


@pytest.fixture
def administrator_client() -> Client:
    user = get_user_model().objects.create_superuser("administrator", password="not-a-real-password-2")
    client = Client()
    client.force_login(user)
    return client


def test_it_finds_a_need_by_one_of_its_phrasings(administrator_client: Client) -> None:
    load_needs()

    response = administrator_client.get(reverse("admin:search_concept_changelist"), {"q": "stödfamilj"})

    assert response.status_code == 200
    assert "urn:lape:need:support-family" in response.content.decode()
    assert "urn:lape:need:bullying" not in response.content.decode()


def test_it_opens_a_concept_with_its_labels(administrator_client: Client) -> None:
    load_needs()

    concept = Concept.objects.get(code="bullying")

    response = administrator_client.get(reverse("admin:search_concept_change", args=[concept.pk]))

    assert response.status_code == 200
    assert "koulukiusaaminen" in response.content.decode()


def test_it_lists_labels_with_their_concepts(administrator_client: Client) -> None:
    load_needs()

    response = administrator_client.get(reverse("admin:search_label_changelist"), {"q": "mobbning"})

    assert response.status_code == 200
    assert "urn:lape:need:bullying" in response.content.decode()


def test_it_keeps_the_vocabulary_from_a_stranger() -> None:
    client = Client()

    response = client.get(reverse("admin:search_concept_changelist"))

    assert response.status_code == 302
