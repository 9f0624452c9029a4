"""Synthetic HSDS services in the Finnish profile for the import and export tests."""

from __future__ import annotations

import uuid
from typing import Any

from lape.areas.models import Municipality

ORG_ID = "5d2f6a3e-0000-4000-8000-000000000001"
SERVICE_ID = "5d2f6a3e-0000-4000-8000-000000000002"
LOCATION_ID = "5d2f6a3e-0000-4000-8000-000000000003"


def make_kuopio() -> Municipality:
    """The municipality the samples refer to (297 Kuopio)."""
    return Municipality.objects.create(code="297", name_fi="Kuopio", name_sv="Kuopio")


def new_id() -> str:
    return str(uuid.uuid4())


def organization(org_id: str = ORG_ID) -> dict[str, Any]:
    return {
        "id": org_id,
        "name": "Kuopion kaupunki",
        "description": "Kunta",
        "organization_kind": "municipality",
        "business_id": "0112038-9",
        "municipality_code": "297",
        "translations": {"sv": {"name": "Kuopio stad"}, "en": {"name": "City of Kuopio"}},
        "funding": [{"id": "5d2f6a3e-0000-4000-8000-0000000000f1", "source": "Kunnan budjetti"}],
    }


def service(
    service_id: str = SERVICE_ID, org_id: str = ORG_ID, name: str = "Lastenneuvola"
) -> dict[str, Any]:
    """A full service with every kind of nested object."""
    sid = service_id[:-12]
    return {
        "id": service_id,
        "name": name,
        "description": "Neuvola alle kouluikäisten lasten perheille.",
        "status": "active",
        "minimum_age": 0,
        "maximum_age": 7,
        "service_level": "universal",
        "free_of_charge": True,
        "referral_required": False,
        "anonymous": False,
        "drop_in": True,
        "translations": {"sv": {"name": "Barnrådgivning"}, "en": {"name": "Child health clinic"}},
        "organization": organization(org_id),
        "phones": [
            {"id": sid + "0000000000a1", "number": "+358 17 123 4567", "extension": 12,
             "languages": [{"id": sid + "0000000000b1", "code": "fi", "name": "suomi"}]}
        ],
        "schedules": [
            {"id": sid + "0000000000c1", "freq": "WEEKLY", "byday": "MO,TU", "opens_at": "08:00:00",
             "closes_at": "16:00:00", "timezone": 2},
            {"id": sid + "0000000000c2", "valid_from": "2025-12-24", "valid_to": "2025-12-26", "closed": True},
        ],
        "service_areas": [{"id": sid + "0000000000d1", "municipality_code": "297"}],
        "service_at_locations": [
            {
                "id": sid + "0000000000e1",
                "location": {
                    "id": LOCATION_ID,
                    "location_type": "physical",
                    "name": "Neuvolatalo",
                    "municipality_code": "297",
                    "latitude": 62.89,
                    "longitude": 27.68,
                    "addresses": [
                        {"id": LOCATION_ID[:-12] + "0000000000a2", "address_1": "Kauppakatu 1", "city": "Kuopio",
                         "postal_code": "70100", "country": "FI", "state_province": "Pohjois-Savo",
                         "address_type": "physical"}
                    ],
                    "accessibility": [{"id": LOCATION_ID[:-12] + "0000000000a3", "description": "Esteetön"}],
                },
            }
        ],
        "cost_options": [{"id": sid + "0000000000f2", "option": "Maksuton", "amount": 0, "currency": "EUR"}],
        "contacts": [{"id": sid + "0000000000f3", "title": "Terveydenhoitaja", "email": "neuvola@example.fi"}],
        "attributes": [
            {
                "id": sid + "0000000000f4",
                "value": "KR1.2",
                "taxonomy_term": {
                    "id": "5d2f6a3e-0000-4000-8000-0000000000e5",
                    "code": "KR1.2",
                    "name": "Lapsiperheet",
                    "description": "",
                    "taxonomy_detail": {"id": "5d2f6a3e-0000-4000-8000-0000000000e6", "name": "Kohderyhmät",
                                        "description": ""},
                },
            }
        ],
        "required_documents": [{"id": sid + "0000000000f5", "document": "Kela-kortti"}],
    }  # fmt: skip
