"""The public registry: list, permanent pages, exports, statistics; imports for administrators."""

import datetime as dt
from urllib.parse import quote

from django.conf import settings
from django.contrib.auth.decorators import login_required, permission_required
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agreements.choices import EntryStatus, Kind, TerminationStatus
from agreements.followup.permissions import user_can_view_followup
from agreements.permissions import may_amend, may_decide_termination, may_request_termination
from portal.core.listviews import FilteredListView, Keyset
from portal.core.pagecache import anonymous_page_cache
from portal.core.throttling import page_throttle_wait
from portal.geography.countries import place_label
from portal.geography.maps import choropleth
from portal.geography.models import State

from .. import charts, exports, forms, jobs, selectors, services
from ..filtersets import RegistryFilterSet
from ..models import ImportJob

PAGE_SIZE = 25
STAT_TITLES = {
    "state": gettext_lazy("Por entidad federativa"),
    "year": gettext_lazy("Por año de firma"),
    "level": gettext_lazy("Por nivel de gobierno"),
    "counterpart_type": gettext_lazy("Por tipo de contraparte"),
    "region": gettext_lazy("Por región del mundo"),
    "country": gettext_lazy("Principales países"),
    "subdivision": gettext_lazy("Principales estados o provincias extranjeros"),
    "theme": gettext_lazy("Por tema"),
    "kind": gettext_lazy("Por tipo de instrumento"),
    "status": gettext_lazy("Por situación (vigente, vencido, terminado)"),
}

_URL_SAFE = RFC3986_SUBDELIMS + "/~:@"  # what reverse() leaves unquoted in a path


def _filtered(request):
    filterset = RegistryFilterSet(request.GET or None, queryset=selectors.registered_agreements())
    return filterset, filterset.qs


def _rows(entries: list[dict], *, window: tuple[dt.date, dt.date]) -> list[dict]:
    """The list's rows with their labels and dates already formatted: the template only prints them.

    (``get_kind_display`` rebuilds and hashes the whole choice list on every call, and the ``date`` filter
    parses its format every time: 25 rows made them most of the page's time.)"""
    kinds = {key: str(label) for key, label in Kind.choices}
    prefix = reverse("agreements:registry_detail", args=["0"])[:-2]
    rows = []
    for e in entries:
        expires = e["expires_on"]
        state = selectors.expiry_state(expires, window)
        if e["status"] == EntryStatus.TERMINATED:
            expiry = ("status status-withdrawn", _("Terminado"))
        elif state == "open_ended":
            expiry = ("", _("Indefinida"))
        elif state == "expired":
            expiry = ("status status-withdrawn", _("Vencido"))
        elif state == "expiring":
            expiry = ("status status-not_viable", _("Vence el %(d)s") % {"d": f"{expires:%d/%m/%Y}"})
        else:
            expiry = ("", f"{expires:%d/%m/%Y}")
        country = (
            place_label(e["counterpart_country"], e["counterpart_subdivision"]) if e["counterpart_country"] else ""
        )
        state_name, municipality = e["state__short_name"], e["municipality__name"]
        rows.append(
            {
                "number": e["registry_number"],
                "url": prefix + quote(e["registry_number"], safe=_URL_SAFE) + "/",
                "title": e["title"],
                "kind": kinds.get(e["kind"], e["kind"]),
                "government": f"{municipality}, {state_name}" if municipality else state_name,
                "office": e["signing_office"],
                "counterpart": e["counterpart_name"],
                "country": country,
                "signed": f"{e['signed_on']:%d/%m/%Y}",
                "expiry_class": expiry[0],
                "expiry": expiry[1],
            }
        )
    return rows


