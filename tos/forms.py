"""Forms of the leaders' self-service: profile, project, news item, document, photo. The cabinet and the API share them.

Every form works on a working copy (the latest revision as an object) and never saves it to the database:
the view turns the result into a new revision.
"""

import json

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from modelcluster.forms import ClusterForm
from wagtail.blocks import StreamValue
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.images.fields import WagtailImageField
from wagtail.models import Collection

from forms.uploads import check_upload
from tos.models import ActivityArea, RegistrationRequest, TOSDocument, TOSNewsItem, TOSProfilePage, TOSProject
from tos.validators import validate_geojson

PHOTO_COLLECTION = "Фотографии ТОС"
DOCUMENT_COLLECTION = "Документы ТОС"
DOCUMENT_EXTENSIONS = ("pdf", "docx", "doc", "odt", "rtf", "jpg", "jpeg", "png")
MAX_NEW_PHOTOS = 10
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def negative_message(label):
    return _("«%(field)s» не может быть отрицательным числом: укажите 0 или больше.") % {"field": label}


def russian_number_messages(form, names):
    """Messages for numbers that name the field, so that an error read out of context (API, screen reader) is clear."""
    for name in names:
        field = form.fields.get(name)
        if field is not None:
            label = str(field.label)
            field.error_messages["min_value"] = negative_message(label)
            field.error_messages["invalid"] = _("«%(field)s»: введите число цифрами, без букв.") % {"field": label}


class GeometryField(forms.CharField):
    """GeoJSON typed or pasted as text (the map on the page fills it in for a point)."""

    widget = forms.Textarea(attrs={"rows": 3, "spellcheck": "false", "class": "geometry-input"})

    def prepare_value(self, value):
        if isinstance(value, dict):
            return json.dumps(value, ensure_ascii=False)
        return value

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        if isinstance(value, dict):
            return value
        validate_geojson(value)
        return json.loads(value)


