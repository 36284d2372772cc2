"""The network's who's who: reference data on French communes, and the profiles of cafés,
managers, independent professionals and suppliers, plus the search index that lists them."""

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MaxLengthValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager
from taggit.models import ItemBase, TagBase, TaggedItemBase

# --- Reference data (INSEE, through @etalab/decoupage-administratif) --------------------------


class Region(models.Model):
    code = models.CharField(_("code"), max_length=3, primary_key=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("région")
        verbose_name_plural = _("régions")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Departement(models.Model):
    code = models.CharField(_("code"), max_length=3, primary_key=True)
    name = models.CharField(_("name"), max_length=100)
    region = models.ForeignKey(
        Region, verbose_name=_("région"), on_delete=models.PROTECT, related_name="departements"
    )

    class Meta:
        verbose_name = _("département")
        verbose_name_plural = _("départements")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class PopulationBand(models.TextChoices):
    """Bands used by the search facets; the programme's threshold is 3,500 inhabitants."""

    UNDER_500 = "0-499", _("Under 500 inhabitants")
    FROM_500 = "500-999", _("500 to 999 inhabitants")
    FROM_1000 = "1000-1999", _("1,000 to 1,999 inhabitants")
    FROM_2000 = "2000-3499", _("2,000 to 3,499 inhabitants")
    FROM_3500 = "3500+", _("3,500 inhabitants or more")
    UNKNOWN = "unknown", _("Population unknown")

    @classmethod
    def for_population(cls, population: int | None) -> "PopulationBand":
        if population is None:
            return cls.UNKNOWN
        if population < 500:
            return cls.UNDER_500
        if population < 1000:
            return cls.FROM_500
        if population < 2000:
            return cls.FROM_1000
        if population < 3500:
            return cls.FROM_2000
        return cls.FROM_3500


class Commune(models.Model):
    insee_code = models.CharField(_("INSEE code"), max_length=5, primary_key=True)
    name = models.CharField(_("name"), max_length=150)
    departement = models.ForeignKey(
        Departement,
        verbose_name=_("département"),
        on_delete=models.PROTECT,
        related_name="communes",
    )
    postal_codes = models.CharField(
        _("postal codes"), max_length=200, blank=True, help_text=_("Separated by spaces.")
    )
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    population_band = models.CharField(
        _("population band"),
        max_length=10,
        choices=PopulationBand.choices,
        default=PopulationBand.UNKNOWN,
    )
    # Name without accents, case or punctuation, for look-ups as a person types.
    search_name = models.CharField(max_length=150, db_index=True)

    class Meta:
        verbose_name = _("commune")
        verbose_name_plural = _("communes")
        ordering = ["name", "insee_code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.departement_id})"

    @property
    def postal_code_list(self) -> list[str]:
        return self.postal_codes.split()


# --- Shared profile parts -----------------------------------------------------------------------


class Visibility(models.TextChoices):
    MEMBERS = "members", _("Visible to all members")
    STAFF = "staff", _("Visible to programme staff only")


class ValidationStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed, waiting for staff")
    VALIDATED = "validated", _("Validated")
    REJECTED = "rejected", _("Rejected")


class ContactDetails(models.Model):
    """Phone, e-mail and address, each group with who may see it."""

    phone = models.CharField(_("phone"), max_length=30, blank=True)
    phone_visibility = models.CharField(
        _("who sees the phone"), max_length=10, choices=Visibility.choices, default=Visibility.STAFF
    )
    email = models.EmailField(_("e-mail"), blank=True)
    email_visibility = models.CharField(
        _("who sees the e-mail"),
        max_length=10,
        choices=Visibility.choices,
        default=Visibility.STAFF,
    )
    address = models.TextField(_("address"), blank=True)
    address_visibility = models.CharField(
        _("who sees the address"),
        max_length=10,
        choices=Visibility.choices,
        default=Visibility.MEMBERS,
    )
    last_verified_at = models.DateField(_("last verified"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


# --- Cafés --------------------------------------------------------------------------------------


class LicenceType(models.TextChoices):
    NONE = "none", _("No licence")
    SMALL_RESTAURANT = "small_restaurant", _("Small restaurant licence")
    RESTAURANT = "restaurant", _("Restaurant licence")
    LICENCE_III = "licence_iii", _("Licence III")
    LICENCE_IV = "licence_iv", _("Licence IV")


class ContactPreference(models.TextChoices):
    MESSAGE = "message", _("A message through Comptoir")
    PHONE = "phone", _("A phone call")
    EMAIL = "email", _("An e-mail")


class CafeService(TagBase):
    """What a multi-service café offers: grocery, bread, post relay, parcel point, meals..."""

    class Meta:
        verbose_name = _("café service")
        verbose_name_plural = _("café services")


class TaggedCafeService(ItemBase):
    tag = models.ForeignKey(CafeService, on_delete=models.CASCADE, related_name="tagged_cafes")
    content_object = models.ForeignKey("Cafe", on_delete=models.CASCADE)


class TaggedCafe(TaggedItemBase):
    content_object = models.ForeignKey("Cafe", on_delete=models.CASCADE)


class Cafe(ContactDetails):
    name = models.CharField(_("name"), max_length=150)
    commune = models.ForeignKey(
        Commune, verbose_name=_("commune"), on_delete=models.PROTECT, related_name="cafes"
    )
    opening_hours = models.TextField(_("opening hours"), blank=True)
    licence_type = models.CharField(
        _("licence"), max_length=20, choices=LicenceType.choices, default=LicenceType.NONE
    )
    has_dedicated_space = models.BooleanField(
        _("dedicated café-bar or tea-room space"), default=True
    )
    services = TaggableManager(
        verbose_name=_("services offered"),
        through=TaggedCafeService,
        related_name="cafes",
        blank=True,
        help_text=_("Grocery, bread, post relay, parcel point, meals, events..."),
    )
    photo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("photo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    description = models.TextField(_("description"), blank=True)
    contact_preference = models.CharField(
        _("preferred contact"),
        max_length=10,
        choices=ContactPreference.choices,
        default=ContactPreference.MESSAGE,
    )
    is_last_cafe = models.BooleanField(_("last café of the commune"), default=False)
    is_active = models.BooleanField(
        _("open"), default=True, help_text=_("Closed cafés stay on record but leave the directory.")
    )
    managers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("managers"), related_name="cafes", blank=True
    )
    tags = TaggableManager(verbose_name=_("tags"), through=TaggedCafe, blank=True)

    class Meta:
        verbose_name = _("café")
        verbose_name_plural = _("cafés")
        ordering = ["name"]
        indexes = [models.Index(fields=["commune", "is_active"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.commune.name})"

    def get_absolute_url(self) -> str:
        return reverse("directory:cafe_detail", args=[self.pk])


# --- Managers -----------------------------------------------------------------------------------


class TaggedManagerProfile(TaggedItemBase):
    content_object = models.ForeignKey("ManagerProfile", on_delete=models.CASCADE)


class ManagerProfile(models.Model):
    """What a café manager offers to share with peers; their cafés are ``member.cafes``."""

    member = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member"),
        on_delete=models.CASCADE,
        related_name="manager_profile",
    )
    can_share = models.TextField(
        _("what I can share with peers"),
        blank=True,
        help_text=_("Skills, experiences, tips: what other managers may ask you about."),
    )
    tags = TaggableManager(verbose_name=_("tags"), through=TaggedManagerProfile, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("manager profile")
        verbose_name_plural = _("manager profiles")

    def __str__(self) -> str:
        return str(self.member)

    def get_absolute_url(self) -> str:
        return reverse("directory:manager_detail", args=[self.pk])


class ProposedEntry(ContactDetails):
    """A professional or a supplier: members may propose one, staff validate it. It may or may
    not have a member account of its own."""

    member = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="%(class)s_profile",
    )
    name = models.CharField(_("name"), max_length=150)
    commune = models.ForeignKey(
        Commune,
        verbose_name=_("based in"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="%(class)ss",
    )
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ValidationStatus.choices,
        default=ValidationStatus.PROPOSED,
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


# --- Independent professionals ----------------------------------------------------------------


class ProfessionalSkill(TagBase):
    """Accounting, hygiene, events, digital, renovation..."""

    class Meta:
        verbose_name = _("skill")
        verbose_name_plural = _("skills")


class TaggedProfessionalSkill(ItemBase):
    tag = models.ForeignKey(
        ProfessionalSkill, on_delete=models.CASCADE, related_name="tagged_professionals"
    )
    content_object = models.ForeignKey("Professional", on_delete=models.CASCADE)


class TaggedProfessional(TaggedItemBase):
    content_object = models.ForeignKey("Professional", on_delete=models.CASCADE)


class Professional(ProposedEntry):
    skills = TaggableManager(
        verbose_name=_("skills"),
        through=TaggedProfessionalSkill,
        related_name="professionals",
        blank=True,
    )
    departements_served = models.ManyToManyField(
        Departement, verbose_name=_("départements served"), related_name="professionals", blank=True
    )
    is_trainer = models.BooleanField(_("runs training sessions"), default=False)
    conditions = models.TextField(_("rates or conditions"), blank=True)
    availability = models.TextField(_("availability"), blank=True)
    tags = TaggableManager(verbose_name=_("tags"), through=TaggedProfessional, blank=True)

    class Meta(ProposedEntry.Meta):
        verbose_name = _("independent professional")
        verbose_name_plural = _("independent professionals")

    def get_absolute_url(self) -> str:
        return reverse("directory:professional_detail", args=[self.pk])


# --- Suppliers ----------------------------------------------------------------------------------


class SupplierCategory(models.TextChoices):
    DRINKS = "drinks", _("Drinks")
    LOCAL_PRODUCTS = "local_products", _("Local products")
    GROCERY = "grocery", _("Grocery")
    BAKERY = "bakery", _("Bread and pastries")
    EQUIPMENT = "equipment", _("Equipment")
    PACKAGING = "packaging", _("Packaging and consumables")
    SERVICES = "services", _("Services")
    PRESS = "press", _("Press, tobacco and games")


class TaggedSupplier(TaggedItemBase):
    content_object = models.ForeignKey("Supplier", on_delete=models.CASCADE)


class Supplier(ProposedEntry):
    departements_delivered = models.ManyToManyField(
        Departement,
        verbose_name=_("départements delivered"),
        related_name="suppliers",
        blank=True,
    )
    minimum_order = models.CharField(_("minimum order"), max_length=100, blank=True)
    conditions = models.TextField(_("conditions"), blank=True)
    tags = TaggableManager(verbose_name=_("tags"), through=TaggedSupplier, blank=True)

    class Meta(ProposedEntry.Meta):
        verbose_name = _("supplier")
        verbose_name_plural = _("suppliers")

    def get_absolute_url(self) -> str:
        return reverse("directory:supplier_detail", args=[self.pk])


class SupplierCategoryAssignment(models.Model):
    supplier = models.ForeignKey(Supplier, on_delete=models.CASCADE, related_name="categories")
    category = models.CharField(_("category"), max_length=20, choices=SupplierCategory.choices)

    class Meta:
        verbose_name = _("supplier category")
        verbose_name_plural = _("supplier categories")
        constraints = [
            models.UniqueConstraint(
                fields=["supplier", "category"], name="supplier_category_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.get_category_display()


# --- The search index ---------------------------------------------------------------------------


class EntryKind(models.TextChoices):
    CAFE = "cafe", _("Café")
    MANAGER = "manager", _("Café manager")
    PROFESSIONAL = "professional", _("Independent professional")
    SUPPLIER = "supplier", _("Supplier")


class DirectoryEntry(models.Model):
    """One row per café, manager, professional or supplier, denormalised for search.

    Rebuilt from the profile by ``directory.indexing`` whenever a service changes it; the
    multi-valued facets (tags, categories, départements served...) live in
    :class:`DirectoryEntryFacet` so that every facet count is one GROUP BY.
    """

    kind = models.CharField(_("type"), max_length=20, choices=EntryKind.choices)
    object_id = models.PositiveBigIntegerField()
    title = models.CharField(_("name"), max_length=300)
    summary = models.CharField(_("summary"), max_length=500, blank=True)
    commune = models.ForeignKey(
        Commune, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    departement = models.ForeignKey(
        Departement, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    region = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    population_band = models.CharField(
        max_length=10, choices=PopulationBand.choices, default=PopulationBand.UNKNOWN
    )
    # Lower-case text without accents or punctuation: the SQLite engine searches it; on
    # PostgreSQL it feeds the tsvector below.
    search_text = models.TextField(blank=True)
    title_search = models.CharField(max_length=300, blank=True)
    # PostgreSQL full text (french + unaccent), filled by the indexer; stays empty on SQLite.
    search_vector = SearchVectorField(null=True, blank=True)
    is_listed = models.BooleanField(default=True)
    last_verified_at = models.DateField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("directory entry")
        verbose_name_plural = _("directory entries")
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="directory_entry_unique"),
        ]
        indexes = [
            models.Index(fields=["is_listed", "kind"]),
            models.Index(fields=["title_search"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title}"

    def get_absolute_url(self) -> str:
        return reverse(f"directory:{self.kind}_detail", args=[self.object_id])


class DirectoryEntryFacet(models.Model):
    entry = models.ForeignKey(DirectoryEntry, on_delete=models.CASCADE, related_name="facets")
    name = models.CharField(max_length=20)
    value = models.CharField(max_length=100)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["entry", "name", "value"], name="directory_entry_facet_unique"
            ),
        ]
        indexes = [models.Index(fields=["name", "value", "entry"])]

    def __str__(self) -> str:
        return f"{self.name}={self.value}"


# --- Messages between members -------------------------------------------------------------------

CONTACT_SUBJECT_MAX_LENGTH = 150
CONTACT_BODY_MAX_LENGTH = 5000


class ContactMessage(models.Model):
    """A message a member wrote to a directory entry, relayed by e-mail by the site.

    One row per recipient. ``recipient_email`` is the address the site wrote to: it is never
    shown to the sender. The rows of one sending share their ``created_at``.
    """

    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sender"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="contact_messages_sent",
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contact_messages_received",
        help_text=_("Empty when the message went to the e-mail of a profile with no account."),
    )
    recipient_email = models.EmailField(_("recipient e-mail"))
    about_kind = models.CharField(
        _("type of the entry written to"), max_length=20, choices=EntryKind.choices
    )
    about_object_id = models.PositiveBigIntegerField(_("entry id"))
    subject = models.CharField(_("subject"), max_length=CONTACT_SUBJECT_MAX_LENGTH)
    body = models.TextField(_("message"), validators=[MaxLengthValidator(CONTACT_BODY_MAX_LENGTH)])
    created_at = models.DateTimeField(_("sent"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("contact message")
        verbose_name_plural = _("contact messages")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["sender", "created_at"])]

    def __str__(self) -> str:
        return self.subject
