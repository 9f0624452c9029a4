"""The data controller's reviewer's pages: the register's break-the-glass reads, and marking one reviewed.

Who may: lape.plans.emergency_review (the reviewer's permission, in the register's organisation,
with a verified second factor); anyone else gets the same 404 as for a missing review, logged.
Server-rendered, no JavaScript: the list links each read to its own page with the review form.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from lape.accounts.acting import actor_required
from lape.form_errors import apply_errors
from lape.referrals.views import actor_of, render_work

from .emergency_review import MAX_NOTE, mark_reviewed, review_for, reviews_for
from .steps import StepRefused

SECTION = "emergency_reviews"


class ReviewForm(forms.Form):
    """What the review found (kept with the review; the read's own log row is never changed)."""

    note = forms.CharField(
        label=gettext_lazy("What the review found"),
        max_length=MAX_NOTE,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy(
            "For example: the emergency was real and the read was needed, or what was done."
        ),
    )


def _verify_first(request: HttpRequest) -> HttpResponse | None:
    """The reviewer reads what was written about children: the second factor first, as for client data."""
    if actor_of(request).verified:
        return None
    return HttpResponseRedirect(
        f"{reverse('accounts:verify')}?{urlencode({'next': request.get_full_path()})}"
    )


@never_cache
@require_GET
@actor_required
def emergency_reviews(request: HttpRequest) -> HttpResponse:
    """The emergency reads of the organisation's register: waiting for review first, then reviewed."""
    if (redirect := _verify_first(request)) is not None:
        return redirect
    rows = reviews_for(actor_of(request))
    context = {
        "waiting": [r for r in rows if r.review.reviewed_at is None],
        "reviewed": [r for r in rows if r.review.reviewed_at is not None],
    }
    return render_work(request, "plans/emergency_reviews.html", context, section=SECTION)


@never_cache
@require_http_methods(["GET", "POST"])
@actor_required
def emergency_review(request: HttpRequest, review_id: str) -> HttpResponse:
    """One emergency read, and the form to mark it reviewed with a note (POST)."""
    if (redirect := _verify_first(request)) is not None:
        return redirect
    actor = actor_of(request)
    form = ReviewForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                mark_reviewed(actor, review_id, form.cleaned_data["note"])
            except ValidationError as error:
                apply_errors(form, error)
                status = 409 if isinstance(error, StepRefused) else 400
            else:
                messages.success(request, _("The emergency read was marked reviewed."))
                return HttpResponseRedirect(reverse("plans:emergency_reviews"))
    row = review_for(actor, review_id)
    return render_work(
        request, "plans/emergency_review.html", {"row": row, "form": form}, section=SECTION, status=status
    )
