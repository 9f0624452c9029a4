from typing import Any

import pytest
from django.core.management import call_command

from lape.directory.models import Organization, Service
from lape.search.index import search_services


@pytest.mark.django_db
def test_it_rebuilds_the_index_and_says_how_many(capsys: Any) -> None:
    org = Organization.objects.create(name="Pohjois-Savon hyvinvointialue", kind="wellbeing_county")
    clinic = Service.objects.create(organization=org, name="Lastenneuvola")
    call_command("rebuild_search_index")
    assert "Indexed 1 service" in capsys.readouterr().out
    assert [pk for pk, _score in search_services("neuvolaan", "fi")] == [clinic.pk]


@pytest.mark.django_db
def test_it_loads_the_search_vocabulary_with_the_demo() -> None:
    from lape.search.models import Concept

    call_command("demo")
    assert Concept.objects.filter(source="need").exists()
    assert Concept.objects.filter(source="ptv").exists()


@pytest.mark.django_db
def test_it_reindexes_an_organisations_services_only_when_its_name_changes(
    django_assert_max_num_queries: Any,
) -> None:
    org = Organization.objects.create(name="Pohjois-Savon hyvinvointialue", kind="wellbeing_county")
    Service.objects.create(organization=org, name="Lastenneuvola")
    org.email = "info@pshyvinvointialue.example"
    # the read of the stored name, the save, history, the directory version (cached API pages)
    with django_assert_max_num_queries(5):
        org.save()
    org.name = "Itä-Savon hyvinvointialue"
    org.save()
    assert [pk for pk, _score in search_services("itä-savo", "fi")]
