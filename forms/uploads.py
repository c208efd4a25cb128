"""Checks of uploaded files: extension, size, and that the content really is what the extension says."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# The first bytes of each accepted type. Office formats of today are ZIP containers, older ones OLE2.
SIGNATURES = {
    "pdf": (b"%PDF-",),
    "docx": (b"PK\x03\x04",),
    "xlsx": (b"PK\x03\x04",),
    "pptx": (b"PK\x03\x04",),
    "odt": (b"PK\x03\x04",),
    "ods": (b"PK\x03\x04",),
    "zip": (b"PK\x03\x04",),
    "doc": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",),
    "xls": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "gif": (b"GIF87a", b"GIF89a"),
    "rtf": (b"{\\rtf",),
}
TEXT_EXTENSIONS = {"txt", "csv"}
# Programs and scripts are refused whatever they are called.
EXECUTABLE_SIGNATURES = (b"MZ", b"\x7fELF", b"#!", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe", b"\xfe\xed\xfa")


def extension_of(name):
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def check_upload(upload, extensions, max_bytes):
    """Raise ValidationError with a Russian message saying what is wrong and what to do."""
    extension = extension_of(upload.name)
    allowed = ", ".join(extensions)
    if extension not in extensions:
        raise ValidationError(
            _("Файл «%(name)s» не подходит: можно загрузить только %(allowed)s.")
            % {"name": upload.name, "allowed": allowed},
            code="extension",
        )
    if upload.size > max_bytes:
        raise ValidationError(
            _("Файл «%(name)s» больше %(limit)d МБ. Уменьшите его (сожмите или разделите) и загрузите снова.")
            % {"name": upload.name, "limit": max_bytes // (1024 * 1024)},
            code="size",
        )
    if upload.size == 0:
        raise ValidationError(_("Файл «%(name)s» пустой.") % {"name": upload.name}, code="empty")
    upload.seek(0)
    head = upload.read(2048)
    upload.seek(0)
    mismatch = ValidationError(
        _("Содержимое файла «%(name)s» не похоже на %(type)s. Загрузите настоящий файл этого типа.")
        % {"name": upload.name, "type": extension.upper()},
        code="content",
    )
    if head.startswith(EXECUTABLE_SIGNATURES):
        raise mismatch
    if extension in SIGNATURES and not head.startswith(SIGNATURES[extension]):
        raise mismatch
    if extension in TEXT_EXTENSIONS and b"\x00" in head:
        raise mismatch
