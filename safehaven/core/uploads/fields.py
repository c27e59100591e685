"""A form field for an evidence file: the upload made safe (``sanitise_evidence``), or a
message saying why it was refused and what to do instead."""

from __future__ import annotations

from typing import IO, Any

from django import forms
from django.core.exceptions import ValidationError

from safehaven.core.uploads.sanitise import (
    KEPT_FORMATS,
    EvidenceRefused,
    SanitisedFile,
    sanitise_evidence,
    too_large_message,
)


class EvidenceFileField(forms.FileField):
    """Cleans to a :class:`SanitisedFile`; the original name is dropped here."""

    def __init__(self, **kwargs: Any) -> None:
        accept = ",".join(content_type for content_type, _ext, _opts in KEPT_FORMATS.values())
        kwargs.setdefault("widget", forms.FileInput(attrs={"accept": accept}))
        super().__init__(**kwargs)

    def to_python(self, data: Any) -> Any:
        if data in self.empty_values:
            return None
        # Not Django's name and size checks: the name is never kept, the size is the
        # upload handler's, and an oversize upload arrives empty on purpose.
        try:
            return sanitise_evidence(data)
        except EvidenceRefused as refusal:
            raise ValidationError(refusal.message, code="refused") from None

    def bound_data(self, data: Any, initial: Any) -> Any:
        return initial

    def has_changed(self, initial: Any, data: Any) -> bool:
        return data is not None

    def clean(self, data: Any, initial: Any = None) -> SanitisedFile | None:
        value = self.to_python(data)
        if value is None and self.required:
            raise ValidationError(self.error_messages["required"], code="required")
        return value


class DeferredEvidenceFileField(EvidenceFileField):
    """Cleans to the upload itself, not yet made safe: for a form whose action must count a
    budget and a cap before paying for the decoding, then call ``sanitise_evidence`` itself.
    Only what costs nothing is refused here (a file over the size cap)."""

    def to_python(self, data: Any) -> Any:
        if data in self.empty_values:
            return None
        if getattr(data, "too_large", False):
            raise ValidationError(too_large_message(), code="refused")
        return data

    def clean(self, data: Any, initial: Any = None) -> IO[bytes] | None:  # type: ignore[override]
        value = self.to_python(data)
        if value is None and self.required:
            raise ValidationError(self.error_messages["required"], code="required")
        return value
