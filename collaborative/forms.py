"""The survey a partner organisation answers through its private link."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from cities.models import Organization
from collaborative.models import Relationship


class ReportedTieForm(forms.Form):
    target = forms.ModelChoiceField(
        queryset=Organization.objects.none(), required=False, label=_("Organisation"), empty_label=_("(none)")
    )
    kind = forms.ChoiceField(
        choices=[("", _("(choose)")), *Relationship.Kind.choices], required=False, label=_("Your organisation")
    )
    since = forms.DateField(
        required=False, label=_("Since (YYYY-MM-DD)"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, organizations: Any = None, **kwargs: Any) -> None:
        # The fields read as a sentence ("Your organisation builds technology for ..."): no colons.
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        if organizations is not None:
            cast(forms.ModelChoiceField[Organization], self.fields["target"]).queryset = organizations

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if bool(cleaned.get("target")) != bool(cleaned.get("kind")):
            raise forms.ValidationError(_("Choose both the organisation and the kind of tie, or neither."))
        return cleaned


ReportedTieFormSet = forms.formset_factory(ReportedTieForm, extra=4, max_num=20)


class SurveyCommentForm(forms.Form):
    comment = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        label=_("Anything else staff should know"),
    )