class RegistryListView(FilteredListView):
    """The public list: newest signature first; a search never counts every match (past ``SEARCH_COUNT_CAP`` the
    page says «más de 100»), and its matches are paged at a bounded cost even when all are old."""

    template_name = "registry/registry_list.html"
    filterset_class = RegistryFilterSet
    keyset = Keyset(("signed_on", "id"), (dt.date, int), descending=True)
    # The search box, then the grid: «status» and «expiring» are the API's and the statistics' (the list shows
    # both in each row), and the themes are a group of check boxes below.
    form_fields = (
        "state",
        "municipality",
        "level",
        "counterpart_type",
        "region",
        "country",
        "subdivision",
        "kind",
        "year_min",
        "year_max",
        "in_force",
    )
    breadcrumbs = ((gettext_lazy("Registro público"), None),)

    def get_queryset(self):
        return selectors.registered_agreements()

    def searching(self) -> bool:
        return bool(self.request.GET.get("q", "").strip())

    def get_count_cap(self, filterset) -> int:
        return selectors.SEARCH_COUNT_CAP if self.searching() else selectors.COUNT_CAP

    def get_count_keys(self) -> bool:
        return self.searching()  # a search with few matches reads its page among the keys its count read

    def get_page_queryset(self, queryset):
        return selectors.registry_list_values(queryset)

    def get_page_options(self, filterset, *, capped: bool) -> dict:
        # A search's matches may all be old («Distrito Federal»): sort them when few, else walk a bounded window
        # of the newest entries, then seek them one signing year at a time (the search indexes hold the year).
        bounded = self.searching() and settings.USING_POSTGRES
        return {
            "sort_matches": bounded and not capped,
            "among": self.match_keys if self.searching() and not capped else None,
            "window_of": selectors.registered_agreements() if bounded and capped else None,
            "by_month": selectors.search_by_month(self.request.GET.get("q", "")) if bounded and capped else None,
        }

    def get_context_data(self, **context):
        context = super().get_context_data(**context)
        filterset = context["filterset"]
        return {
            **context,
            "rows": _rows(context["page"].items, window=selectors.expiring_soon()),
            # The filter form is cached per language and valid filter set (never when a value is invalid).
            "filters_key": selectors.filter_key(filterset) if not filterset.errors else "",
        }


# Anonymous visitors share the page until the registry changes (portal.core.pagecache).
registry_list = anonymous_page_cache(name="registry-list", version=selectors.registry_version)(
    RegistryListView.as_view()
)


def registry_detail(request, registry_number):
    original = selectors.registry_amendment_entry(registry_number)
    if original is not None:  # a modification's or extension's own number: its history is the original's page
        return redirect("agreements:registry_detail", registry_number=original)
    entry = selectors.registry_entry_detail(registry_number=registry_number)
    expiry = selectors.expiry_state(entry.expires_on, selectors.expiring_soon())
    certificate = getattr(entry, "certificate", None)
    checked = request.GET.get("constancia", "")
    may_request = may_request_termination(request.user, entry)
    may_decide = may_decide_termination(request.user)
    terminations = selectors.entry_terminations(entry) if (may_request or may_decide) else []
    pending = any(t.status == TerminationStatus.REQUESTED for t in terminations)
    return render(
        request,
        "registry/registry_detail.html",
        {
            "entry": entry,
            "terminated": entry.status == EntryStatus.TERMINATED,
            "terminations": terminations,
            "may_terminate": may_request and entry.terminated_on is None and not pending,
            "may_amend": may_amend(request.user, entry),
            "may_view_followup": entry.status == EntryStatus.IN_FORCE
            and entry.institution_id is not None
            and user_can_view_followup(request.user, entry),
            "expiring": expiry == "expiring",
            "expired": expiry == "expired",
            # «verificada» when the visitor arrives with a certificate hash that is this entry's (from the QR code's
            # verification page or a pasted link)
            "certificate": certificate,
            "certificate_verified": certificate is not None and checked.strip().lower() == certificate.sha256,
            "breadcrumbs": [
                (_("Registro público"), reverse("agreements:registry_list")),
                (entry.registry_number, None),
            ],
        },
    )


