"""Forms of the self-assessment flow: what is assessed (a region, or an organisation), and one step of answers."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clusterobs.assessment import Dimension, Questionnaire
from clusterobs.assessment.definition import TEXT_MAX
from clusterobs.web import dataset
from clusterobs.web.assessments import selectors


class RegionStartForm(forms.Form):
    """The stress test assesses a region's or a country's policy: a NUTS 2021 code of the published dataset."""

    region = forms.CharField(label=gettext_lazy("Region or country (NUTS code)"), max_length=120,
                             help_text=gettext_lazy("A NUTS 2021 code: a country (DE), a NUTS 1 region (DE1) or a "
                                                    "NUTS 2 region (DE11). Start typing a name to see suggestions."),
                             widget=forms.TextInput(attrs={"list": "region-list", "autocomplete": "off"}))

    def clean_region(self) -> dict[str, Any]:
        raw = self.cleaned_data["region"].strip()
        code = raw.split()[0].upper() if raw else ""
        try:
            region = selectors.region_check(code)
        except dataset.NotFound:
            raise forms.ValidationError(
                _("“%(value)s” is not a NUTS 2021 code of the published dataset (for example DE, DE1 or DE11).")
                % {"value": raw}) from None
        if int(region["level"]) > 2:
            raise forms.ValidationError(_("Choose a country, a NUTS 1 or a NUTS 2 region."))
        return region


class OrganisationStartForm(forms.Form):
    """The benchmark assesses a cluster organisation: its size class and country set its comparison group."""

    name = forms.CharField(label=gettext_lazy("Organisation (optional)"), max_length=200, required=False,
                           help_text=gettext_lazy("Only shown to you, and on the public summary if you publish one."))
    size_class = forms.ChoiceField(label=gettext_lazy("Size class"))
    country = forms.ChoiceField(label=gettext_lazy("Country"))

    def __init__(self, *args: Any, questionnaire: Questionnaire, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.questionnaire = questionnaire
        self.fields["size_class"].choices = [(s["value"], s["label"]) for s in selectors.size_classes(questionnaire)]
        names = {r["code"]: r["name"] for r in selectors.region_choices() if r["level"] == 0}
        groups = []
        for group in selectors.country_groups(questionnaire).values():
            opts = sorted(((c, f"{names.get(c, c)} ({c})") for c in group["countries"]), key=lambda x: x[1])
            groups.append((group["label"], opts))
        self.fields["country"].choices = [("", _("Choose a country")), *groups]


class StepForm(forms.Form):
    """The questions of one dimension: a radio group per choice question, a text box per comment."""

    def __init__(self, *args: Any, dimension: Dimension, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.dimension = dimension
        for q in dimension.questions:
            if q.kind == "choice":
                self.fields[q.id] = forms.ChoiceField(
                    label=q.text, help_text=q.help, widget=forms.RadioSelect,
                    choices=[(o.value, o.label) for o in q.options],
                    error_messages={"required": _("Choose an answer.")})
            else:
                self.fields[q.id] = forms.CharField(
                    label=q.text, help_text=q.help, required=False, max_length=TEXT_MAX, strip=True,
                    widget=forms.Textarea(attrs={"rows": 3, "maxlength": TEXT_MAX}))

    def valid_answers(self) -> dict[str, str]:
        """After ``is_valid``: the answers that passed (saved even when another field of the step failed)."""
        data = getattr(self, "cleaned_data", {})
        return {name: data[name] for name in self.fields if name in data}