def https_by_default(model_field, **kwargs):
    """Addresses typed without a scheme («vk.com/tos») are read as https://, as browsers do."""
    if isinstance(model_field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return model_field.formfield(**kwargs)


class ProfileForm(ClusterForm):
    geometry = GeometryField(
        label=_("Границы на карте (GeoJSON)"),
        required=False,
        help_text=_("Щёлкните по карте, чтобы поставить точку, или вставьте многоугольник в формате GeoJSON."),
    )
    activity_areas = forms.ModelMultipleChoiceField(
        ActivityArea.objects.all(),
        label=_("Направления деятельности"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = TOSProfilePage
        fields = [
            "title",
            "summary",
            "about",
            "settlement",
            "boundaries_text",
            "boundaries_act",
            "geometry",
            "founded_at",
            "charter_registered_at",
            "charter_number",
            "legal_form",
            "inn",
            "ogrn",
            "chair_name",
            "residents_count",
            "households_count",
            "apartment_buildings_count",
            "area_ha",
            "activity_areas",
            "phone",
            "email",
            "website",
            "social_url",
            "address",
            "reception_hours",
        ]
        formfield_callback = https_by_default
        formsets = {"council_members": {"fields": ["name", "position", "consent_to_publish"], "extra": 1}}
        labels = {"title": _("Название ТОС")}
        widgets = {
            "founded_at": DATE_INPUT,
            "charter_registered_at": DATE_INPUT,
            "about": forms.Textarea(attrs={"rows": 6}),
            "boundaries_text": forms.Textarea(attrs={"rows": 3}),
            "summary": forms.Textarea(attrs={"rows": 2}),
        }

    # The fields an API client may change, in the order of the form.
    editable_fields = Meta.fields

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        russian_number_messages(self, ["residents_count", "households_count", "apartment_buildings_count", "area_ha"])
        for name in ("founded_at", "charter_registered_at"):
            self.fields[name].error_messages["invalid"] = _("«%(field)s»: дата в виде ДД.ММ.ГГГГ.") % {
                "field": self.fields[name].label
            }


def collection_named(name):
    root = Collection.get_first_root_node()
    existing = root.get_children().filter(name=name).first()
    return existing or root.add_child(name=name)


def photo_collection():
    return collection_named(PHOTO_COLLECTION)


def check_photo(upload, label):
    """Refuse an oversized or unreadable photo with a message naming the file and the limit."""
    limit = settings.TOS_PHOTO_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            _(
                "«%(field)s»: файл «%(name)s» весит %(size)s — больше допустимых %(limit)s. "
                "Уменьшите фотографию (например, сохраните её с меньшим разрешением) и загрузите снова."
            ),
            params={
                "field": label,
                "name": upload.name,
                "size": filesizeformat(upload.size),
                "limit": filesizeformat(limit),
            },
            code="file_too_large",
        )
    try:
        return WagtailImageField().clean(upload)
    except ValidationError as error:
        raise ValidationError(
            _("«%(field)s»: файл «%(name)s» — не фотография в формате JPEG, PNG, WebP или GIF (%(reason)s)."),
            params={"field": label, "name": upload.name, "reason": " ".join(error.messages)},
            code="not_an_image",
        ) from error


def store_photo(upload, title, user):
    """A Wagtail image in the TOS photo collection; called only after every check of the form has passed."""
    image = get_image_model()(title=title[:255], file=upload, collection=photo_collection(), uploaded_by_user=user)
    image.save()
    return image


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    widget = MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"})

    def clean(self, data, initial=None):
        uploads = [upload for upload in (data if isinstance(data, list | tuple) else [data]) if upload]
        if len(uploads) > MAX_NEW_PHOTOS:
            raise ValidationError(
                _("«%(field)s»: за один раз — не больше %(count)s фотографий."),
                params={"field": self.label, "count": MAX_NEW_PHOTOS},
            )
        errors, checked = [], []
        for upload in uploads:
            try:
                checked.append(check_photo(upload, self.label))
            except ValidationError as error:
                errors.extend(error.error_list)
        if errors:
            raise ValidationError(errors)
        return checked


class ProjectForm(forms.ModelForm):
    new_photos = PhotosField(
        label=_("Добавить фотографии"),
        required=False,
        help_text=_("JPEG, PNG или WebP, до %(limit)s каждая, не больше %(count)s за раз."),
    )
    photo_caption = forms.CharField(
        label=_("Что на фотографиях"),
        max_length=255,
        required=False,
        help_text=_("Коротко, для незрячих читателей: «Новая детская площадка во дворе дома 5»."),
    )
    remove_photos = forms.MultipleChoiceField(
        label=_("Убрать фотографии"), required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = TOSProject
        fields = [
            "title",
            "year",
            "activity_area",
            "funding_source",
            "amount",
            "residents_share",
            "status",
            "description",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_photos"].help_text = self.fields["new_photos"].help_text % {
            "limit": filesizeformat(settings.TOS_PHOTO_MAX_BYTES),
            "count": MAX_NEW_PHOTOS,
        }
        self.fields["remove_photos"].choices = [
            (block.id, block.value.contextual_alt_text or str(index + 1))
            for index, block in enumerate(self.instance.photos)
        ]
        russian_number_messages(self, ["year", "amount", "residents_share"])

    def apply_uploads(self, user):
        """Drop the photos ticked for removal and append the uploaded ones (stored now, shown once approved)."""
        project = self.instance
        removed = set(self.cleaned_data.get("remove_photos") or [])
        caption = self.cleaned_data.get("photo_caption") or project.title
        kept = [("photo", block.value, block.id) for block in project.photos if block.id not in removed]
        for upload in self.cleaned_data.get("new_photos") or []:
            image = store_photo(upload, caption, user)
            image.contextual_alt_text, image.decorative = caption, False
            kept.append(("photo", image, None))
        project.photos = StreamValue(project.photos.stream_block, kept)


class NewsForm(forms.ModelForm):
    new_image = forms.FileField(
        label=_("Фотография"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"}),
    )
    remove_image = forms.BooleanField(label=_("Убрать фотографию"), required=False)

    class Meta:
        model = TOSNewsItem
        fields = ["kind", "title", "published_on", "event_starts_at", "place", "text"]
        widgets = {
            "published_on": DATE_INPUT,
            "event_starts_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "text": forms.Textarea(attrs={"rows": 6}),
        }

    def clean_new_image(self):
        upload = self.cleaned_data.get("new_image")
        return check_photo(upload, self.fields["new_image"].label) if upload else None

    def apply_uploads(self, user):
        item = self.instance
        if self.cleaned_data.get("remove_image"):
            item.image = None
        upload = self.cleaned_data.get("new_image")
        if upload:
            item.image = store_photo(upload, item.title, user)


class DocumentForm(forms.ModelForm):
    upload = forms.FileField(label=_("Файл"))

    class Meta:
        model = TOSDocument
        fields = ["kind", "title", "dated"]
        widgets = {"dated": DATE_INPUT}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        upload = self.fields["upload"]
        upload.help_text = _("PDF, DOCX, DOC, ODT, RTF или скан в JPEG/PNG, до %(limit)s.") % {
            "limit": filesizeformat(settings.TOS_DOCUMENT_MAX_BYTES)
        }
        upload.error_messages["required"] = _("Выберите файл документа.")
        if self.instance.document_id:
            upload.required = False
            upload.help_text += " " + str(_("Загрузите файл, только если его нужно заменить."))

    def clean_upload(self):
        upload = self.cleaned_data.get("upload")
        if upload:
            try:
                check_upload(upload, DOCUMENT_EXTENSIONS, settings.TOS_DOCUMENT_MAX_BYTES)
            except ValidationError as error:
                raise ValidationError(
                    _("«%(field)s»: %(problem)s"),
                    params={"field": self.fields["upload"].label, "problem": error.messages[0]},
                ) from error
        return upload

    def apply_uploads(self, user):
        """Store the uploaded file as a Wagtail document, linked from the draft (public once approved)."""
        upload = self.cleaned_data.get("upload")
        if upload:
            document = get_document_model()(
                title=self.instance.title[:255],
                file=upload,
                collection=collection_named(DOCUMENT_COLLECTION),
                uploaded_by_user=user,
            )
            document.save()
            self.instance.document = document


class RegistrationRequestForm(forms.ModelForm):
    consent = forms.BooleanField(
        label=_("Согласен на обработку персональных данных"),
        help_text=_("Имя, телефон и адрес председателя увидят только модераторы платформы (152-ФЗ)."),
        error_messages={"required": _("Без согласия на обработку персональных данных заявку принять нельзя.")},
    )

    class Meta:
        model = RegistrationRequest
        fields = [
            "name",
            "municipality",
            "settlement",
            "boundaries_text",
            "founded_at",
            "charter_registered_at",
            "residents_count",
            "leader_name",
            "leader_email",
            "leader_phone",
            "comment",
        ]
        widgets = {
            "founded_at": DATE_INPUT,
            "charter_registered_at": DATE_INPUT,
            "boundaries_text": forms.Textarea(attrs={"rows": 3}),
            "comment": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        russian_number_messages(self, ["residents_count"])
        for name, field in self.fields.items():
            if field.required and name != "consent":
                field.error_messages["required"] = _("Заполните поле «%(field)s».") % {"field": field.label}
