"""The staff's admin for the core: cities, organisations, partnerships, grants, datasets with file
uploads, ingestion runs, messages, jobs and partners' API tokens; and the read-only bases the
apps' admins build on."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any, TypeVar, cast

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AdminDateWidget
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Field as DatabaseField
from django.db.models import Model
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.defaultfilters import pluralize
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django_stubs_ext import WithAnnotations

from cities.audit import personal_data_view_record
from cities.http import private_response
from cities.ingestion import IngestionError, registered_schemas
from cities.models import (
    ApiToken,
    City,
    CityQuerySet,
    Dataset,
    Grant,
    GrantTotals,
    IngestionRun,
    Job,
    MessageOptOut,
    Organization,
    Partnership,
    SentMessage,
)
from cities.permissions import may_upload_to
from cities.services import ingestion_run_offer
from cities.tokens import api_token_create
from cities.waiting import UnresolvedFailureFilter

# The admin is the staff's workplace: it carries the portal's name, and its home page lists
# what waits for each team (templates/admin/index.html, cities/staff_home.py).
ModelT = TypeVar("ModelT", bound=Model)

admin.site.site_header = "Civic Portal staff"
admin.site.site_title = "Civic Portal staff"
admin.site.index_title = "Staff home"


class PartnershipInline(admin.TabularInline[Partnership, Model]):
    model = Partnership
    extra = 0
    autocomplete_fields = ["organization", "city"]


class GrantInline(admin.TabularInline[Grant, City]):
    model = Grant
    extra = 0
    fk_name = "city"
    autocomplete_fields = ["funder"]


@admin.register(City)
class CityAdmin(admin.ModelAdmin[City]):
    list_display = ["name", "state", "role", "focus", "grant_total"]
    list_filter = ["role", "state"]
    search_fields = ["name", "state", "slug", "focus"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [PartnershipInline, GrantInline]

    def get_queryset(self, request: HttpRequest) -> CityQuerySet:
        # The admin asks City's manager, whose queryset is a CityQuerySet.
        return cast(CityQuerySet, super().get_queryset(request)).with_grant_totals()

    @admin.display(description="Grants", ordering="grant_total")
    def grant_total(self, city: WithAnnotations[City, GrantTotals]) -> str:
        return f"${city.grant_total:,.2f}"


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin[Organization]):
    list_display = ["name", "kind", "home_city", "website"]
    list_filter = ["kind", "home_city"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}
    list_select_related = ["home_city"]
    inlines = [PartnershipInline]


@admin.register(Partnership)
class PartnershipAdmin(admin.ModelAdmin[Partnership]):
    list_display = ["organization", "city", "role", "contribution"]
    list_filter = ["role", "city", "organization__kind"]
    search_fields = ["organization__name", "city__name", "contribution"]
    list_select_related = ["organization", "city"]
    autocomplete_fields = ["organization", "city"]


@admin.register(Grant)
class GrantAdmin(admin.ModelAdmin[Grant]):
    list_display = ["reference", "city", "funder", "amount_in_dollars", "starts_on", "ends_on"]
    list_filter = ["city__role", "city", "funder"]
    search_fields = ["reference", "purpose", "city__name", "funder__name"]
    list_select_related = ["city", "funder"]
    autocomplete_fields = ["city", "funder"]
    date_hierarchy = "starts_on"

    @admin.display(description="Amount", ordering="amount")
    def amount_in_dollars(self, grant: Grant) -> str:
        return f"${grant.amount:,.2f}"

    def changelist_view(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        response = super().changelist_view(request, extra_context)
        # A redirect (e.g. after a bulk action) has no change list to total.
        if isinstance(response, TemplateResponse) and response.context_data and "cl" in response.context_data:
            response.context_data["grants_total"] = response.context_data["cl"].queryset.total()
        return response


class IngestionRunInline(admin.TabularInline[IngestionRun, Dataset]):
    model = IngestionRun
    extra = 0
    max_num = 0
    can_delete = False
    show_change_link = True
    fields = readonly_fields = (
        "created_at",
        "file_name",
        "status",
        "rows_read",
        "rows_created",
        "rows_updated",
        "rows_rejected",
    )
    ordering = ["-created_at"]


class UploadForm(forms.Form):
    file = forms.FileField(help_text="A CSV file in the dataset's format, shown below.")


@admin.register(Dataset)
class DatasetAdmin(admin.ModelAdmin[Dataset]):
    list_display = ["title", "city", "publisher", "update_frequency", "schema", "contains_personal_data"]
    list_filter = ["city", "update_frequency", "contains_personal_data", "publisher__kind"]
    search_fields = ["title", "slug", "description", "source", "publisher__name"]
    list_select_related = ["city", "publisher"]
    autocomplete_fields = ["city", "publisher"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [IngestionRunInline]

    def formfield_for_dbfield(
        self, db_field: DatabaseField[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> forms.Field | None:
        if db_field.name == "schema":
            choices = [("", "— only catalogued —")] + [(slug, slug) for slug in sorted(registered_schemas())]
            return forms.ChoiceField(choices=choices, required=False, help_text=db_field.help_text)
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        dataset = self.get_object(request, object_id)
        may_upload = dataset is not None and may_upload_to(request.user, dataset)
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), "may_upload": may_upload})

    def get_urls(self) -> list[URLPattern]:
        upload = path(
            "<int:dataset_id>/upload/",
            self.admin_site.admin_view(self.upload_view),
            name="cities_dataset_upload",
        )
        return [upload, *super().get_urls()]

    @staticmethod
    def _report_offered_run(request: HttpRequest, run: IngestionRun) -> None:
        """Say what became of the file: in the embedded mode the run has ended by now; with a
        worker it is queued, and its page follows it."""
        run.refresh_from_db(fields=["status", "error_count", "rows_created", "rows_updated"])
        if run.status == IngestionRun.Status.FAILED:
            messages.error(
                request,
                f"The file {run.file_name} was refused: {run.error_count} problem{pluralize(run.error_count)}, "
                "listed below; nothing was changed.",
            )
        elif run.status == IngestionRun.Status.SUCCEEDED:
            messages.success(
                request,
                f"The file {run.file_name} was ingested: {run.rows_created} created, {run.rows_updated} updated.",
            )
        else:
            messages.info(
                request, f"The file {run.file_name} was received and waits to be ingested; this page follows it."
            )

    def upload_view(self, request: HttpRequest, dataset_id: int) -> HttpResponse:
        """Staff offer a file to a dataset; it is ingested by a task, whose run they watch."""
        dataset = get_object_or_404(Dataset, pk=dataset_id)
        if not may_upload_to(request.user, dataset):
            raise PermissionDenied
        form = UploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                run = ingestion_run_offer(
                    dataset=dataset, stream=upload, file_name=upload.name, requested_by=request.user
                )
            except IngestionError as error:
                form.add_error("file", str(error))
            else:
                self._report_offered_run(request, run)
                return HttpResponseRedirect(reverse("admin:cities_ingestionrun_change", args=[run.pk]))
        schema = registered_schemas().get(dataset.schema)
        context = {
            **self.admin_site.each_context(request),
            "title": f"Upload a file to {dataset}",
            "dataset": dataset,
            "form": form,
            "columns": schema.documentation() if schema else [],
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/cities/dataset/upload.html", context)


class ReadOnlyModelAdmin(admin.ModelAdmin[ModelT]):
    """Records the portal keeps itself (runs, messages, ingested rows): staff browse, never
    edit or delete; ingested rows change only by ingesting a newer file."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


