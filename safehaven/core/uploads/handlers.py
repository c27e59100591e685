"""The one upload handler (``FILE_UPLOAD_HANDLERS``): every uploaded file stays in memory,
never in a temporary file (Django's own writes uploads over 2.5 MB to disk, in clear), and a
file over ``UPLOAD_MAX_BYTES`` is dropped while it streams in."""

from __future__ import annotations

from io import BytesIO
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler


class OversizeUpload(InMemoryUploadedFile):
    """What is left of a file over the cap: its name and how much was sent, no content. The
    form field turns it into a message (``core.uploads.fields``)."""

    too_large = True


class MemoryOnlyUploadHandler(FileUploadHandler):
    """Keep each file in memory up to ``settings.UPLOAD_MAX_BYTES``; past it, keep nothing more
    and hand the form an :class:`OversizeUpload`."""

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.buffer: BytesIO | None = BytesIO()
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        self.received += len(raw_data)
        if self.buffer is None:
            return None
        if self.received > settings.UPLOAD_MAX_BYTES:
            # Drop what was kept too: nothing of an oversize file stays, even in memory.
            self.buffer.close()
            self.buffer = None
            return None
        self.buffer.write(raw_data)
        return None

    def file_complete(self, file_size: int) -> InMemoryUploadedFile:
        if self.buffer is None:
            return OversizeUpload(
                file=BytesIO(),
                field_name=self.field_name,
                name=self.file_name,
                content_type=self.content_type,
                size=self.received,
                charset=self.charset,
                content_type_extra=self.content_type_extra,
            )
        self.buffer.seek(0)
        return InMemoryUploadedFile(
            file=self.buffer,
            field_name=self.field_name,
            name=self.file_name,
            content_type=self.content_type,
            size=file_size,
            charset=self.charset,
            content_type_extra=self.content_type_extra,
        )
