"""The public pages of the core: thin views over `cities.selectors`."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseForbidden, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from twilio.request_validator import RequestValidator
from twilio.twiml.messaging_response import MessagingResponse

from cities import messaging, open_data, selectors, sms_inbound
from cities.api.views import api_not_found
from cities.health import UNAVAILABLE, dependencies_check
from cities.models import City, Dataset

SERVICE_UNAVAILABLE_MESSAGE = "The portal cannot answer this right now. Please try again in a few minutes."
RETRY_AFTER_SECONDS = 120


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """For the load balancer and docker-compose: 200 when the database, the cache and the
    broker all answer, else 503, naming each dependency's state. Never cached: a proxy's copy
    would hide an outage."""
    checks = dependencies_check()
    healthy = all(state != UNAVAILABLE for state in checks.values())
    return JsonResponse({"status": "ok" if healthy else UNAVAILABLE, "checks": checks}, status=200 if healthy else 503)


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """404: JSON under /api/, the designed page elsewhere."""
    if _is_api(request):
        return api_not_found(request, request.path)
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    """500: JSON under /api/, the designed page elsewhere (rendered without the request, so a
    failing database or session cannot fail it too)."""
    if _is_api(request):
        return JsonResponse(
            {"detail": "The portal failed to answer. The error is logged; try again later."}, status=500
        )
    return defaults.server_error(request)


def service_unavailable(request: HttpRequest) -> HttpResponse:
    """503 when a service the answer needs (the database, the rate limits' cache) does not
    answer: "try again in a few minutes", JSON under /api/."""
    if _is_api(request):
        response: HttpResponse = JsonResponse({"detail": SERVICE_UNAVAILABLE_MESSAGE}, status=503)
    else:
        response = HttpResponse(loader.render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "cities/home.html", {"overview": selectors.collaborative_overview()})


def privacy(request: HttpRequest) -> HttpResponse:
    """What the portal keeps about a person, for how long, who sees it, and how to be forgotten:
    each app says it of its own data (`PortalApp.privacy_section`)."""
    return render(
        request,
        "cities/privacy.html",
        {
            "contact_email": settings.PRIVACY_CONTACT_EMAIL,
            "app_sections": selectors.privacy_sections(),
        },
    )


def city_detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        profile = selectors.city_profile(slug=slug)
    except City.DoesNotExist:
        raise Http404("No city has this address.") from None
    return render(request, "cities/city_detail.html", {"profile": profile, "city": profile.city})


def dataset_list(request: HttpRequest) -> HttpResponse:
    catalogue = selectors.dataset_catalogue(city_slug=request.GET.get("city") or None)
    return render(request, "cities/dataset_list.html", {"catalogue": catalogue})


def dataset_detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        profile = selectors.dataset_profile(slug=slug)
    except Dataset.DoesNotExist:
        raise Http404("No dataset has this address.") from None
    downloads = open_data.dataset_downloads(profile.dataset, latest_runs=profile.runs, run_count=profile.run_count)
    return render(
        request, "cities/dataset_detail.html", {"profile": profile, "dataset": profile.dataset, "downloads": downloads}
    )


def message_opt_out(request: HttpRequest, token: str) -> HttpResponse:
    """The stop link in every message. GET only asks (mail scanners follow links); POST records it."""
    if request.method == "POST":
        try:
            messaging.message_opt_out_record(token=token)
        except signing.BadSignature:
            return render(request, "cities/message_opt_out.html", {"state": "invalid"}, status=400)
        return render(request, "cities/message_opt_out.html", {"state": "done"})
    return render(request, "cities/message_opt_out.html", {"state": "ask"})


def _signed_by_twilio(request: HttpRequest) -> bool:
    """Whether Twilio signed this request with our auth token. The URL is the one Twilio was
    given (the portal's public address), not what the proxy in front passed on."""
    if not settings.TWILIO_AUTH_TOKEN:
        return False
    url = settings.PORTAL_BASE_URL.rstrip("/") + request.get_full_path()
    signature = request.headers.get("X-Twilio-Signature", "")
    return bool(signature) and RequestValidator(settings.TWILIO_AUTH_TOKEN).validate(url, request.POST, signature)


@csrf_exempt
@require_POST
def sms_status(request: HttpRequest) -> HttpResponse:
    """Twilio's delivery report on a text it sent for us; 403, changing nothing, unless signed."""
    if not _signed_by_twilio(request):
        return HttpResponseForbidden("Not signed by the SMS provider.")
    sms_inbound.sms_delivery_report_record(
        provider_message_id=request.POST.get("MessageSid", ""),
        provider_status=request.POST.get("MessageStatus", ""),
        error_code=request.POST.get("ErrorCode", ""),
    )
    return HttpResponse(status=204)


@csrf_exempt
@require_POST
def sms_inbound_message(request: HttpRequest) -> HttpResponse:
    """A text sent to the portal's number, answered in TwiML; 403, changing nothing, unless
    signed by Twilio."""
    if not _signed_by_twilio(request):
        return HttpResponseForbidden("Not signed by the SMS provider.")
    response = MessagingResponse()
    try:
        reply = sms_inbound.sms_reply(from_number=request.POST.get("From", ""), body=request.POST.get("Body", ""))
    except ValidationError:
        reply = None
    if reply:
        response.message(reply)
    return HttpResponse(str(response), content_type="text/xml")
