"""Input of the library's pages: search filters, uploads, contributions."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from comptoir.forms import ModelChoiceField

from .files import check_upload, max_upload_size
from .models import ResourceCategoryPage, ResourceType
from .selectors import category_list, tag_list_in_use

ACCEPT = ".pdf,.odt,.ods,.odp,.docx,.xlsx,.txt,.csv,.png,.jpg,.jpeg"
MAX_FILES = 5


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search the library"), max_length=200, required=False)
    category = ModelChoiceField(
        label=_("Category"),
        queryset=ResourceCategoryPage.objects.none(),
        required=False,
        empty_label=_("All categories"),
    )
    type = forms.ChoiceField(label=_("Type"), required=False)
    tag = forms.ChoiceField(label=_("Tag"), required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.input_type = "search"
        self.fields["category"].queryset = category_list()
        self.fields["type"].choices = [("", _("All types")), *ResourceType.choices]
        self.fields["tag"].choices = [("", _("All tags"))] + [
            (tag.slug, tag.name) for tag in tag_list_in_use()
        ]


class UploadField(forms.FileField):
    """A file checked by its content (type, size, archive bomb) before it is accepted."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault(
            "help_text",
            _("PDF, OpenDocument, Word, Excel, text, CSV or image; %(size)s at most.")
            % {"size": f"{max_upload_size() // (1024 * 1024)} Mo"},
        )
        super().__init__(**kwargs)
        self.widget.attrs["accept"] = ACCEPT

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload:
            check_upload(upload)
        return upload


class FileAddForm(forms.Form):
    title = forms.CharField(label=_("Title of the file"), max_length=200)
    upload = UploadField(label=_("File"))


class FileVersionForm(forms.Form):
    upload = UploadField(label=_("New version of the file"))


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleUploadField(UploadField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        items = data if isinstance(data, list | tuple) else [data] if data else []
        if self.required and not items:
            raise ValidationError(self.error_messages["required"], code="required")
        if len(items) > MAX_FILES:
            raise ValidationError(
                _("Send %(count)s files at most.") % {"count": MAX_FILES}, code="too_many"
            )
        cleaned, errors = [], []
        for item in items:
            try:
                cleaned.append(super().clean(item, initial))
            except ValidationError as error:
                errors.extend(f"{item.name} : {message}" for message in error.messages)
        if errors:
            raise ValidationError(errors)
        return cleaned


class ContributionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(
        label=_("Summary"),
        max_length=600,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the tool is for and who it helps, in a few lines."),
    )
    category = ModelChoiceField(label=_("Category"), queryset=ResourceCategoryPage.objects.none())
    resource_type = forms.ChoiceField(label=_("Type"), choices=ResourceType.choices)
    files = MultipleUploadField(label=_("Files"), required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = category_list()

    def clean_title(self) -> str:
        title = self.cleaned_data["title"].strip()
        if not title:
            raise ValidationError(_("Give the resource a title."))
        return title


class ContributionEditForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(
        label=_("Summary"), max_length=600, widget=forms.Textarea(attrs={"rows": 4})
    )
    resource_type = forms.ChoiceField(label=_("Type"), choices=ResourceType.choices)

    def clean_title(self) -> str:
        title = self.cleaned_data["title"].strip()
        if not title:
            raise ValidationError(_("Give the resource a title."))
        return title
