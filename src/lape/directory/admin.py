"""The publishers' back office: the directory in the Django admin, narrowed to the user's organisations.

Every ModelAdmin and inline asks `permissions` which records the user may see and edit; a record of
another organisation is "not found" (404), whether it is opened by URL, posted to or reached
through an inline. Changes are kept with django-simple-history, inline changes included.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import models
from django.db.models import QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from . import permissions
from .admin_forms import translation_form, with_translations
from .models import (
    Address,
    Attribute,
    Contact,
    CostOption,
    FamilyCentre,
    Language,
    Location,
    Organization,
    Phone,
    Publisher,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)
from .quality import Problem, quality_report

admin.site.site_header = _("LAPE back office")
admin.site.site_title = _("LAPE back office")
admin.site.index_title = _("Services and organisations")
admin.site.index_template = "admin/lape_index.html"

NOT_YOURS = _(
    "You can only save records of your own organisation. Choose your organisation, or one of its "
    "services or locations, and save again."
)


def _user(request: HttpRequest) -> Any:
    return request.user


def _scoped_foreignkey(
    db_field: models.ForeignKey[Any, Any], request: HttpRequest, kwargs: dict[str, Any]
) -> None:
    """Limit the choices of a foreign key to the records the user may edit."""
    user = _user(request)
    if permissions.is_superuser(user):
        return
    remote = db_field.remote_field.model
    if remote is Location:
        kwargs["queryset"] = permissions.locations_choosable_for(user)
    elif remote in permissions.OWNER_PATHS:
        kwargs["queryset"] = permissions.scope_for(user, remote._default_manager.all())
    if remote is Organization and db_field.name in {"organization", "coordinator"}:
        # A publisher's record without an organisation would vanish from their own view.
        kwargs["required"] = True


class ScopedAdmin(admin.ModelAdmin):
    """A ModelAdmin that shows and edits only the records of the user's organisations."""

    exclude = ("extra", "translations")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return permissions.scope_for(_user(request), super().get_queryset(request))

    def get_object(self, request: HttpRequest, object_id: str, from_field: str | None = None) -> Any:
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            # The same answer for "missing" and "another organisation's": nothing leaks.
            raise Http404(gettext("No such record, or it belongs to another organisation."))
        return obj

    def _allowed(self, request: HttpRequest, obj: Any) -> bool:
        return obj is None or permissions.can_edit(_user(request), obj)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_view_permission(request, obj) and self._allowed(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_change_permission(request, obj) and self._allowed(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_delete_permission(request, obj) and self._allowed(request, obj)

    def formfield_for_foreignkey(
        self, db_field: models.ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> Any:
        _scoped_foreignkey(db_field, request, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, change, **kwargs)
        user = _user(request)
        if permissions.is_superuser(user):
            return form

        class ScopedForm(form):  # type: ignore[valid-type,misc]
            def _post_clean(self) -> None:
                super()._post_clean()
                if not permissions.can_edit(user, self.instance):
                    self.add_error(None, NOT_YOURS)

        ScopedForm.__name__ = form.__name__
        return ScopedForm

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        user = _user(request)
        # Defence in depth: the record as stored and as it will be stored must both be the user's.
        stored_ok = (
            not change or permissions.scope_for(user, self.model._default_manager.filter(pk=obj.pk)).exists()
        )
        if not (stored_ok and permissions.can_edit(user, obj)):
            raise PermissionDenied
        super().save_model(request, obj, form, change)


class HistoryAdmin(ScopedAdmin, SimpleHistoryAdmin):
    """A scoped admin with change history; inline changes leave a record on the parent's history."""

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        reason = inline_change_summary(formsets)
        if not reason:
            return
        obj = form.instance
        latest = obj.history.order_by("-history_date", "-history_id").first()
        if (form.has_changed() or not change) and latest is not None:
            # The record save_model just wrote: give it the reason instead of writing another.
            latest.history_change_reason = reason
            latest.save(update_fields=["history_change_reason"])
        else:
            # Only the inlines changed: save the parent so that its history (and the HSDS
            # last_modified) shows the change, with who made it.
            obj._change_reason = reason
            obj._history_user = request.user
            obj.save()


def inline_change_summary(formsets: list[BaseInlineFormSet]) -> str:
    """A short change reason such as "schedules: 1 added, 1 changed" (history keeps 100 characters)."""
    parts = []
    for formset in formsets:
        added = len(getattr(formset, "new_objects", []))
        changed = len(getattr(formset, "changed_objects", []))
        deleted = len(getattr(formset, "deleted_objects", []))
        if not (added or changed or deleted):
            continue
        counts = []
        if added:
            counts.append(gettext("added: %(count)d") % {"count": added})
        if changed:
            counts.append(gettext("changed: %(count)d") % {"count": changed})
        if deleted:
            counts.append(gettext("deleted: %(count)d") % {"count": deleted})
        parts.append(f"{formset.model._meta.verbose_name_plural}: {', '.join(counts)}")
    return "; ".join(parts)[:100]


class ScopedInline(admin.TabularInline):
    """An inline whose rows and choices are limited to the user's organisations."""

    extra = 0
    exclude = ("extra",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return permissions.scope_for(_user(request), super().get_queryset(request))

    def _allowed(self, request: HttpRequest, obj: Any) -> bool:
        return obj is None or permissions.can_edit(_user(request), obj)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_add_permission(request, obj) and self._allowed(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_change_permission(request, obj) and self._allowed(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_delete_permission(request, obj) and self._allowed(request, obj)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_view_permission(request, obj) and self._allowed(request, obj)

    def formfield_for_foreignkey(
        self, db_field: models.ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> Any:
        _scoped_foreignkey(db_field, request, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


SCHEDULE_FIELDS = (
    "byday",
    "opens_at",
    "closes_at",
    "valid_from",
    "valid_to",
    "closed",
    "description",
    "notes",
)


class ServiceScheduleInline(ScopedInline):
    model = Schedule
    fk_name = "service"
    fields = SCHEDULE_FIELDS
    verbose_name_plural = _("opening hours")


class LocationScheduleInline(ServiceScheduleInline):
    fk_name = "location"


class ServiceAtLocationScheduleInline(ServiceScheduleInline):
    fk_name = "service_at_location"


class ServicePhoneInline(ScopedInline):
    model = Phone
    fk_name = "service"
    fields = ("number", "extension", "type", "description")


class LocationPhoneInline(ServicePhoneInline):
    fk_name = "location"


class OrganizationPhoneInline(ServicePhoneInline):
    fk_name = "organization"


class ServiceAtLocationPhoneInline(ServicePhoneInline):
    fk_name = "service_at_location"


class ServiceLanguageInline(ScopedInline):
    model = Language
    fk_name = "service"
    fields = ("code", "name", "note")


class LocationLanguageInline(ServiceLanguageInline):
    fk_name = "location"


class ServiceServiceAreaInline(ScopedInline):
    model = ServiceArea
    fk_name = "service"
    fields = ("municipality", "name", "description")
    autocomplete_fields = ("municipality",)


class ServiceAtLocationServiceAreaInline(ServiceServiceAreaInline):
    fk_name = "service_at_location"


class CostOptionInline(ScopedInline):
    model = CostOption
    fields = ("option", "amount", "currency", "amount_description", "valid_from", "valid_to")


class ServiceContactInline(ScopedInline):
    model = Contact
    fk_name = "service"
    fields = ("name", "title", "department", "email")


class OrganizationContactInline(ServiceContactInline):
    fk_name = "organization"


class ServiceAtLocationContactInline(ServiceContactInline):
    fk_name = "service_at_location"


class ServiceAtLocationInline(ScopedInline):
    model = ServiceAtLocation
    fk_name = "service"
    fields = ("location", "description")
    autocomplete_fields = ("location",)
    show_change_link = True


class AddressInline(ScopedInline):
    model = Address
    fields = ("address_1", "address_2", "postal_code", "city", "country", "address_type")


SERVICE_TEXT = ("name", "alternate_name", "description")


@admin.register(Service)
class ServiceAdmin(HistoryAdmin):
    form = translation_form(Service)
    list_display = (
        "name",
        "organization",
        "service_level",
        "status",
        "low_threshold",
        "assured_date",
        "last_modified",
    )
    list_filter = (
        "status",
        "service_level",
        "low_threshold",
        ("organization", admin.RelatedOnlyFieldListFilter),
    )
    search_fields = ("name", "alternate_name", "organization__name")
    list_select_related = ("organization",)
    autocomplete_fields = ("organization",)
    readonly_fields = ("low_threshold", "last_modified")
    object_history_template = "admin/directory/service/object_history.html"
    fieldsets = (
        (
            None,
            {"fields": with_translations(("organization", *SERVICE_TEXT, "status", "url", "email"), Service)},
        ),
        (
            _("Who the service is for and how to get it"),
            {
                "fields": with_translations(
                    (
                        "service_level",
                        ("free_of_charge", "referral_required", "anonymous", "drop_in"),
                        "low_threshold",
                        ("minimum_age", "maximum_age"),
                        "eligibility_description",
                        "application_process",
                        "wait_time",
                        "interpretation_services",
                    ),
                    Service,
                )
            },
        ),
        (
            _("Fees"),
            {"fields": with_translations(("fees_description", "fees"), Service), "classes": ("collapse",)},
        ),
        (
            _("Verification and notices"),
            {
                "fields": with_translations(
                    ("assured_date", "assurer_email", "alert", "accreditations", "licenses", "last_modified"),
                    Service,
                )
            },
        ),
    )
    inlines = (
        ServiceScheduleInline,
        ServiceAtLocationInline,
        ServiceServiceAreaInline,
        ServicePhoneInline,
        ServiceLanguageInline,
        CostOptionInline,
        ServiceContactInline,
    )

    def get_urls(self) -> list[URLPattern]:
        quality = path(
            "quality/",
            self.admin_site.admin_view(self.quality_view),
            name="directory_service_quality",
        )
        return [quality, *super().get_urls()]

    def quality_view(self, request: HttpRequest) -> HttpResponse:
        """The data-quality report over the services of the user's organisations."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        report = quality_report(self.get_queryset(request))
        problem = request.GET.get("problem") or ""
        if problem not in Problem.ALL:
            problem = ""
        rows = report.with_problem(problem)
        page_obj = Paginator(rows, 100).get_page(request.GET.get("p"))
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Data quality of your services"),
            "opts": self.model._meta,
            "report": report,
            "rows": rows,
            "page_obj": page_obj,
            "problem": problem,
            "problems": [
                {
                    "key": key,
                    "label": Problem.LABELS[key],
                    "advice": Problem.ADVICE[key],
                    "count": report.counts[key],
                }
                for key in Problem.ALL
            ],
            "changelist_url": reverse("admin:directory_service_changelist"),
        }
        return TemplateResponse(request, "directory/quality.html", context)

    def history_view(self, request: HttpRequest, object_id: str, extra_context: Any = None) -> Any:
        """The service's history, with the history of its opening hours below it."""
        history_model = Schedule.history.model
        schedule_history = (
            history_model.objects.filter(service_id=object_id)
            .select_related("history_user")
            .order_by("-history_date")[:50]
        )
        extra = {"schedule_history": schedule_history, **(extra_context or {})}
        return super().history_view(request, object_id, extra_context=extra)


@admin.register(Organization)
class OrganizationAdmin(HistoryAdmin):
    form = translation_form(Organization)
    list_display = ("name", "kind", "business_id", "municipality", "last_modified")
    list_filter = ("kind",)
    search_fields = ("name", "alternate_name", "business_id")
    autocomplete_fields = ("parent_organization", "municipality", "wellbeing_county")
    fieldsets = (
        (
            None,
            {
                "fields": with_translations(
                    ("name", "alternate_name", "description", "kind", "business_id"), Organization
                )
            },
        ),
        (
            _("Contact information"),
            {"fields": ("email", "website", "uri", "logo", "year_incorporated", "legal_status")},
        ),
        (_("Area"), {"fields": ("parent_organization", "municipality", "wellbeing_county")}),
    )
    inlines = (OrganizationPhoneInline, OrganizationContactInline)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if permissions.is_superuser(_user(request)):
            return ()
        # Who an organisation is (its kind, business ID and place) is kept by the administrators.
        return ("kind", "business_id", "parent_organization", "municipality", "wellbeing_county")


@admin.register(Location)
class LocationAdmin(HistoryAdmin):
    form = translation_form(Location)
    list_display = ("__str__", "organization", "location_type", "municipality")
    list_filter = ("location_type", ("organization", admin.RelatedOnlyFieldListFilter))
    search_fields = ("name", "alternate_name", "addresses__address_1", "addresses__city")
    autocomplete_fields = ("organization", "municipality")
    fieldsets = (
        (
            None,
            {
                "fields": with_translations(
                    (
                        "organization",
                        "location_type",
                        "name",
                        "alternate_name",
                        "description",
                        "transportation",
                    ),
                    Location,
                )
            },
        ),
        (
            _("Place"),
            {
                "fields": (
                    "municipality",
                    ("latitude", "longitude"),
                    "url",
                    "external_identifier",
                    "external_identifier_type",
                )
            },
        ),
    )
    inlines = (AddressInline, LocationScheduleInline, LocationPhoneInline, LocationLanguageInline)


@admin.register(ServiceAtLocation)
class ServiceAtLocationAdmin(HistoryAdmin):
    list_display = ("__str__", "service", "location")
    search_fields = ("service__name", "location__name")
    autocomplete_fields = ("service", "location")
    fields = ("service", "location", "description")
    inlines = (
        ServiceAtLocationScheduleInline,
        ServiceAtLocationServiceAreaInline,
        ServiceAtLocationPhoneInline,
        ServiceAtLocationContactInline,
    )


@admin.register(Schedule)
class ScheduleAdmin(HistoryAdmin):
    list_display = ("__str__", "service", "location", "service_at_location", "valid_from", "valid_to")
    list_filter = ("closed",)
    list_select_related = ("service", "location", "service_at_location")
    autocomplete_fields = ("service", "location", "service_at_location")
    search_fields = ("service__name", "location__name", "description")


@admin.register(Address)
class AddressAdmin(ScopedAdmin):
    list_display = ("__str__", "location")
    search_fields = ("address_1", "city", "postal_code")
    autocomplete_fields = ("location",)


@admin.register(Phone)
class PhoneAdmin(ScopedAdmin):
    list_display = ("number", "service", "location", "organization")
    search_fields = ("number",)
    autocomplete_fields = ("service", "location", "organization", "service_at_location")
    exclude = ("extra", "contact")


@admin.register(Contact)
class ContactAdmin(ScopedAdmin):
    list_display = ("__str__", "title", "email", "organization", "service")
    search_fields = ("name", "title", "email")
    autocomplete_fields = ("organization", "service", "location", "service_at_location")


@admin.register(Language)
class LanguageAdmin(ScopedAdmin):
    list_display = ("code", "name", "service", "location")
    search_fields = ("code", "name")
    autocomplete_fields = ("service", "location")
    exclude = ("extra", "phone")


@admin.register(ServiceArea)
class ServiceAreaAdmin(ScopedAdmin):
    list_display = ("__str__", "service", "municipality")
    search_fields = ("name", "service__name")
    autocomplete_fields = ("service", "service_at_location", "municipality")


@admin.register(CostOption)
class CostOptionAdmin(ScopedAdmin):
    list_display = ("__str__", "service", "amount", "currency")
    search_fields = ("option", "service__name")
    autocomplete_fields = ("service",)


@admin.register(FamilyCentre)
class FamilyCentreAdmin(HistoryAdmin):
    form = translation_form(FamilyCentre)
    list_display = ("name", "coordinator", "email")
    search_fields = ("name",)
    autocomplete_fields = ("coordinator", "municipalities", "services")
    fields = with_translations(
        ("name", "description", "coordinator", "municipalities", "services", "email", "phone", "url"),
        FamilyCentre,
    )


class SuperuserOnlyAdmin(admin.ModelAdmin):
    """Reference data that only administrators change; publishers may only look (if allowed)."""

    exclude = ("extra", "translations")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return permissions.is_superuser(_user(request))

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return permissions.is_superuser(_user(request))

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return permissions.is_superuser(_user(request))


@admin.register(Taxonomy)
class TaxonomyAdmin(SuperuserOnlyAdmin):
    form = translation_form(Taxonomy)
    list_display = ("name", "version", "uri")
    search_fields = ("name",)
    fields = with_translations(("name", "description", "uri", "version"), Taxonomy)


@admin.register(TaxonomyTerm)
class TaxonomyTermAdmin(SuperuserOnlyAdmin):
    form = translation_form(TaxonomyTerm)
    list_display = ("code", "name", "taxonomy")
    list_filter = ("taxonomy",)
    search_fields = ("code", "name")
    autocomplete_fields = ("parent", "taxonomy")
    fields = with_translations(
        ("code", "name", "description", "parent", "taxonomy", "taxonomy_name", "language", "term_uri"),
        TaxonomyTerm,
    )


@admin.register(Attribute)
class AttributeAdmin(SuperuserOnlyAdmin):
    list_display = ("link_entity", "link_id", "taxonomy_term", "value")
    list_filter = ("link_entity",)
    search_fields = ("link_id", "taxonomy_term__code", "taxonomy_term__name")
    autocomplete_fields = ("taxonomy_term",)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return permissions.is_superuser(_user(request))


@admin.register(Publisher)
class PublisherAdmin(SuperuserOnlyAdmin):
    list_display = ("user", "organization")
    search_fields = ("user__username", "organization__name")
    autocomplete_fields = ("user", "organization")

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return permissions.is_superuser(_user(request))
