"""The public forms of the St. Louis pages: find my ticket, reminders, tell your story."""

from __future__ import annotations

from typing import Any

from django import forms

from courts.lookup import LookupKind, LookupRequest
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


# Which fields each search needs beside the date of birth.
NEEDED = {
    LookupKind.CITATION: ("citation_number",),
    LookupKind.LICENCE: ("licence_number", "licence_state"),
    LookupKind.NAME: ("last_name", "municipality"),
}


class TicketLookupForm(DescribedForm):
    """One form for the three searches; `kind` (a button) says which fields count. Fields are
    checked for shape only: whether they match anything is the lookup's business, and its
    "no match" is the same whatever was wrong. Labels are in American English ("license")
    for St. Louis residents; the code keeps the portal's spelling."""

    kind = forms.ChoiceField(
        choices=[
            (LookupKind.CITATION, "Citation number"),
            (LookupKind.LICENCE, "Driver's license"),
            (LookupKind.NAME, "Last name and town"),
        ],
        widget=forms.HiddenInput,
    )
    citation_number = forms.CharField(label="Citation (ticket) number", max_length=30, required=False)
    licence_number = forms.CharField(label="Driver's license number", max_length=30, required=False)
    licence_state = forms.CharField(
        label="State that gave the license", max_length=2, min_length=2, required=False, help_text="Like MO or IL."
    )
    last_name = forms.CharField(label="Last name", max_length=60, required=False)
    municipality = forms.TypedChoiceField(
        label="Town where you got the ticket", coerce=int, required=False, empty_value=None
    )
    date_of_birth = forms.DateField(
        label="Date of birth",
        widget=forms.DateInput(attrs={"type": "date", "autocomplete": "bday"}),
        help_text="Write it like 1985-04-30 if your browser does not show a calendar.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        municipality = self.fields["municipality"]
        assert isinstance(municipality, forms.TypedChoiceField)
        municipality.choices = [("", "Choose a town"), *municipality_choices()]
        for name in ("citation_number", "licence_number", "last_name"):
            self.fields[name].widget.attrs["autocomplete"] = "off"
        self.described()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for name in NEEDED.get(cleaned.get("kind", ""), ()):
            if cleaned.get(name) in (None, ""):
                self.add_error(name, f"Enter your {str(self.fields[name].label).lower()}.")
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
        label="Your story",
        widget=forms.Textarea(attrs={"rows": 8, "maxlength": MAX_STORY_LENGTH}),
        help_text="Please do not write your name, address, phone number or ticket number.",
    )
    municipality = forms.TypedChoiceField(
        label="Town (you can leave this empty)", coerce=int, required=False, empty_value=None
    )
    consent = forms.BooleanField(
        label="You may publish my story on this website without my name.",
        required=False,
    )
    website = forms.CharField(label="Leave this empty", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        municipality = self.fields["municipality"]
        assert isinstance(municipality, forms.TypedChoiceField)
        municipality.choices = [("", "No town"), *municipality_choices()]
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})
        self.described()

    @property
    def is_from_a_robot(self) -> bool:
        return bool(self.cleaned_data.get("website"))


CHANNELS = [("sms", "Text message"), ("email", "Email")]


class ReminderForm(DescribedForm):
    """Reminders of a proven citation's court date. The address is checked by the reminder
    service (`courts.reminders`), which knows what a phone number or an email must be."""

    citation = forms.IntegerField(widget=forms.HiddenInput)
    channel = forms.ChoiceField(label="Remind me by", choices=CHANNELS, widget=forms.RadioSelect, initial="sms")
    address = forms.CharField(
        label="Phone number or email",
        max_length=254,
        help_text="Like 314-555-0100 or name@example.com. We use it only for these reminders.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.described()


class WatchForm(DescribedForm):
    """Watch for a citation that is not in the data yet."""

    citation_number = forms.CharField(label="Citation (ticket) number", max_length=30)
    date_of_birth = forms.DateField(
        label="Date of birth",
        widget=forms.DateInput(attrs={"type": "date", "autocomplete": "bday"}),
        help_text="Write it like 1985-04-30 if your browser does not show a calendar.",
    )
    channel = forms.ChoiceField(label="Tell me by", choices=CHANNELS, widget=forms.RadioSelect, initial="sms")
    address = forms.CharField(label="Phone number or email", max_length=254)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.described()
