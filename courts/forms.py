"""The public forms of the St. Louis pages: find my ticket, reminders, tell your story."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from courts.lookup import LOOKUP_NEEDS, LOOKUP_TEXT_FIELDS, LookupKind, LookupRequest
from courts.selectors import municipality_choices
from courts.stories import MAX_STORY_LENGTH


class DescribedForm(forms.Form):
    """Each input names its help text and its error message (when there is one) with
    aria-describedby, as `templates/courts/_field.html` gives them these ids."""

    def described(self) -> None:
        for name, field in self.fields.items():
            widget_id = self[name].id_for_label
            if widget_id and not field.widget.is_hidden:
                ids = [f"{widget_id}-help"] if field.help_text else []
                field.widget.attrs["aria-describedby"] = " ".join([*ids, f"{widget_id}-error"])


# What a needed field says when it was left empty: one whole sentence each, for translation.
NEEDED_MESSAGES = {
    "citation_number": _("Enter your citation (ticket) number."),
    "licence_number": _("Enter your driver's license number."),
    "licence_state": _("Enter the state that gave the license."),
    "last_name": _("Enter your last name."),
    "municipality": _("Enter the town where you got the ticket."),
}


def _lookup_text(name: str, **options: Any) -> forms.CharField:
    """A search's text field with the lookup's own rules (`courts.lookup.LOOKUP_TEXT_FIELDS`);
    required or not by the kind of search (`clean`)."""
    rules = LOOKUP_TEXT_FIELDS[name]
    return forms.CharField(max_length=rules.max_length, required=False, validators=rules.validators(), **options)


class TicketLookupForm(DescribedForm):
    """One form for the three searches; `kind` (a button) says which fields count. Fields are
    checked for shape only: whether they match anything is the lookup's business, and its
    "no match" is the same whatever was wrong. Labels are in American English ("license")
    for St. Louis residents; the code keeps the portal's spelling."""

    kind = forms.ChoiceField(
        choices=[
            (LookupKind.CITATION, _("Citation number")),
            (LookupKind.LICENCE, _("Driver's license")),
            (LookupKind.NAME, _("Last name and town")),
        ],
        widget=forms.HiddenInput,
    )
    citation_number = _lookup_text("citation_number", label=_("Citation (ticket) number"))
    licence_number = _lookup_text("licence_number", label=_("Driver's license number"))
    licence_state = _lookup_text("licence_state", label=_("State that gave the license"), help_text=_("Like MO or IL."))
    last_name = _lookup_text("last_name", label=_("Last name"))
    municipality = forms.TypedChoiceField(
        label=_("Town where you got the ticket"), coerce=int, required=False, empty_value=None
    )
    date_of_birth = forms.DateField(
        label=_("Date of birth"),
        widget=forms.DateInput(attrs={"type": "date", "autocomplete": "bday"}),
        help_text=_("Write it like 1985-04-30 if your browser does not show a calendar."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        municipality = self.fields["municipality"]
        assert isinstance(municipality, forms.TypedChoiceField)
        municipality.choices = [("", _("Choose a town")), *municipality_choices()]
        for name in ("citation_number", "licence_number", "last_name"):
            self.fields[name].widget.attrs["autocomplete"] = "off"
        self.described()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for name in LOOKUP_NEEDS.get(cleaned.get("kind", ""), ()):
            if cleaned.get(name) in (None, ""):
                self.add_error(name, NEEDED_MESSAGES[name])
        return cleaned

    def lookup_request(self) -> LookupRequest:
        data = self.cleaned_data
        return LookupRequest(
            kind=data["kind"],
            date_of_birth=data["date_of_birth"],
            citation_number=data["citation_number"],
            licence_number=data["licence_number"],
            licence_state=data["licence_state"],
            last_name=data["last_name"],
            municipality_id=data["municipality"],
        )


class StoryForm(DescribedForm):
    """A story, the consent to publish it without a name, and an optional town. `website` is
    a trap for robots: hidden from people (and screen readers), filled in only by bots."""

    body = forms.CharField(
        label=_("Your story"),
        widget=forms.Textarea(attrs={"rows": 8, "maxlength": MAX_STORY_LENGTH}),
        help_text=_("Please do not write your name, address, phone number or ticket number."),
    )
    municipality = forms.TypedChoiceField(
        label=_("Town (you can leave this empty)"), coerce=int, required=False, empty_value=None
    )
    consent = forms.BooleanField(
        label=_("You may publish my story on this website without my name."),
        required=False,
    )
    website = forms.CharField(label=_("Leave this empty"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        municipality = self.fields["municipality"]
        assert isinstance(municipality, forms.TypedChoiceField)
        municipality.choices = [("", _("No town")), *municipality_choices()]
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})
        self.described()

    @property
    def is_from_a_robot(self) -> bool:
        return bool(self.cleaned_data.get("website"))


CHANNELS = [("sms", _("Text message")), ("email", _("Email"))]


class ReminderForm(DescribedForm):
    """Reminders of a proven citation's court date. The address is checked by the reminder
    service (`courts.reminders`), which knows what a phone number or an email must be."""

    citation = forms.IntegerField(widget=forms.HiddenInput)
    channel = forms.ChoiceField(label=_("Remind me by"), choices=CHANNELS, widget=forms.RadioSelect, initial="sms")
    address = forms.CharField(
        label=_("Phone number or email"),
        max_length=254,
        help_text=_("Like 314-555-0100 or name@example.com. We use it only for these reminders."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.described()


class WatchForm(DescribedForm):
    """Watch for a citation that is not in the data yet."""

    citation_number = forms.CharField(label=_("Citation (ticket) number"), max_length=30)
    date_of_birth = forms.DateField(
        label=_("Date of birth"),
        widget=forms.DateInput(attrs={"type": "date", "autocomplete": "bday"}),
        help_text=_("Write it like 1985-04-30 if your browser does not show a calendar."),
    )
    channel = forms.ChoiceField(label=_("Tell me by"), choices=CHANNELS, widget=forms.RadioSelect, initial="sms")
    address = forms.CharField(label=_("Phone number or email"), max_length=254)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.described()
