"""Offers to youth: the message (email and SMS through `cities.messaging`) with a private
signed link, the youth's answer through it before the deadline, and expiry. A stale, reused
or late link says so and changes nothing; a decline or an expiry frees the seat for the
next round.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cities.messaging import message_send
from cities.models import MessageChannel, SentMessage
from youthjobs.figures_version import figures_changed
from youthjobs.models import Placement, PlacementEvent, PlacementState
from youthjobs.placements import placement_transition, record

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise

OFFER_LINK_SALT = "youthjobs.offer"


def offer_token(placement: Placement) -> str:
    """The private link's token: signed, naming the placement and the position offered, so
    a link to a position the placement no longer offers is refused as stale."""
    return signing.dumps({"placement": placement.pk, "position": placement.position_id}, salt=OFFER_LINK_SALT)


@dataclass(frozen=True)
class OfferLink:
    placement: Placement | None
    # Why the link cannot be answered, in the youth's language ("" when it can).
    problem: _StrOrPromise

    @property
    def is_open(self) -> bool:
        return self.placement is not None and not self.problem


STALE_LINK = _("This link is not valid: it may be mistyped or replaced by a newer offer. Nothing was changed.")


def offer_link_open(*, token: str, now: datetime | None = None) -> OfferLink:
    """The placement a link offers, and why it cannot be answered any more if so (already
    answered, past its deadline, replaced, or not a link of ours)."""
    try:
        payload = signing.loads(token, salt=OFFER_LINK_SALT)
        placement = Placement.objects.select_related("position__site", "run__season").get(pk=payload["placement"])
    except (signing.BadSignature, KeyError, TypeError, Placement.DoesNotExist):
        return OfferLink(placement=None, problem=STALE_LINK)
    if placement.position_id != payload.get("position"):
        return OfferLink(placement=None, problem=STALE_LINK)
    if placement.state != PlacementState.OFFERED:
        return OfferLink(
            placement=placement,
            problem=gettext("This offer was answered or closed already (%(state)s). Nothing was changed.")
            % {"state": placement.get_state_display().lower()},
        )
    if placement.offer_expires_at is not None and (now or timezone.now()) > placement.offer_expires_at:
        return OfferLink(
            placement=placement, problem=gettext("The deadline to answer this offer has passed. Nothing was changed.")
        )
    return OfferLink(placement=placement, problem="")


@transaction.atomic
def offer_answer(*, token: str, accept: bool) -> OfferLink:
    """The youth's answer through their link: accepted, or declined (freeing the seat).
    A stale, reused or late link changes nothing and says why."""
    link = offer_link_open(token=token)
    if not link.is_open or link.placement is None:
        return link
    locked = Placement.objects.select_for_update().get(pk=link.placement.pk)
    if locked.state != PlacementState.OFFERED:
        return offer_link_open(token=token)
    to_state = PlacementState.ACCEPTED if accept else PlacementState.DECLINED
    placement = placement_transition(
        placement=locked, to_state=to_state, by=None, reason="Answered by the youth through their offer link"
    )
    return OfferLink(placement=placement, problem="")


@transaction.atomic
def offers_expire(*, now: datetime | None = None) -> int:
    """Every offer past its deadline becomes expired (its seat freed), with its history.
    Returns how many; a second call expires nothing more."""
    moment = now or timezone.now()
    late = list(Placement.objects.select_for_update().filter(state=PlacementState.OFFERED, offer_expires_at__lt=moment))
    PlacementEvent.objects.bulk_create(
        [
            record(placement, to_state=PlacementState.EXPIRED, by=None, reason="Not answered by the deadline")
            for placement in late
        ]
    )
    figures_changed()
    return Placement.objects.filter(pk__in=[placement.pk for placement in late]).update(
        state=PlacementState.EXPIRED, state_changed_at=moment
    )


OFFER_PURPOSE = "youthjobs.offer"


def offer_link_url(placement: Placement) -> str:
    """The absolute address of a placement's private offer page."""
    return settings.PORTAL_BASE_URL.rstrip("/") + reverse("youthjobs:offer", args=[offer_token(placement)])


def _offer_text(placement: Placement, *, link: str, short: bool) -> str:
    position = placement.position
    deadline = timezone.localtime(placement.offer_expires_at) if placement.offer_expires_at else None
    answer_by = f" by {deadline:%B} {deadline.day}, {deadline:%I:%M %p}" if deadline else ""
    if short:
        return (
            f"Boston summer jobs: you are offered {position.title} at {position.site.name}. Answer{answer_by}: {link}"
        )
    return (
        f"Hello {placement.applicant.first_name},\n\n"
        f"You are offered a summer job: {position.title} ({position.category}) at {position.site.name}, "
        f"from {position.starts_on:%B} {position.starts_on.day} to {position.ends_on:%B} {position.ends_on.day}, "
        f"{position.hours_per_week} hours a week.\n\n"
        f"Accept or decline it{answer_by} on your private page: {link}\n"
        "If you do not answer by then, the job goes to another young person.\n\n"
        "Boston Department of Youth Engagement and Employment"
    )


def offers_send(*, run_id: int) -> dict[str, int]:
    """Send every open offer of a run its message: by email and by SMS, to whichever the youth
    gave, each with what the job is, the deadline and the private link.

    Idempotent: each message is keyed by placement, position and channel, so a retried task
    sends nothing twice, and an offer moved to another position is sent again for the new one.
    Not one transaction: each message is recorded as it goes out (`cities.messaging`). An
    address the messaging service refuses is counted, never raised. Returns the counts."""
    counts = dict.fromkeys(OFFER_SEND_COUNTS, 0)
    offered = Placement.objects.filter(run_id=run_id, state=PlacementState.OFFERED).select_related(
        "applicant", "position__site"
    )
    for placement in offered:
        for outcome, count in offer_messages_send(placement=placement).items():
            counts[outcome] += count
    return counts


OFFER_SEND_COUNTS = ("sent", "sent_before", "not_sent", "invalid_address")


def offer_messages_send(*, placement: Placement, sending: int = 0) -> dict[str, int]:
    """Send one offer's messages (email and SMS, whichever the youth gave). `sending` numbers
    a deliberate resend by staff (1, 2, ...): each is sent once, like the first (0)."""
    counts = dict.fromkeys(OFFER_SEND_COUNTS, 0)
    link = offer_link_url(placement)
    applicant = placement.applicant
    resend = f"-resend-{sending}" if sending else ""
    for channel, address in ((MessageChannel.EMAIL, applicant.email), (MessageChannel.SMS, applicant.phone)):
        if not address:
            continue
        try:
            outcome = message_send(
                channel=channel,
                to=address,
                subject="Your Boston summer job offer",
                body=_offer_text(placement, link=link, short=channel == MessageChannel.SMS),
                purpose=OFFER_PURPOSE,
                idempotency_key=f"{offer_message_key_prefix(placement)}{placement.position_id}-{channel}{resend}",
            )
        except ValidationError:
            counts["invalid_address"] += 1
            continue
        if outcome.sent_now:
            counts["sent"] += 1
        elif outcome.message.status == SentMessage.Status.SENT:
            counts["sent_before"] += 1
        else:
            counts["not_sent"] += 1
    return counts


def offer_message_key_prefix(placement: Placement) -> str:
    """What every offer message of a placement's idempotency key starts with."""
    return f"youthjobs-offer-{placement.pk}-"
