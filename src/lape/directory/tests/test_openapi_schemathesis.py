"""Schemathesis over the whole OpenAPI document: no server errors, and every response true to its schema.

The API runs in-process (WSGI) against the test database holding a small synthetic directory, so
no network is needed; it runs on SQLite and on PostgreSQL (LAPE_DATABASE_URL).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import CHECKS, load_all_checks

from lape.directory.models import Organization, Service, ServiceAtLocation, Taxonomy, TaxonomyTerm
from lape.directory.tests.api_fixtures import Directory, build_directory

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())
schema.config.generation.update(modes=list(GenerationMode))

load_all_checks()
# Every built-in check: no 500, documented status codes, content types, headers and bodies, invalid
# input refused and valid input accepted, 405 with Allow for other methods, and the stateful ones.
ALL_CHECKS: list[Any] = list(CHECKS.get_all())


@schemathesis.deserializer("application/x-ndjson")
def _ndjson(ctx: schemathesis.DeserializationContext, response: Any) -> list[Any]:
    """NDJSON is documented as an array: one item a line."""
    text = response.content.decode(response.encoding or "utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


MODELS: dict[str, Any] = {
    "services": Service,
    "organizations": Organization,
    "service_at_locations": ServiceAtLocation,
    "taxonomies": Taxonomy,
    "taxonomy_terms": TaxonomyTerm,
}


@schema.hook
def flatmap_path_parameters(ctx: schemathesis.HookContext, path_parameters: Any) -> Any:
    """Besides random ids (404), ask for objects that exist, so 200 bodies are checked too."""
    collection = ctx.operation.path.removeprefix("/api/hsds/").split("/")[0] if ctx.operation else ""
    model = MODELS.get(collection)
    if model is None or not isinstance(path_parameters, dict):
        return st.just(path_parameters)
    ids = [str(pk) for pk in model.objects.values_list("pk", flat=True)]
    existing = st.sampled_from(ids).map(lambda pk: {**path_parameters, "id": pk})
    return st.one_of(existing, st.just(path_parameters)) if ids else st.just(path_parameters)


@pytest.fixture
def directory(db: None) -> Iterator[Directory]:
    """The test data; the WSGI handler must not close the connection that holds its transaction.

    Django's test client does the same: without it, PostgreSQL loses the test transaction after the
    first request.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield build_directory()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_it_conforms_to_its_openapi_document(case: schemathesis.Case, directory: Directory) -> None:
    case.call_and_validate(checks=ALL_CHECKS)
