"""The professionals' pages, what they share, and the overview (/work/).

The pages are thin: they parse a form, call one action or query of this app (which asks `access`
and logs), and render. A refusal by access is the same 404 as a missing record; a step the
workflow refuses (out of order, not theirs) is shown next to the form with status 409; bad input
with 400. The pages by topic: `views_family` (the family's form and status), `views_triage`
(queue and requests), `views_referrals` (referrals), `views_notifications`.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from lape.accounts.acting import Actor, actor_required
from lape.form_errors import apply_errors as put_errors

from .coordination import centres_coordinated_by
from .notifications import unread_count
from .steps import StepRefused


def actor_of(request: HttpRequest) -> Actor:
    """The actor `actor_required` set on the request."""
    actor: Actor = request.actor  # type: ignore[attr-defined]
    return actor


def render_work(
    request: HttpRequest, template: str, context: dict[str, Any], *, section: str, status: int = 200
) -> HttpResponse:
    """A professional's page: with the section marked in the navigation and the unread notifications."""
    actor = actor_of(request)
    full = {"section": section, "unread_notifications": unread_count(actor.user_id), **context}
    return render(request, template, full, status=status)


def apply_errors(form: forms.Form, error: ValidationError) -> int:
    """Put an action's errors next to the form's fields (others at the top); the status to answer with."""
    put_errors(form, error)
    return 409 if isinstance(error, StepRefused) else 400


@never_cache
@require_GET
@actor_required
def work(request: HttpRequest) -> HttpResponse:
    """The overview: the family centres whose queue the actor shares, and the ways to their own work.

    No counts of requests or referrals here: each would be a read of client data to log, for a
    page that only shows the way.
    """
    actor = actor_of(request)
    context = {"centres": list(centres_coordinated_by(actor)), "actor": actor}
    return render_work(request, "referrals/work.html", context, section="work")
