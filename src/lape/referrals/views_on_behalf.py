"""A professional's contact request on a family's behalf (Social Welfare Act 1301/2014, 35 §).

A professional who meets a family in need of social services contacts the family centre for it:
with the family's consent (recorded, in force for the professional's organisation), or, when the
need is urgent, without one, saying why. The action (`requests.submit_request_for_family`) checks
which with `access` and logs it; a request without either is refused with the reason on the page.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from lape.accounts.acting import actor_required
from lape.directory.models import FamilyCentre
from lape.people.registry import find_by_identity_code

from .forms import REQUEST_LANGUAGES, OnBehalfForm
from .requests import submit_request_for_family
from .views import actor_of, apply_errors, render_work
from .views_referrals import person_by_code

NO_CONSENT = "no_consent"


@never_cache
@require_http_methods(["GET", "POST"])
@actor_required
def request_new(request: HttpRequest) -> HttpResponse:
    """The form of a request on a family's behalf; after it, the overview with the request's reference."""
    actor = actor_of(request)
    language = (get_language() or "fi")[:2]
    initial = {"language": language if language in dict(REQUEST_LANGUAGES) else "fi"}
    form = OnBehalfForm(request.POST or None, centres=FamilyCentre.objects.all(), initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            urgent = data["urgent_reason"].strip()
            if not urgent and find_by_identity_code(data["identity_code"]) is None:
                # Nobody registered has a recorded consent: refuse before registering anyone.
                form.add_error(
                    "urgent_reason",
                    _("No consent is recorded for this person. If the need is urgent, say why."),
                )
            else:
                try:
                    submitted = submit_request_for_family(
                        actor,
                        person=person_by_code(
                            data["identity_code"], data["given_names"], data["family_name"]
                        ),
                        worry=data["worry"],
                        children_ages=data["children_ages"],
                        language=data["language"],
                        contact_method=data["contact_method"],
                        contact_name=data["contact_name"],
                        contact_phone=data["contact_phone"],
                        contact_email=data["contact_email"],
                        contact_times=data["contact_times"],
                        urgent_reason=urgent,
                        family_centre=data["family_centre"],
                    )
                except ValidationError as error:
                    status = apply_errors(form, _consent_to_reason(error))
                else:
                    messages.success(
                        request,
                        _("The request was sent to the family centre. Its reference is %(reference)s.")
                        % {"reference": submitted.request.reference},
                    )
                    return HttpResponseRedirect(reverse("referrals:work"))
    return render_work(request, "referrals/on_behalf.html", {"form": form}, section="requests", status=status)


def _consent_to_reason(error: ValidationError) -> ValidationError:
    """The action's "no consent" error belongs next to the field that can fix it: the urgent reason."""
    if hasattr(error, "error_dict") and "consent" in error.error_dict:
        errors = dict(error.error_dict)
        errors["urgent_reason"] = errors.pop("consent")
        return ValidationError(errors)
    return error
