"""How to resolve a violation: plain-language steps, one rule per situation.

Pure rules, no database: a `ViolationFacts` (what the data says about one violation and its
court) in, the `GuidanceStep`s that apply out, most urgent first. The wording aims at a 6th
to 8th grade reading level: short sentences, common words, "you". Rules:

- a warrant is out: say so first, and how to clear it (call the court, go to the court, bring
  the warrant number; a lawyer can help);
- the violation is closed or dismissed (and no warrant is out): nothing to do;
- the violation is open and can be paid online: pay on the court's payment system, with the
  amount;
- the violation is open and cannot be paid online: pay in person, or call first;
- a court date is set: go to court, what to bring, and that missing it can lead to a warrant;
- the court date has passed (and no warrant is out yet): what missing it may mean (a failure
  to appear, a warrant) and what to do now (call the court, ask for a new date); never a word
  about paying "before your court date";
- money owed: ask about a payment plan or community service if you cannot pay;
- always, for an open violation: your rights in that court.

A ticket whose records list no charges gets `ticket_without_charges_guidance` instead: what
that means and whom to ask.

The steps are in the active language (Django's gettext, the only Django import): each sentence
is one message with named placeholders, so that a translation can reorder it; dates are written
with the language's month and day names.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext


@dataclass(frozen=True)
class ViolationFacts:
    description: str
    is_open: bool
    dismissed: bool
    can_pay_online: bool
    amount_owed: Decimal
    court_name: str
    court_phone: str
    court_address: str
    warrant_number: str = ""
    payment_url: str = ""
    payment_system: str = ""
    court_date: date | None = None
    court_time: str = ""
    rights_url: str = ""
    today: date | None = None


@dataclass(frozen=True)
class GuidanceStep:
    situation: str
    title: str
    text: str
    link: str = ""
    link_text: str = ""


def _money(amount: Decimal) -> str:
    return f"${amount:,.2f}"


def _day(day: date) -> str:
    # Translators: a court date with its weekday, in Django's date format letters.
    return date_format(day, pgettext("court date format", "l, F j, Y"))


def court_date_has_passed(court_date: date | None, today: date | None) -> bool:
    return court_date is not None and today is not None and court_date < today


def _warrant(facts: ViolationFacts) -> GuidanceStep | None:
    if not facts.warrant_number:
        return None
    return GuidanceStep(
        situation="warrant",
        title=_("A warrant is out for this ticket"),
        text=_(
            "The court made a warrant because a court date was missed. The warrant number is "
            "%(warrant)s. Do not wait. Call %(court)s at %(phone)s, or go to the court at %(address)s. "
            "Ask how to clear the warrant and get a new court date. Bring this page and a photo ID. "
            "A lawyer can help you, and you may get one for free."
        )
        % {
            "warrant": facts.warrant_number,
            "court": facts.court_name,
            "phone": facts.court_phone,
            "address": facts.court_address,
        },
    )


def _closed(facts: ViolationFacts) -> GuidanceStep | None:
    # An outstanding warrant outweighs a closed charge: it is the one thing to act on.
    if facts.is_open or facts.warrant_number:
        return None
    if facts.dismissed:
        text = _("The court dropped this charge. You do not owe money for it, and you do not need to do anything.")
    else:
        text = _("This charge is closed. You do not need to do anything more for it.")
    return GuidanceStep(situation="closed", title=_("Nothing to do"), text=text)


def _pay_online(facts: ViolationFacts) -> GuidanceStep | None:
    if not (facts.is_open and facts.can_pay_online and facts.payment_url and facts.amount_owed > 0):
        return None
    system = f" ({facts.payment_system})" if facts.payment_system else ""
    if facts.warrant_number:
        after = _("Paying may not clear the warrant. Call the court after you pay to be sure.")
    elif court_date_has_passed(facts.court_date, facts.today):
        after = _("Your court date has passed, so call the court after you pay to be sure your case is closed.")
    else:
        after = _("If you pay before your court date, you may not need to go to court. Call the court to be sure.")
    pay = _(
        "You can pay %(amount)s online on the court's payment site%(system)s. Have your ticket number ready. "
        "Keep the receipt."
    ) % {"amount": _money(facts.amount_owed), "system": system}
    return GuidanceStep(
        situation="pay_online",
        title=_("Pay online"),
        text=f"{pay} {after}",
        link=facts.payment_url,
        link_text=_("Pay on the %(court)s payment site") % {"court": facts.court_name},
    )


def _pay_in_person(facts: ViolationFacts) -> GuidanceStep | None:
    if not facts.is_open or facts.warrant_number:
        return None
    if facts.can_pay_online and facts.payment_url and facts.amount_owed > 0:
        return None
    parts = [_("This ticket cannot be paid online.")]
    if facts.amount_owed > 0:
        parts.append(_("The court's records show %(amount)s.") % {"amount": _money(facts.amount_owed)})
    parts.append(_call_and_pay_in_person(facts.court_name, facts.court_phone, facts.court_address))
    return GuidanceStep(situation="pay_in_person", title=_("Pay or talk to the court in person"), text=" ".join(parts))


def _call_and_pay_in_person(court_name: str, court_phone: str, court_address: str) -> str:
    return _(
        "Call %(court)s at %(phone)s to ask how much you owe and how to pay. You can pay at the court at "
        "%(address)s. Bring your ticket and a photo ID."
    ) % {"court": court_name, "phone": court_phone, "address": court_address}


def _appear(facts: ViolationFacts) -> GuidanceStep | None:
    if not facts.is_open or facts.court_date is None:
        return None
    if court_date_has_passed(facts.court_date, facts.today):
        return None
    day = _day(facts.court_date)
    when = _("%(day)s at %(time)s") % {"day": day, "time": facts.court_time} if facts.court_time else day
    return GuidanceStep(
        situation="appear",
        title=_("Go to court"),
        text=_(
            "Your court date is %(when)s, at %(court)s, %(address)s. Come a little early. Bring your ticket, "
            "a photo ID and any papers about your case. If you cannot come, call %(phone)s before that day. "
            "If you miss court, the judge can make a warrant."
        )
        % {"when": when, "court": facts.court_name, "address": facts.court_address, "phone": facts.court_phone},
    )


def _missed_court_date_text(*, court_date: date, court_name: str, court_phone: str) -> str:
    return _(
        "The records show a court date of %(day)s, and that day has passed. If you did not go to court, "
        "the judge may count it as a failure to appear and can make a warrant for your arrest. The records "
        "can be weeks behind, so a warrant may be out even if this page shows none. Call %(court)s at "
        "%(phone)s now. Ask if your case is still open and ask for a new court date. If you did go to "
        "court, ask the clerk what the judge decided."
    ) % {"day": _day(court_date), "court": court_name, "phone": court_phone}


def _missed(facts: ViolationFacts) -> GuidanceStep | None:
    # With a warrant out, the warrant step already says what missing court led to.
    if not facts.is_open or facts.warrant_number or not court_date_has_passed(facts.court_date, facts.today):
        return None
    assert facts.court_date is not None
    return GuidanceStep(
        situation="missed",
        title=_("Your court date has passed"),
        text=_missed_court_date_text(
            court_date=facts.court_date, court_name=facts.court_name, court_phone=facts.court_phone
        ),
    )


def _cannot_pay(facts: ViolationFacts) -> GuidanceStep | None:
    if not facts.is_open or facts.amount_owed <= 0:
        return None
    return GuidanceStep(
        situation="cannot_pay",
        title=_("If you cannot pay all of it"),
        text=_(
            "Tell the judge or the court clerk. You can ask for a payment plan, to pay a little at "
            "a time. You can also ask to do community service instead of paying. The judge must "
            "think about what you can afford."
        ),
    )


def _rights(facts: ViolationFacts) -> GuidanceStep | None:
    if not facts.is_open:
        return None
    return GuidanceStep(
        situation="rights",
        title=_("Your rights in this court"),
        text=_(
            "You have the right to a lawyer. If you cannot pay for one, ask the court about a free "
            "lawyer. You do not have to plead guilty. You can ask the judge for more time. You "
            "cannot be put in jail just because you are poor."
        ),
        link=facts.rights_url,
        link_text=_("Read %(court)s's notice of rights") % {"court": facts.court_name} if facts.rights_url else "",
    )


RULES = (_warrant, _missed, _closed, _pay_online, _pay_in_person, _appear, _cannot_pay, _rights)


def guidance_for(facts: ViolationFacts) -> list[GuidanceStep]:
    """The steps that apply to one violation, most urgent first: a warrant before anything
    else; a closed violation gets only "nothing to do"; an open one always ends with the
    resident's rights. Never empty."""
    return [step for rule in RULES if (step := rule(facts)) is not None]


