"""`{% acting_as %}`: the "who am I acting as" header fragment (also `{% include "accounts/_acting_as.html" %}`)."""

from __future__ import annotations

from typing import Any

from django import template

from lape.accounts.acting import active_memberships, current_membership, is_verified
from lape.accounts.roles import needs_second_factor

register = template.Library()


@register.inclusion_tag("accounts/acting_as.html", takes_context=True)
def acting_as(context: template.Context) -> dict[str, Any]:
    """The logged-in user's current membership (role, organisation, unit), or nothing when logged out."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if request is None or user is None or not user.is_authenticated:
        return {"membership": None, "user": user}
    membership = current_membership(request)
    return {
        "membership": membership,
        "user": user,
        "request": request,
        "several": len(active_memberships(request)) > 1,
        "verified": is_verified(request),
        "needs_second_factor": membership is not None and needs_second_factor(membership.role),
        "csrf_token": context.get("csrf_token"),
    }
