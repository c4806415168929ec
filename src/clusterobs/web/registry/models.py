"""The registry's transactional data: organisation profiles, partnership requests and interest replies, events,
cluster programmes, news (the API tokens are the accounts' app's). Categories are the store's cluster categories (by
slug), regions NUTS 2021 codes checked against the store (``validators``)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import FileExtensionValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from clusterobs.web.registry.validators import (
    DEFAULT_TIMEZONE,
    validate_benchmark_url,
    validate_region,
    validate_timezone,
)

VALIDATION_MIN_MEMBERS = 15
VALIDATION_MIN_TYPES = 2
VALIDATION_MIN_FTE = 0.5


class Category(models.Model):
    """A cluster category of the store (traded, local or emerging), copied on first use so profiles can join it."""

    slug = models.SlugField(primary_key=True, max_length=80)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20)

    class Meta:
        ordering = ("kind", "name")
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self) -> str:
        return self.name


class Label(models.TextChoices):
    NONE = "none", _("No label")
    BRONZE = "bronze", _("Bronze")
    SILVER = "silver", _("Silver")
    GOLD = "gold", _("Gold")


class Organisation(models.Model):
    """A cluster organisation's profile, owned by the member who created it (no one when a curator imported it)."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="organisations", verbose_name=_("owner"))
    name = models.CharField(_("name"), max_length=200)
    acronym = models.CharField(_("acronym"), max_length=40, blank=True)
    region = models.CharField(_("region (NUTS 2021 code)"), max_length=10, validators=[validate_region])
    country = models.CharField(_("country"), max_length=2, editable=False)
    categories = models.ManyToManyField(Category, blank=True, related_name="organisations",
                                        verbose_name=_("cluster categories"))
    keywords = models.CharField(_("technologies and keywords"), max_length=500, blank=True,
                                help_text=_("Separated by commas."))
    description = models.TextField(_("description"), blank=True)
    website = models.URLField(_("website"), blank=True)
    members_sme = models.PositiveIntegerField(_("member SMEs"), default=0)
    members_large = models.PositiveIntegerField(_("member large firms"), default=0)
    members_research = models.PositiveIntegerField(_("member research organisations"), default=0)
    members_public = models.PositiveIntegerField(_("member public bodies"), default=0)
    management_fte = models.DecimalField(_("management staff (FTE)"), max_digits=6, decimal_places=2, default=0,
                                         validators=[MinValueValidator(0)])
    label = models.CharField(_("cluster label"), max_length=10, choices=Label.choices, default=Label.NONE)
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    logo = models.ImageField(_("logo"), upload_to="logos/", blank=True,
                             validators=[FileExtensionValidator(["png", "jpg", "jpeg"])])
    benchmark_url = models.CharField(_("cluster-excellence benchmark result"), max_length=300, blank=True,
                                     validators=[validate_benchmark_url],
                                     help_text=_("Optional: the public link of your self-assessment summary "
                                                 "(/self-assessment/shared/…/)."))
    is_example = models.BooleanField(_("fictitious example"), default=False, editable=False)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)
    # its categories' names in English and French, for search; kept in step by signals (category_names)
    category_names = models.TextField(_("category names"), blank=True, default="", editable=False)
    # PostgreSQL: the weighted words of name, acronym, keywords, description and category names, written by a
    # trigger and GIN-indexed (fts_postgres); always empty on SQLite, which searches its FTS5 table (fts_sqlite)
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        ordering = ("name",)
        verbose_name = _("cluster organisation")
        verbose_name_plural = _("cluster organisations")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.region = (self.region or "").upper()
        self.country = self.region[:2]
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("registry:profile", args=[self.pk])

    @property
    def members_total(self) -> int:
        return self.members_sme + self.members_large + self.members_research + self.members_public

    @property
    def member_types(self) -> int:
        return sum(1 for n in (self.members_sme, self.members_large, self.members_research, self.members_public) if n)

    def validation_checks(self) -> list[tuple[str, bool]]:
        """The platform's validation criteria, each with whether this profile meets it."""
        return [
            (_("at least %(n)d committed members") % {"n": VALIDATION_MIN_MEMBERS},
             self.members_total >= VALIDATION_MIN_MEMBERS),
            (_("members of at least %(n)d types") % {"n": VALIDATION_MIN_TYPES},
             self.member_types >= VALIDATION_MIN_TYPES),
            (_("at least %(fte)s FTE management staff") % {"fte": VALIDATION_MIN_FTE},
             float(self.management_fte) >= VALIDATION_MIN_FTE),
            (_("a website"), bool(self.website)),
        ]

    @property
    def is_validated(self) -> bool:
        return all(ok for _, ok in self.validation_checks())