@dataclass(frozen=True)
class TicketFacts:
    """What the records say about a ticket as a whole, for the tickets without charges."""

    court_name: str
    court_phone: str
    court_date: date | None = None
    today: date | None = None


def ticket_without_charges_guidance(facts: TicketFacts) -> list[GuidanceStep]:
    """What to do about a ticket whose records list no charges: that this is not "nothing
    owed", whom to ask, and the court date (to go to, or that has passed). Never empty."""
    steps = [
        GuidanceStep(
            situation="no_charges",
            title=_("The court has not listed the charges yet"),
            text=_(
                "The court's records have this ticket but no charges on it. This often means the court has "
                "not typed them in yet. It does not mean you owe nothing or that the ticket is gone. Call "
                "%(court)s at %(phone)s. Ask what the charges are, how much you owe, and if you must come to "
                "court. Have your ticket ready."
            )
            % {"court": facts.court_name, "phone": facts.court_phone},
        )
    ]
    if court_date_has_passed(facts.court_date, facts.today):
        assert facts.court_date is not None
        steps.append(
            GuidanceStep(
                situation="missed",
                title=_("Your court date has passed"),
                text=_missed_court_date_text(
                    court_date=facts.court_date, court_name=facts.court_name, court_phone=facts.court_phone
                ),
            )
        )
    elif facts.court_date is not None:
        steps.append(
            GuidanceStep(
                situation="appear",
                title=_("Go to court"),
                text=_(
                    "Your court date is %(day)s. Go to court that day, even before you know the charges. "
                    "Bring your ticket and a photo ID. If you cannot come, call %(phone)s before that day. "
                    "If you miss court, the judge can make a warrant."
                )
                % {"day": _day(facts.court_date), "phone": facts.court_phone},
            )
        )
    return steps


