"""The form fuzzer's values: hypothesis strategies that fill a form's fields with a mix of
valid choices and junk, files for its file input, and the raw request body (bytes, so that
invalid UTF-8 and lone surrogates reach the server as a browser could send them)."""

from __future__ import annotations

import datetime
import secrets
from dataclasses import dataclass
from urllib.parse import quote_from_bytes

from django.utils import timezone
from hypothesis import strategies as st

from safehaven.core.tests.form_fuzz import CHOICES, CSRF_FIELD, Field, Form, as_int

JUNK_FIELD_NAMES = ("id", "pk", "user", "next", "state", "amount", "__proto__", "x" * 300)

# Bytes no valid UTF-8 text holds: a lone surrogate as UTF-8 would spell it, stray continuation
# and lead bytes, and an overlong NUL. The client sends them percent-encoded, as a browser may.
INVALID_UTF8 = (b"\xed\xa0\x80", b"\xed\xbf\xbf", b"\xff\xfe", b"\x80", b"\xc0\x80", b"\xf4\x90")
# Longer than any field takes: text, digits (over Python's 4,300-digit int() limit),
# right-to-left text with emoji, and nesting deeper than json.loads() recurses.
HUGE = (b"x" * 100_000, b"9" * 5_000, ("Ab\u202e😀" * 5_000).encode(), b"[" * 50_000)
NASTY = (
    "",
    " ",
    "\u00a0",
    "\x00",
    "a\x00b",
    "\r\n",
    "\t",
    "\x1b[31m",
    "\u202egnp.exe",  # right-to-left override
    "مرحبا بالعالم",
    "שלום",
    "🏳️‍🌈🏳️‍⚧️",
    "\ufeff",
    "\u200b",
    "Ω≈ç√∫",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "{{ 7*7 }}",
    "%s%s%n",
    "../../../etc/passwd",
    "-1",
    "0",
    "\u00b2",  # a digit to str.isdigit(), not to int()
    "\u0661\u0662",  # Arabic-Indic digits
    "\uff11\uff12",  # full-width digits
    "-0",
    "1e309",
    "NaN",
    "Infinity",
    "99999999999999999999999",
    "-9223372036854775809",
    "0x10",
    "1,5",
    "12.345678901234567890",
    "2024-02-30",
    "0000-00-00",
    "9999-12-31",
    "10000-01-01",
    "1900-01-01",
    "31/12/2024",
    "2024-13-01T25:61",
    "24:00",
    "today",
    "true",
    "null",
    "[]",
    "{}",
)


def _typed_value(item: Field) -> st.SearchStrategy[str]:
    """A value a person might well type in this field."""
    today = timezone.localdate()
    low, high = as_int(item.minimum), as_int(item.maximum)
    dates = st.dates(today - datetime.timedelta(days=400), today + datetime.timedelta(days=400))
    text = st.text(
        st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")),
        max_size=item.maxlength or 80,
    )
    if item.kind == "number":
        integers = st.integers(low if low is not None else -10, high if high is not None else 5000)
        decimals = st.decimals(0, 5000, places=2, allow_nan=False, allow_infinity=False)
        return st.one_of(integers.map(str), decimals.map(str))
    if item.kind == "date":
        return dates.map(datetime.date.isoformat)
    if item.kind == "datetime-local":
        return st.builds(
            lambda d, h, m: f"{d.isoformat()}T{h:02}:{m:02}",
            dates,
            st.integers(0, 23),
            st.integers(0, 59),
        )
    if item.kind == "time":
        return st.builds(lambda h, m: f"{h:02}:{m:02}", st.integers(0, 23), st.integers(0, 59))
    if item.kind == "email":
        return st.sampled_from(["someone@example.org", "a@b.test"])
    return st.one_of(st.just(item.value), text) if item.value else text


def junk() -> st.SearchStrategy[bytes]:
    """What no form expects: control characters, invalid UTF-8, huge strings, numbers out of
    range, malformed dates, markup."""
    any_text = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=40)
    return st.one_of(
        st.sampled_from(NASTY).map(str.encode),
        any_text.map(str.encode),
        st.sampled_from(INVALID_UTF8),
        st.builds(
            lambda a, b, c: a.encode() + b + c.encode(),
            any_text,
            st.sampled_from(INVALID_UTF8),
            any_text,
        ),
        st.sampled_from(HUGE),
    )


JUNK = junk()


def _value(item: Field) -> st.SearchStrategy[list[bytes]]:
    """The values sent for one field: none, a valid one (or several), junk, or a valid one
    and junk under one name."""
    if item.kind in CHOICES or item.kind == "button":
        options = [option.encode() for option in item.options] or [b""]
        if item.multiple:
            valid: st.SearchStrategy[list[bytes]] = st.lists(
                st.sampled_from(options), max_size=4, unique=True
            )
        else:
            valid = st.sampled_from(options).map(lambda value: [value])
    elif item.kind == "hidden":
        valid = st.just([item.value.encode()])
        if item.name == CSRF_FIELD:
            return valid  # Django's own check, not the form's: always the page's token
    elif item.kind == "file":
        valid = st.just([])  # files go in separately
    else:
        valid = _typed_value(item).map(lambda value: [value.encode("utf-8", "surrogatepass")])
    return st.one_of(
        valid,
        valid,
        valid,
        st.just([]),
        JUNK.map(lambda value: [value]),
        st.tuples(valid, JUNK).map(lambda pair: [*pair[0], pair[1]]),
    )