class ReadOnlyInline(admin.TabularInline[ModelT, Model]):
    """The related records of a read-only record, listed with a link to each."""

    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(IngestionRun)
class IngestionRunAdmin(ReadOnlyModelAdmin[IngestionRun]):
    list_display = [
        "id",
        "dataset",
        "file_name",
        "status",
        "created_at",
        "rows_read",
        "rows_created",
        "rows_updated",
        "rows_unchanged",
        "rows_rejected",
    ]
    list_filter = [UnresolvedFailureFilter, "status", "dataset__city", "dataset"]
    search_fields = ["file_name", "file_checksum", "dataset__title", "dataset__slug"]
    list_select_related = ["dataset"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "dataset",
        "status",
        "file_name",
        "file_link",
        "file_checksum",
        "file_size",
        "requested_by",
        "created_at",
        "started_at",
        "finished_at",
        "rows_read",
        "rows_created",
        "rows_updated",
        "rows_unchanged",
        "rows_rejected",
        "error_count",
    ]
    exclude = ["file", "errors"]

    @admin.display(description="File")
    def file_link(self, run: IngestionRun) -> str:
        return format_html("{} ({} bytes)", run.file_name, run.file_size)

    # Whoever may offer files may fetch an offered one back, to see what the run read.
    DOWNLOAD_PERMISSIONS = ("cities.view_ingestionrun", "cities.add_ingestionrun")

    def get_urls(self) -> list[Any]:
        download = path(
            "<int:run_id>/file/", self.admin_site.admin_view(self.file_view), name="cities_ingestionrun_file"
        )
        return [download, *super().get_urls()]

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        extra = {**(extra_context or {}), "can_download": request.user.has_perms(self.DOWNLOAD_PERMISSIONS)}
        return super().change_view(request, object_id, form_url, extra)

    def file_view(self, request: HttpRequest, run_id: int) -> FileResponse:
        """The file as it was offered, under the name it was offered with."""
        if not request.user.has_perms(self.DOWNLOAD_PERMISSIONS):
            raise PermissionDenied
        run = get_object_or_404(IngestionRun.objects.select_related("dataset"), pk=run_id)
        if not run.file:
            raise Http404("the run keeps no file")
        if run.dataset.contains_personal_data:
            personal_data_view_record(viewer=request.user, instance=run, why="downloaded the offered file")
        response = FileResponse(run.file.open("rb"), as_attachment=True, filename=run.file_name)
        return private_response(response)


