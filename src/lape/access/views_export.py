"""The family's copy of their data: download it as JSON (machine-readable) or as a PDF (readable).

GDPR 2016/679, article 15 (the right of access) and article 20 (data portability). What it holds and
how each record's export is logged: lape.access.family_export; the JSON's structure: docs/family-view.md.
"""

from __future__ import annotations

import json

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from lape.accounts.family import FamilyMember, family_member_required

from .export_pdf import as_pdf
from .family_export import as_json, family_export


def _download(content: bytes, content_type: str, extension: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    name = f"lape-family-export-{timezone.localdate():%Y-%m-%d}.{extension}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@never_cache
@require_GET
@family_member_required
def family_export_json(request: HttpRequest) -> HttpResponse:
    """The family's data as one JSON document (UTF-8), every record's export logged."""
    member: FamilyMember = request.family_member  # type: ignore[attr-defined]
    document = as_json(family_export(member))
    content = json.dumps(document, ensure_ascii=False, indent=2).encode()
    return _download(content, "application/json; charset=utf-8", "json")


@never_cache
@require_GET
@family_member_required
def family_export_pdf(request: HttpRequest) -> HttpResponse:
    """The family's data as a readable PDF, every record's export logged."""
    member: FamilyMember = request.family_member  # type: ignore[attr-defined]
    return _download(as_pdf(family_export(member)), "application/pdf", "pdf")