@dataclass(frozen=True)
class Upload:
    filename: bytes
    content_type: bytes
    content: bytes


PNG_1X1 = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cfc0f01f0005000201e7a4d8e10000000049454e44ae426082"
)
PDF_TINY = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def uploads(max_bytes: int) -> st.SearchStrategy[Upload | None]:
    """A file for a file input: a real small image, a PDF, text, nothing, an empty file, a
    file whose name lies about it, one over the size limit, one with a hostile name."""
    return st.one_of(
        st.none(),
        st.just(Upload(b"photo.png", b"image/png", PNG_1X1)),
        st.just(Upload(b"ticket.pdf", b"application/pdf", PDF_TINY)),
        st.just(Upload(b"empty.png", b"image/png", b"")),
        st.just(Upload(b"notes.txt", b"text/plain", b"donor,amount\nA,12.50\n")),
        st.just(Upload(b"photo.png", b"image/png", b"GIF89a not a png at all")),
        st.just(Upload(b"big.png", b"image/png", PNG_1X1 + b"\x00" * max_bytes)),
        st.just(Upload(b"../../\xed\xa0\x80\x00.png", b"image/png", PNG_1X1)),
        st.binary(max_size=200).map(
            lambda blob: Upload(b"blob.bin", b"application/octet-stream", blob)
        ),
    )


@dataclass
class Submission:
    pairs: list[tuple[bytes, bytes]]
    upload: tuple[bytes, Upload] | None

    def __repr__(self) -> str:
        """Short enough to read in a failure: long values are cut, with their length."""
        shown = [
            (name[:40], value if len(value) <= 60 else f"{value[:60]!r}... ({len(value)} bytes)")
            for name, value in self.pairs
        ]
        upload = self.upload and (self.upload[0], self.upload[1].filename)
        return f"Submission({shown!r}, file={upload!r})"


def submissions(form: Form, upload_max_bytes: int) -> st.SearchStrategy[Submission]:
    """Every field's values (a file input's upload) and up to two junk fields. Built once per
    form, not per example: a strategy made afresh for each draw cost a third of the fuzzing."""
    fields: list[st.SearchStrategy[tuple[bytes, list[bytes] | Upload | None]]] = []
    for item in form.fields.values():
        name = item.name.encode()
        values = uploads(upload_max_bytes) if item.kind == "file" else _value(item)
        fields.append(st.tuples(st.just(name), values))
    extra = st.lists(st.tuples(st.sampled_from(JUNK_FIELD_NAMES).map(str.encode), JUNK), max_size=2)
    return st.tuples(st.tuples(*fields), extra).map(_assembled)


def _assembled(
    drawn: tuple[tuple[tuple[bytes, list[bytes] | Upload | None], ...], list[tuple[bytes, bytes]]],
) -> Submission:
    fields, extra = drawn
    pairs: list[tuple[bytes, bytes]] = []
    upload = None
    for name, values in fields:
        if isinstance(values, list):
            pairs.extend((name, value) for value in values)
        elif values is not None:
            upload = (name, values)
    return Submission(pairs + extra, upload)


def encode_pairs(pairs: list[tuple[bytes, bytes]]) -> tuple[bytes, str]:
    body = "&".join(f"{quote_from_bytes(name)}={quote_from_bytes(value)}" for name, value in pairs)
    return body.encode(), "application/x-www-form-urlencoded"


def encode(submission: Submission, multipart: bool) -> tuple[bytes, str]:
    """The request body and its content type, built from bytes (the test client's own encoder
    takes only text it can encode)."""
    if not multipart and submission.upload is None:
        return encode_pairs(submission.pairs)
    boundary = secrets.token_hex(16).encode()
    parts = []
    for name, value in submission.pairs:
        parts.append(
            b'Content-Disposition: form-data; name="'
            + name.replace(b'"', b"%22")
            + b'"\r\n\r\n'
            + value
        )
    if submission.upload:
        name, upload = submission.upload
        parts.append(
            b'Content-Disposition: form-data; name="'
            + name
            + b'"; filename="'
            + upload.filename.replace(b'"', b"%22")
            + b'"\r\nContent-Type: '
            + upload.content_type
            + b"\r\n\r\n"
            + upload.content
        )
    body = b"".join(b"--" + boundary + b"\r\n" + part + b"\r\n" for part in parts)
    body += b"--" + boundary + b"--\r\n"
    return body, f"multipart/form-data; boundary={boundary.decode()}"


def nothing_filled(form: Form) -> Submission:
    """The form sent with nothing filled in or chosen: only its hidden fields, as shown."""
    hidden = [item for item in form.fields.values() if item.kind == "hidden"]
    return Submission([(item.name.encode(), item.value.encode()) for item in hidden], None)
