"""Questionnaire versions (edited by curators) and assessments (answers, scores, private and public tokens)."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from clusterobs.assessment import Localised, Questionnaire, localise, parse

#: bytes of randomness of a private or public link: 32 bytes = 256 bits (at least 128 are required)
TOKEN_BYTES = 32


def new_token() -> str:
    """An unguessable URL-safe token (``secrets.token_urlsafe``: 43 characters for 32 bytes)."""
    return secrets.token_urlsafe(TOKEN_BYTES)


class QuestionnaireVersion(models.Model):
    """One version of a questionnaire: its YAML as edited and the validated definition read from it."""

    key = models.CharField(_("questionnaire"), max_length=64)
    version = models.CharField(_("version"), max_length=32)
    title = models.CharField(_("title"), max_length=200)
    source = models.TextField(_("definition (YAML)"))
    definition = models.JSONField(_("definition"), editable=False)
    published = models.BooleanField(_("published"), default=False,
                                    help_text=_("The newest published version of a questionnaire is the one offered "
                                                "to new respondents."))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("questionnaire version")
        verbose_name_plural = _("questionnaire versions")
        ordering = ("key", "-created_at")
        constraints = (models.UniqueConstraint(fields=("key", "version"), name="assessments_unique_key_version"),)

    def __str__(self) -> str:
        return f"{self.title} ({self.version})"

    def questionnaire(self) -> Questionnaire:
        return parse(self.definition, source=f"{self.key} {self.version}")

    def shown(self) -> Localised:
        """The definition in the active language (its version's translation, else as written)."""
        return localise(self.definition, get_language() or "en", source=f"{self.key} {self.version}")


class Assessment(models.Model):
    """One respondent's answers to one questionnaire version, reached only through its private token."""

    questionnaire = models.ForeignKey(QuestionnaireVersion, on_delete=models.PROTECT, related_name="assessments",
                                      verbose_name=_("questionnaire version"))
    #: the definition as it was when the assessment started: a result never changes when curators edit
    definition = models.JSONField(editable=False)
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    public_token = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="assessments", verbose_name=_("owner"))
    name = models.CharField(_("name"), max_length=200, blank=True)
    region = models.CharField(_("region"), max_length=16, blank=True)
    region_name = models.CharField(_("region name"), max_length=200, blank=True)
    country = models.CharField(_("country"), max_length=2, blank=True)
    country_group = models.CharField(_("country group"), max_length=32, blank=True)
    size_class = models.CharField(_("size class"), max_length=16, blank=True)
    answers = models.JSONField(default=dict, blank=True)
    overall = models.FloatField(_("overall score"), null=True, blank=True)
    scores = models.JSONField(null=True, blank=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ("-updated_at",)

    def __str__(self) -> str:
        return f"{self.definition.get('title', self.questionnaire_id)} · {self.region or self.name or self.pk}"

    def questionnaire_def(self) -> Questionnaire:
        return parse(self.definition, source=f"assessment {self.pk}")

    def shown(self) -> Localised:
        """Its stored definition in the active language: overlaid with the translation of that version, if any."""
        return localise(self.definition, get_language() or "en", source=f"assessment {self.pk}")

    @property
    def completed(self) -> bool:
        return self.completed_at is not None
