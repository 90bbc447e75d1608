"""Evidence documents: a photo of a licence (cleaned by the core image pipeline, stored as WebP with
no metadata) or a PDF (checked by its first bytes), kept privately under uploads/evidence/.

Files are named by the SHA-256 of what is stored and carry no extension: the public /media/ route
serves only .webp and .png names, so it can never hand out a licence. They are read back only
through the registration document route, which checks who is asking.
"""

import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

from flask_babel import LazyString
from PIL import Image

from ..core.images import ImageRejected, load_upload, write_atomic
from ..core.messages import lazy_gettext as _l
from ..core.numerals import fa_digits

FOLDER = "evidence"
PDF_MIME = "application/pdf"
PHOTO_MIME = "image/webp"
MIME_TYPES = (PDF_MIME, PHOTO_MIME)
PHOTO_MAX_SIDE = 2000  # enough to read a certificate's small print
PHOTO_QUALITY = 85


class DocumentRejected(ValueError):
    """The file cannot be kept as evidence; `.message` is the sentence to show beside the field."""

    def __init__(self, message, detail: str = ""):
        super().__init__(detail or str(message))
        self.message = message


@dataclass(frozen=True)
class StoredDocument:
    """Where a stored evidence file is (relative to the uploads folder), its type and uploaded size."""

    path: str
    mime: str
    size: int


def _read(upload, max_bytes: int) -> bytes:
    raw = upload if isinstance(upload, bytes) else upload.read(max_bytes + 1)
    if len(raw) > max_bytes:
        megabytes = LazyString(fa_digits, round(max_bytes / 2**20))
        raise DocumentRejected(
            _l("This file is too big. Please send a file smaller than %(megabytes)s MB.", megabytes=megabytes),
            f"more than {max_bytes} bytes",
        )
    if not raw:
        raise DocumentRejected(_l("This file is empty. Please choose it again."), "empty")
    return raw


def _check_pdf(raw: bytes) -> None:
    """A PDF starts with %PDF- and ends with %%EOF; a cut-off upload lacks the end."""
    if b"%%EOF" not in raw[-2048:]:
        raise DocumentRejected(
            _l("This PDF seems damaged or only partly sent. Please choose it again."), "no %%EOF at the end"
        )


def _photo_bytes(raw: bytes, max_bytes: int, max_pixels: int) -> bytes:
    try:
        image = load_upload(raw, max_bytes=max_bytes, max_pixels=max_pixels, draft_width=PHOTO_MAX_SIDE)
    except ImageRejected as error:
        if error.reason in ("not_an_image", "unsupported_type"):
            raise DocumentRejected(
                _l("This file is neither a photo nor a PDF. Please send a photo (JPEG, PNG, HEIC) or a PDF file."),
                str(error),
            )
        raise DocumentRejected(error.message, str(error))
    if max(image.size) > PHOTO_MAX_SIDE:
        image.thumbnail((PHOTO_MAX_SIDE, PHOTO_MAX_SIDE), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    # load_upload rebuilt the picture from its pixels: nothing of the original file's metadata is left.
    image.save(buffer, "WEBP", quality=PHOTO_QUALITY, method=4)
    return buffer.getvalue()


def store_document(upload, uploads_dir: Path, *, max_bytes: int, max_pixels: int) -> StoredDocument:
    """Check and store one evidence file (bytes or a file-like upload). Raises DocumentRejected and
    then writes nothing."""
    raw = _read(upload, max_bytes)
    if raw.startswith(b"%PDF-"):
        _check_pdf(raw)
        content, mime = raw, PDF_MIME
    else:
        content, mime = _photo_bytes(raw, max_bytes, max_pixels), PHOTO_MIME
    key = hashlib.sha256(content).hexdigest()[:32]
    path = f"{FOLDER}/{key[:2]}/{key}"
    target = Path(uploads_dir) / path
    if not target.exists():
        write_atomic(target, content, mode=0o600)  # never served by a web server
    return StoredDocument(path=path, mime=mime, size=len(raw))


def document_file(uploads_dir: Path, path: str | None) -> Path | None:
    """The file of a stored document path, or None when the path is not one this module wrote."""
    if not path:
        return None
    parts = path.split("/")
    if len(parts) != 3 or parts[0] != FOLDER or not all(part.isalnum() for part in parts[1:]):
        return None
    target = Path(uploads_dir) / path
    return target if target.is_file() else None
