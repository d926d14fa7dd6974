"""The public pages of the core: thin views over `cities.selectors`."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseForbidden, JsonResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from twilio.request_validator import RequestValidator
from twilio.twiml.messaging_response import MessagingResponse

from cities import messaging, selectors, sms_inbound
from cities.models import City, Dataset


def healthz(request: HttpRequest) -> JsonResponse:
    """For the load balancer and docker-compose: the process answers and its database too."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "cities/home.html", {"overview": selectors.collaborative_overview()})


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
    return render(request, "cities/dataset_detail.html", {"profile": profile, "dataset": profile.dataset})


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