def registry_export(request):
    filterset, queryset = _filtered(request)
    if filterset.is_bound and not filterset.is_valid():
        return JsonResponse({"errors": filterset.errors}, status=400)
    file_format = "xlsx" if request.GET.get("formato") == "xlsx" else "csv"
    if exports.fits_in_a_request(queryset, file_format):
        return exports.WRITE_RESPONSES[file_format](queryset)
    try:
        job = jobs.export_job_start(file_format=file_format, params=jobs.export_params(request.GET), user=request.user)
    except jobs.ExportsBusy:
        response = render(request, "registry/registry_export_job.html", {"busy": True}, status=503)
        response["Retry-After"] = "60"
        return response
    return redirect("agreements:registry_export_job", pk=job.pk)


def _progress(job) -> dict:
    """How far a background job (an export or an import) has got, as its page polls it (``?json=1``)."""
    return {
        "status": job.status,
        "status_label": job.get_status_display(),
        "percent": job.percent,
        "processed": job.processed_rows,
        "total": job.total_rows,
    }


def _export_job_or_404(pk):
    job = selectors.export_job_get(pk)
    if job is None:
        raise Http404
    return job


def registry_export_job(request, pk):
    """A background export's page: a progress bar, then the download link until it expires."""
    job = _export_job_or_404(pk)
    if request.GET.get("json"):
        return JsonResponse({**_progress(job), "finished": job.finished or job.expired})
    query = "&".join(f"{quote(name)}={quote(value)}" for name, values in job.params.items() for value in values)
    return render(
        request,
        "registry/registry_export_job.html",
        {
            "job": job,
            "registry_query": query,
            "breadcrumbs": [(_("Registro público"), reverse("agreements:registry_list")), (_("Exportación"), None)],
        },
        status=410 if job.expired else 200,
    )


def registry_export_file(request, pk):
    job = _export_job_or_404(pk)
    if job.expired:
        return redirect("agreements:registry_export_job", pk=job.pk)
    if job.status != job.Status.DONE:
        raise Http404
    return FileResponse(
        job.file.open("rb"),
        as_attachment=True,
        filename=exports.filename(job.file_format),
        content_type=exports.XLSX_TYPE if job.file_format == "xlsx" else "text/csv; charset=utf-8",
    )


def _stats_counting(request, counting: jobs.StatsCounting):
    """The page shown while a filter set's statistics are counted in the background: it reloads itself (never
    kept by the page cache, nor by a browser's or a proxy's)."""
    response = render(
        request,
        "registry/registry_stats_counting.html",
        {
            "counting": counting,
            "query": request.GET.urlencode(),
            "breadcrumbs": [(_("Registro público"), reverse("agreements:registry_list")), (_("Estadísticas"), None)],
        },
    )
    add_never_cache_headers(response)
    response["Retry-After"] = str(counting.retry_after)
    return response


@anonymous_page_cache(name="registry-stats", version=selectors.registry_version)
def registry_stats(request):
    filterset, _queryset = _filtered(request)
    try:
        stats = jobs.registry_stats_count(filterset)
    except jobs.StatsCounting as counting:
        return _stats_counting(request, counting)
    by_state = {r["key"]: r["count"] for r in stats["state"]["results"]}
    years = sorted(stats["year"]["results"], key=lambda r: r["key"])
    base_year = selectors.projection_base_year()
    projection = selectors.projection(
        base_count=selectors.signed_before(stats["year"], base_year),
        base_year=base_year,
        until=base_year + selectors.PROJECTION_YEARS,
        rate=selectors.PROJECTION_RATE,
    )
    return render(
        request,
        "registry/registry_stats.html",
        {
            "filterset": filterset,
            "stats": stats,
            "titles": STAT_TITLES,
            "by_state": by_state,
            "years": years,
            "projection": projection,
            "query": request.GET.urlencode(),
            "year_chart": charts.year_bars(stats["year"]["results"]),
            "projection_chart": charts.projection_lines(projection),
            "projection_rows": [
                {"year": b["year"], "base": b["count"], "best": h["count"], "worst": w["count"]}
                for b, h, w in zip(*(projection["scenarios"][k] for k in ("base", "best", "worst")), strict=True)
            ],
            "map_states": choropleth(by_state, State.objects.all()),
            "breadcrumbs": [(_("Registro público"), reverse("agreements:registry_list")), (_("Estadísticas"), None)],
        },
    )


