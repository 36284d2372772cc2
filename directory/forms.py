"""Input validation for the directory: the search form and the profile forms."""

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from comptoir.uploads import PhotoField

from .exchange import MAX_IMPORT_BYTES, ImportMode
from .models import (
    CONTACT_BODY_MAX_LENGTH,
    CONTACT_SUBJECT_MAX_LENGTH,
    Cafe,
    Commune,
    Departement,
    EntryKind,
    PopulationBand,
    Professional,
    Supplier,
    SupplierCategory,
)
from .search import FACETS, SORTS, DirectoryQuery
from .text import fold

MAX_QUERY_LENGTH = 200
MAX_TAG_LENGTH = 100
MAX_PAGE = 10_000

SORT_CHOICES = [
    ("relevance", _("Relevance")),
    ("name", _("Name")),
    ("verified", _("Recently verified")),
]
assert [value for value, _label in SORT_CHOICES] == list(SORTS)


class DirectorySearchForm(forms.Form):
    """Reads the search page's GET parameters. Unknown values are dropped with a message,
    never an error page: a shared or bookmarked link may outlive the values it names."""

    q = forms.CharField(label=_("Search"), required=False, max_length=MAX_QUERY_LENGTH)
    kind = forms.MultipleChoiceField(
        label=_("Type"),
        required=False,
        choices=EntryKind.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    departement = forms.MultipleChoiceField(label=_("Département"), required=False)
    region = forms.MultipleChoiceField(label=_("Région"), required=False)
    population_band = forms.MultipleChoiceField(
        label=_("Commune population"),
        required=False,
        choices=PopulationBand.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    category = forms.MultipleChoiceField(
        label=_("Supplier category"),
        required=False,
        choices=SupplierCategory.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    delivers_to = forms.MultipleChoiceField(label=_("Delivers to or serves"), required=False)
    tag = forms.MultipleChoiceField(label=_("Tags"), required=False)
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=SORT_CHOICES)
    page = forms.IntegerField(label=_("Page"), required=False, min_value=1, max_value=MAX_PAGE)

    def __init__(self, data=None, *args, **kwargs) -> None:
        super().__init__(data, *args, **kwargs)
        from .selectors import geography_labels

        labels = geography_labels()
        departements = list(labels["departement"].items())
        self.fields["departement"].choices = departements
        self.fields["delivers_to"].choices = departements
        self.fields["region"].choices = list(labels["region"].items())
        self.notices: list[str] = []

    def clean_tag(self) -> list[str]:
        return [tag.strip()[:MAX_TAG_LENGTH] for tag in self.cleaned_data["tag"] if tag.strip()]

    def full_clean(self) -> None:
        # Tags are free values: any is accepted, length-limited.
        if self.data and hasattr(self.data, "getlist"):
            self.fields["tag"].choices = [(t, t) for t in self.data.getlist("tag")]
        super().full_clean()

    def to_query(self, *, page_size: int = 20) -> DirectoryQuery:
        """The query the page runs, keeping every valid part of what was asked."""
        if not self.is_bound:
            data = {}
        else:
            self.is_valid()
            data = self.cleaned_data
        for name, errors in self.errors.items() if self.is_bound else []:
            label = self.fields[name].label if name in self.fields else name
            self.notices.append(
                _("The filter “%(filter)s” was ignored: %(error)s")
                % {"filter": label, "error": " ".join(errors)}
            )
        filters = {}
        for name in FACETS:
            values = data.get(name) or ()
            if values:
                filters[name] = tuple(values)
        return DirectoryQuery(
            text=(data.get("q") or "").strip(),
            filters=filters,
            sort=data.get("sort") or "relevance",
            page=data.get("page") or 1,
            page_size=page_size,
        )


def split_names(value: str) -> list[str]:
    """Tags typed as "épicerie, pain, relais poste". A name without a letter or a digit (only
    punctuation or emoji) is left out: a tag needs a slug, made of those."""
    names = (name.strip()[:100].strip() for name in value.split(","))
    return [name for name in names if slugify(name, allow_unicode=True)]


class NamesField(forms.CharField):
    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 1000)
        kwargs.setdefault("help_text", _("Separate them with commas."))
        super().__init__(**kwargs)

    def clean(self, value) -> list[str]:
        return split_names(super().clean(value) or "")


class CommuneField(forms.CharField):
    """A commune typed by its INSEE code or postal code and name: "01001" or "01400 Châtillon"."""

    default_error_messages = {
        "unknown": _("No commune matches “%(value)s”. Type its postal code and name."),
        "ambiguous": _("Several communes match “%(value)s”: add the postal code."),
    }

    def clean(self, value) -> Commune | None:
        value = (super().clean(value) or "").strip()
        if not value:
            return None
        communes = Commune.objects.select_related("departement__region")
        if value.isdigit() and len(value) == 5:
            found = communes.filter(insee_code=value).first()
            if found:
                return found
            matches = list(communes.filter(postal_codes__contains=value)[:2])
        else:
            words = value.split()
            postal = next((w for w in words if w.isdigit() and len(w) == 5), None)
            name = fold(" ".join(w for w in words if w != postal))
            matches = communes.filter(search_name=name)
            if postal:
                matches = matches.filter(postal_codes__contains=postal)
            matches = list(matches[:2])
        if not matches:
            raise forms.ValidationError(self.error_messages["unknown"], params={"value": value})
        if len(matches) > 1:
            raise forms.ValidationError(self.error_messages["ambiguous"], params={"value": value})
        return matches[0]

    def prepare_value(self, value):
        if isinstance(value, Commune):
            return f"{value.postal_code_list[0] if value.postal_code_list else ''} {value.name}"
        if isinstance(value, str) and value.isdigit() and len(value) == 5:
            commune = Commune.objects.filter(insee_code=value).first()
            if commune:
                return self.prepare_value(commune)
        return value


CONTACT_FIELDS = [
    "phone",
    "phone_visibility",
    "email",
    "email_visibility",
    "address",
    "address_visibility",
]


class ProfileForm(forms.ModelForm):
    """A directory profile: its commune and tags shown as text, its model fields handed to the
    service as a dict."""

    # Form field (comma-separated text) -> the instance's tag manager.
    tag_fields: dict[str, str] = {"tags_text": "tags"}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["commune"] = self.instance.commune
            for field, manager in self.tag_fields.items():
                tags = getattr(self.instance, manager).all()
                self.initial[field] = ", ".join(tag.name for tag in tags)

    def model_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class CafeForm(ProfileForm):
    photo_upload = PhotoField(label=_("Photo"), required=False)
    remove_photo = forms.BooleanField(label=_("Remove the current photo"), required=False)
    commune = CommuneField(
        label=_("Commune"), help_text=_("Postal code and name, for example “01400 Sulignat”.")
    )
    services_text = NamesField(
        label=_("Services offered"),
        help_text=_(
            "Grocery, bread, post relay, parcel point, meals, events... separated by commas."
        ),
    )
    tags_text = NamesField(label=_("Tags"))

    class Meta:
        model = Cafe
        fields = [
            "name",
            "commune",
            "address",
            "address_visibility",
            "opening_hours",
            "licence_type",
            "has_dedicated_space",
            "is_last_cafe",
            "description",
            "contact_preference",
            "phone",
            "phone_visibility",
            "email",
            "email_visibility",
        ]
        widgets = {
            "opening_hours": forms.Textarea(attrs={"rows": 3}),
            "description": forms.Textarea(attrs={"rows": 5}),
            "address": forms.Textarea(attrs={"rows": 2}),
        }

    tag_fields = {"services_text": "services", "tags_text": "tags"}


class ManagerProfileForm(forms.Form):
    can_share = forms.CharField(
        label=_("What I can share with peers"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Skills, experiences, tips: what other managers may ask you about."),
    )
    tags_text = NamesField(label=_("Tags"))


class ProfessionalForm(ProfileForm):
    commune = CommuneField(label=_("Based in"), required=False)
    skills_text = NamesField(
        label=_("Skills"),
        help_text=_("Accounting, hygiene, events, digital, renovation... separated by commas."),
    )
    tags_text = NamesField(label=_("Tags"))
    departements_served = forms.ModelMultipleChoiceField(
        label=_("Départements served"),
        queryset=Departement.objects.all(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )

    class Meta:
        model = Professional
        fields = [
            "name",
            "commune",
            "is_trainer",
            "description",
            "conditions",
            "availability",
            *CONTACT_FIELDS,
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "conditions": forms.Textarea(attrs={"rows": 3}),
            "availability": forms.Textarea(attrs={"rows": 2}),
            "address": forms.Textarea(attrs={"rows": 2}),
        }

    tag_fields = {"skills_text": "skills", "tags_text": "tags"}


class SupplierForm(ProfileForm):
    commune = CommuneField(label=_("Based in"), required=False)
    categories = forms.MultipleChoiceField(
        label=_("Categories"),
        choices=SupplierCategory.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    tags_text = NamesField(label=_("Tags"))
    departements_delivered = forms.ModelMultipleChoiceField(
        label=_("Départements delivered"),
        queryset=Departement.objects.all(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )

    class Meta:
        model = Supplier
        fields = [
            "name",
            "commune",
            "description",
            "minimum_order",
            "conditions",
            *CONTACT_FIELDS,
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "conditions": forms.Textarea(attrs={"rows": 3}),
            "address": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["categories"] = list(
                self.instance.categories.values_list("category", flat=True)
            )


class PlainTextField(forms.CharField):
    """Text as typed, with line breaks as LF: browsers send CRLF, which would count twice
    against ``max_length`` where the page counted one character."""

    def to_python(self, value):
        return super().to_python(value).replace("\r\n", "\n").replace("\r", "\n")


class ContactForm(forms.Form):
    """A message to a directory entry. Plain text: nothing in it is read as HTML, on a page or
    in the mail."""

    subject = forms.CharField(label=_("Subject"), max_length=CONTACT_SUBJECT_MAX_LENGTH)
    body = PlainTextField(
        label=_("Message"),
        max_length=CONTACT_BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Plain text, 5,000 characters at most."),
    )

    def clean_subject(self) -> str:
        # One line: the subject becomes the subject of a mail.
        return " ".join(self.cleaned_data["subject"].split())


class SupplierImportForm(forms.Form):
    """The CSV file of suppliers and what to do with wrong rows; the content itself is read
    and checked by ``directory.exchange.suppliers_import``."""

    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("UTF-8 or Windows-1252, columns separated by “;” or “,”."),
    )
    mode = forms.ChoiceField(
        label=_("If some rows are wrong"),
        choices=ImportMode.choices,
        initial=ImportMode.ALL_OR_NOTHING,
        widget=forms.RadioSelect,
    )

    def clean_file(self) -> UploadedFile:
        upload = self.cleaned_data["file"]
        # Refused on the size the upload declares, before anything reads it.
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(
                _("The file is too large (%(size)s): the limit is %(limit)s."),
                params={
                    "size": filesizeformat(upload.size),
                    "limit": filesizeformat(MAX_IMPORT_BYTES),
                },
            )
        return upload