class PartnershipRequest(models.Model):
    """What an organisation looks for (partners for a project, a call, a value chain)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="requests",
                                     verbose_name=_("organisation"))
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("what you look for"))
    categories = models.ManyToManyField(Category, blank=True, related_name="requests",
                                        verbose_name=_("cluster categories"))
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    is_open = models.BooleanField(_("open"), default=True)
    is_example = models.BooleanField(default=False, editable=False)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("-created",)
        verbose_name = _("partnership request")
        verbose_name_plural = _("partnership requests")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("registry:request", args=[self.pk])

    @property
    def owner(self):
        return self.organisation.owner


class InterestReply(models.Model):
    """An "express interest" reply to a partnership request; seen by its author, the request's owner, curators."""

    request = models.ForeignKey(PartnershipRequest, on_delete=models.CASCADE, related_name="replies",
                                verbose_name=_("partnership request"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                               related_name="interest_replies", verbose_name=_("author"))
    organisation = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="replies", verbose_name=_("on behalf of"))
    message = models.TextField(_("message"))
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("-created",)
        verbose_name = _("interest reply")
        verbose_name_plural = _("interest replies")

    def __str__(self) -> str:
        return f"{self.request} ← {self.author}"

    def get_absolute_url(self) -> str:
        return reverse("registry:reply", args=[self.pk])

    @property
    def owner(self):
        return self.author


class Event(models.Model):
    """An event of the calendar: matchmaking days, conferences, webinars. ``start`` and ``end`` are instants (stored
    in UTC); ``timezone`` is the zone they were given in and are shown in (the iCal feed writes them in UTC)."""

    title = models.CharField(_("title"), max_length=200)
    start = models.DateTimeField(_("starts"))
    end = models.DateTimeField(_("ends"))
    timezone = models.CharField(_("time zone"), max_length=64, default=DEFAULT_TIMEZONE,
                                validators=[validate_timezone],
                                help_text=_("The start and end are local times in this zone."))
    place = models.CharField(_("place"), max_length=200, blank=True)
    online = models.BooleanField(_("online"), default=False)
    organiser = models.CharField(_("organiser"), max_length=200)
    categories = models.ManyToManyField(Category, blank=True, related_name="events",
                                        verbose_name=_("cluster categories"))
    link = models.URLField(_("link"), blank=True)
    description = models.TextField(_("description"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="events")
    is_example = models.BooleanField(default=False, editable=False)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("start",)
        verbose_name = _("event")
        verbose_name_plural = _("events")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("registry:event", args=[self.pk])

    @property
    def owner(self):
        return self.created_by

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


class Programme(models.Model):
    """A national or regional cluster programme or policy initiative (curated)."""

    name = models.CharField(_("name"), max_length=250)
    country = models.CharField(_("country (NUTS 0 code)"), max_length=2, validators=[validate_region])
    region = models.CharField(_("region (NUTS 2021 code)"), max_length=10, blank=True, validators=[validate_region],
                              help_text=_("Empty for a national programme."))
    managing_body = models.CharField(_("managing body"), max_length=250)
    start_year = models.PositiveIntegerField(_("from (year)"), null=True, blank=True)
    end_year = models.PositiveIntegerField(_("to (year)"), null=True, blank=True)
    budget_eur = models.DecimalField(_("budget (EUR)"), max_digits=15, decimal_places=0, null=True, blank=True)
    instruments = models.TextField(_("instruments"), blank=True)
    categories = models.ManyToManyField(Category, blank=True, related_name="programmes",
                                        verbose_name=_("target categories"))
    link = models.URLField(_("link"), blank=True)
    description = models.TextField(_("description"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="programmes")
    is_example = models.BooleanField(default=False, editable=False)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("country", "name")
        verbose_name = _("cluster programme")
        verbose_name_plural = _("cluster programmes")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.country, self.region = self.country.upper(), self.region.upper()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("registry:programme", args=[self.pk])

    @property
    def owner(self):
        return None  # curated: only curators edit


class NewsKind(models.TextChoices):
    NEWS = "news", _("News")
    PUBLICATION = "publication", _("Publication")


class NewsItem(models.Model):
    """News and publications (reports with metadata and a file), managed by curators."""

    kind = models.CharField(_("kind"), max_length=12, choices=NewsKind.choices, default=NewsKind.NEWS)
    title = models.CharField(_("title"), max_length=250)
    summary = models.TextField(_("summary"))
    body = models.TextField(_("text"), blank=True)
    authors = models.CharField(_("authors"), max_length=300, blank=True)
    published = models.DateField(_("published"))
    file = models.FileField(_("file"), upload_to="publications/", blank=True,
                            validators=[FileExtensionValidator(["pdf", "csv", "xlsx", "docx", "odt", "zip"])])
    link = models.URLField(_("link"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="news_items")
    is_example = models.BooleanField(default=False, editable=False)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("-published", "-created")
        verbose_name = _("news item or publication")
        verbose_name_plural = _("news and publications")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("registry:news_item", args=[self.pk])

    @property
    def owner(self):
        return None