@admin.register(SentMessage)
class SentMessageAdmin(ReadOnlyModelAdmin[SentMessage]):
    """What the portal sent, for support and audit; the address is kept only as a digest."""

    list_display = ["created_at", "purpose", "channel", "status", "subject", "sent_at"]
    list_filter = ["status", "channel", "purpose"]
    search_fields = ["idempotency_key", "subject"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "purpose",
        "channel",
        "status",
        "subject",
        "idempotency_key",
        "failure_reason",
        "created_at",
        "sent_at",
    ]
    exclude = ["recipient_digest"]


@admin.register(MessageOptOut)
class MessageOptOutAdmin(ReadOnlyModelAdmin[MessageOptOut]):
    list_display = ["created_at", "channel"]
    list_filter = ["channel"]
    exclude = ["recipient_digest"]


@admin.register(Job)
class JobAdmin(ReadOnlyModelAdmin[Job]):
    """The long tasks workers ran, how often each was taken (more than once: a worker died and
    the lease sweep sent it again) and its summary; for operations."""

    list_display = ["created_at", "task_name", "status", "attempts", "lease_expires_at", "finished_at"]
    list_filter = ["status", "task_name"]
    search_fields = ["task_id"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "task_name",
        "task_id",
        "args",
        "kwargs",
        "queue",
        "status",
        "attempts",
        "lease_expires_at",
        "created_at",
        "finished_at",
        "result",
        "error",
    ]
    exclude = ["lease_holder"]


class ApiTokenCreateForm(forms.Form):
    user = forms.ModelChoiceField(
        queryset=get_user_model().objects.filter(is_active=True).order_by("username"),
        help_text="The account whose permissions the token carries (a partner's account for partners).",
    )
    label = forms.CharField(
        max_length=100, required=False, help_text="What the token is for, e.g. the partner's system."
    )
    expires_on = forms.DateField(
        required=False,
        widget=AdminDateWidget,
        help_text="The token is refused after this day. Leave empty for a token that does not expire.",
    )

    def clean_expires_on(self) -> date | None:
        expires_on: date | None = self.cleaned_data["expires_on"]
        if expires_on is not None and expires_on < timezone.localdate():
            raise forms.ValidationError("Choose today or a later day.")
        return expires_on


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin[ApiToken]):
    """Tokens are made here: the key is shown once, on the page that follows; the list and each
    token's page show only its first characters. Staff may relabel a token, change its expiry
    (to end it now, set today) or delete it."""

    list_display = ["prefix", "user", "label", "created_at", "created_by", "expires_at", "state"]
    list_filter = [("expires_at", admin.EmptyFieldListFilter)]
    search_fields = ["prefix", "user__username", "label"]
    list_select_related = ["user", "created_by"]
    fields = ["prefix", "user", "label", "created_at", "created_by", "expires_at"]
    readonly_fields = ["prefix", "user", "created_at", "created_by"]

    @admin.display(description="state")
    def state(self, token: ApiToken) -> str:
        return "expired" if token.is_expired(now=timezone.now()) else "active"

    def add_view(
        self, request: HttpRequest, form_url: str = "", extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = ApiTokenCreateForm(request.POST or None)
        context = {**self.admin_site.each_context(request), "opts": self.model._meta, "form": form}
        if request.method == "POST" and form.is_valid():
            expires_on = form.cleaned_data["expires_on"]
            token, key = api_token_create(
                user=form.cleaned_data["user"],
                created_by=request.user,
                label=form.cleaned_data["label"],
                expires_at=_end_of(expires_on) if expires_on else None,
            )
            # Rendered, not redirected: the key never passes through a message or a URL.
            context.update(title=f"{token} was made", token=token, key=key)
            return TemplateResponse(request, "admin/cities/apitoken/created.html", context)
        context["title"] = "Make an API token"
        return TemplateResponse(request, "admin/cities/apitoken/add.html", context)


def _end_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))