def registry_stats_csv(request, dimension):
    if dimension not in selectors.STAT_DIMENSIONS:
        raise Http404()
    filterset, _queryset = _filtered(request)
    try:
        stats = jobs.registry_stats_count(filterset, [dimension])[dimension]
    except jobs.StatsCounting as counting:
        return _stats_counting(request, counting)
    return exports.table_csv_response(stats["results"], ["key", "label", "count"], f"registro-aii-{dimension}")


@login_required
@permission_required("agreements.import_registry", raise_exception=True)
def registry_import(request):
    form = forms.RegistryImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = jobs.import_job_start(
            user=request.user, upload=form.cleaned_data["file"], dry_run=form.cleaned_data["dry_run"]
        )
        return redirect("agreements:registry_import_detail", pk=job.pk)
    return render(
        request,
        "registry/registry_import.html",
        {
            "form": form,
            "jobs": ImportJob.objects.select_related("created_by")[:10],
            "columns": services.IMPORT_COLUMNS,
            "breadcrumbs": [(_("Registro público"), reverse("agreements:registry_list")), (_("Importar"), None)],
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@permission_required("agreements.import_registry", raise_exception=True)
def registry_import_detail(request, pk):
    job = get_object_or_404(ImportJob, pk=pk)
    if request.headers.get("Accept") == "application/json" or request.GET.get("json"):
        return JsonResponse(
            {
                **_progress(job),
                "created": job.created_count,
                "updated": job.updated_count,
                "unchanged": job.unchanged_count,
                "errors": job.errors[:200],
                "error_count": len(job.errors),
                "finished": job.finished_at is not None,
            }
        )
    return render(
        request,
        "registry/registry_import_detail.html",
        {
            "job": job,
            "breadcrumbs": [
                (_("Registro público"), reverse("agreements:registry_list")),
                (_("Importar"), reverse("agreements:registry_import")),
                (job.original_name, None),
            ],
        },
    )


def registry_certificate(request, registry_number):
    """The constancia de inscripción of a registered agreement (public, like the entry)."""
    entry = selectors.registry_entry_detail(registry_number=registry_number)
    certificate = getattr(entry, "certificate", None)
    if certificate is None:
        raise Http404(_("Este acuerdo no tiene constancia de inscripción emitida en el portal."))
    try:
        handle = certificate.file.open("rb")
    except FileNotFoundError:
        raise Http404(_("Este acuerdo no tiene constancia de inscripción emitida en el portal.")) from None
    filename = f"constancia-{entry.registry_number.replace('/', '-')}.pdf"
    return FileResponse(handle, as_attachment=False, filename=filename, content_type="application/pdf")


CERTIFICATE_SCOPE = "lookup"  # the same allowance as the status by folio, per client address


def certificate_verify(request):
    """Upload a constancia (or paste its SHA-256): does it match a certificate the portal issued?"""
    bound = request.method == "POST" or "sha256" in request.GET
    data = request.POST if request.method == "POST" else request.GET
    form = forms.CertificateVerifyForm(data if bound else None, request.FILES if request.method == "POST" else None)
    context = {"form": form, "checked": False, "certificate": None, "breadcrumbs": [(_("Verificar constancia"), None)]}
    status = 200
    if form.is_bound:
        wait = page_throttle_wait(request, CERTIFICATE_SCOPE)
        if wait is not None:
            context["retry_after"] = wait
            response = render(request, "registry/certificate_verify.html", context, status=429)
            response["Retry-After"] = str(wait)
            return response
        if form.is_valid():
            context["checked"] = True
            context["digest"] = form.digest
            context["certificate"] = selectors.registry_certificate_by_sha256(form.digest)
            if context["certificate"] is None:
                status = 404
        else:
            status = 400
    return render(request, "registry/certificate_verify.html", context, status=status)
