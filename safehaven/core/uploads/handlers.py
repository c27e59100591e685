"""The one upload handler (``FILE_UPLOAD_HANDLERS``): every uploaded file stays in memory,
never in a temporary file (Django's own writes uploads over 2.5 MB to disk, in clear), a file
over ``UPLOAD_MAX_BYTES`` is dropped while it streams in, and a post whose whole body is larger
than one such file and a little more is refused before any of it is read."""

from __future__ import annotations

from io import BytesIO
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler

# What a post may carry besides its one file (DATA_UPLOAD_MAX_NUMBER_FILES): the multipart
# boundaries and headers, a CSRF token, a short description.
BODY_ALLOWANCE = 64 * 1024


class UploadTooLarge(RequestDataTooBig):
    """A post with a file whose body is over ``UPLOAD_MAX_BYTES`` and ``BODY_ALLOWANCE``: refused
    unread. Django answers 400 through ``core.views.bad_request``, which says the file is too
    large (413)."""


def body_limit() -> int:
    return int(settings.UPLOAD_MAX_BYTES) + BODY_ALLOWANCE


class OversizeUpload(InMemoryUploadedFile):
    """What is left of a file over the cap: its name and how much was sent, no content. The
    form field turns it into a message (``core.uploads.fields``)."""

    too_large = True


class MemoryOnlyUploadHandler(FileUploadHandler):
    """Keep each file in memory up to ``settings.UPLOAD_MAX_BYTES``; past it, keep nothing more
    and hand the form an :class:`OversizeUpload`."""

    def handle_raw_input(
        self,
        input_data: IO[bytes],
        META: dict[str, Any],
        content_length: int,
        boundary: str,
        encoding: str | None = None,
    ) -> None:
        # Before any of it is read: no time spent receiving what would be dropped anyway.
        if content_length > body_limit():
            raise UploadTooLarge("A post with a file over the upload cap, refused unread.")

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