@dataclass(frozen=True)
class CourtFacts:
    court_name: str
    court_phone: str
    court_address: str
    payment_url: str = ""
    payment_system: str = ""
    rights_url: str = ""


def court_guidance(facts: CourtFacts) -> list[GuidanceStep]:
    """What anyone with a ticket at this court can do, before looking their ticket up: the
    same rules as `guidance_for`, for an open ticket whose amount and date are not known."""
    steps = []
    if facts.payment_url:
        system = f" ({facts.payment_system})" if facts.payment_system else ""
        steps.append(
            GuidanceStep(
                situation="pay_online",
                title=_("Pay online"),
                text=_(
                    "Many tickets of this court can be paid online on its payment site%(system)s. "
                    "Some charges need you to go to court first. Find your ticket to see which."
                )
                % {"system": system},
                link=facts.payment_url,
                link_text=_("Pay on the %(court)s payment site") % {"court": facts.court_name},
            )
        )
    steps.append(
        GuidanceStep(
            situation="pay_in_person",
            title=_("Pay or talk to the court in person"),
            text=_call_and_pay_in_person(facts.court_name, facts.court_phone, facts.court_address),
        )
    )
    unknown = ViolationFacts(
        description="",
        is_open=True,
        dismissed=False,
        can_pay_online=False,
        amount_owed=Decimal("1"),
        court_name=facts.court_name,
        court_phone=facts.court_phone,
        court_address=facts.court_address,
        rights_url=facts.rights_url,
    )
    steps.append(
        GuidanceStep(
            situation="appear",
            title=_("Go to court"),
            text=_(
                "Your court date is on your ticket. Come a little early. Bring your ticket, a photo ID and any "
                "papers about your case. If you cannot come, call %(phone)s before that day. If you miss "
                "court, the judge can make a warrant."
            )
            % {"phone": facts.court_phone},
        )
    )
    steps.append(
        GuidanceStep(
            situation="warrant",
            title=_("If a warrant is out"),
            text=_(
                "Do not wait. Call %(court)s at %(phone)s, or go to the court. Ask how to clear the warrant "
                "and get a new court date. A lawyer can help you, and you may get one for free."
            )
            % {"court": facts.court_name, "phone": facts.court_phone},
        )
    )
    for rule in (_cannot_pay, _rights):
        step = rule(unknown)
        if step is not None:
            steps.append(step)
    return steps
