"""Curators edit questionnaire versions here: the YAML of a version is edited and validated on save. A version
that has assessments is read-only (its results keep it); "Create a new version" copies it as a draft to edit."""

from __future__ import annotations

from typing import Any, ClassVar

import yaml
from django import forms
from django.contrib import admin, messages
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from clusterobs.assessment import DefinitionError, parse_yaml
from clusterobs.web.assessments import services
from clusterobs.web.assessments.models import Assessment, QuestionnaireVersion


class QuestionnaireVersionForm(forms.ModelForm):
    class Meta:
        model = QuestionnaireVersion
        fields = ("source", "published")
        widgets: ClassVar[dict[str, Any]] = {"source": forms.Textarea(attrs={
            "rows": 40, "cols": 120, "spellcheck": "false", "style": "font-family: monospace"})}

    def clean_source(self) -> str:
        text = self.cleaned_data["source"]
        try:
            q = parse_yaml(text, source=_("the definition"))
        except DefinitionError as exc:
            raise forms.ValidationError(str(exc)) from exc
        clash = QuestionnaireVersion.objects.filter(key=q.key, version=q.version).exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(_("Version %(version)s of %(key)s exists already: change `version`.")
                                        % {"version": q.version, "key": q.key})
        self._parsed = q
        return text

    def save(self, commit: bool = True) -> QuestionnaireVersion:
        obj = super().save(commit=False)
        q = self._parsed
        obj.key, obj.version, obj.title = q.key, q.version, q.title
        obj.definition = yaml.safe_load(obj.source)
        if commit:
            obj.save()
        return obj


@admin.register(QuestionnaireVersion)
class QuestionnaireVersionAdmin(admin.ModelAdmin):
    form = QuestionnaireVersionForm
    list_display = ("title", "key", "version", "published", "answered", "updated_at")
    list_filter = ("key", "published")
    readonly_fields = ("key", "version", "title", "answered")
    actions = ("new_version",)

    @admin.display(description=_("assessments"))
    def answered(self, obj: QuestionnaireVersion) -> int:
        return obj.assessments.count() if obj.pk else 0

    def get_readonly_fields(self, request: HttpRequest, obj: QuestionnaireVersion | None = None) -> Any:
        if obj is not None and obj.assessments.exists():  # answered: frozen, only (un)publishing
            return (*self.readonly_fields, "source")
        return self.readonly_fields

    @admin.action(description=_("Create a new version (a draft copy to edit)"))
    def new_version(self, request: HttpRequest, queryset: Any) -> None:
        for version in queryset:
            copy = services.questionnaire_version_copy(version=version)
            self.message_user(request, _("Created draft version %(version)s of %(title)s.")
                              % {"version": copy.version, "title": copy.title}, messages.SUCCESS)


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    """Read-only: what was assessed and the scores; tokens are never shown (they are the respondents' keys)."""

    list_display = ("questionnaire", "region", "size_class", "country", "overall", "completed_at", "updated_at")
    list_filter = ("questionnaire", "completed_at")
    fields = ("questionnaire", "region", "region_name", "name", "size_class", "country", "country_group",
              "overall", "scores", "answers", "completed_at")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Assessment | None = None) -> bool:
        return False
