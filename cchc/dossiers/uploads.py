"""Checking and storing files a citizen uploads with an online dossier."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from cchc.core.audit_verbs import AuditVerb
from cchc.core.refusals import Refused
from cchc.dossiers.models import Dossier, DossierAttachment, Procedure

if TYPE_CHECKING:
    from cchc.accounts.models import User

MAX_BYTES = 10 * 1024 * 1024
SIGNATURES = {
    ".pdf": (b"%PDF",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
}


class UploadRejected(Refused, ValueError):
    """A file that is not what it claims to be, or too big (HTTP 422, on its field)."""

    status_code = 422

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def check_upload(field: str, upload: UploadedFile) -> None:
    """Type by content, not by name: the first bytes must match a PDF, JPEG or PNG."""
    name = (upload.name or "").lower()
    extension = "." + name.rsplit(".", 1)[-1] if "." in name else ""
    if extension not in SIGNATURES:
        raise UploadRejected(field, "Chỉ nhận tệp PDF hoặc ảnh JPG, PNG.")
    if upload.size and upload.size > MAX_BYTES:
        raise UploadRejected(field, "Tệp quá lớn (tối đa 10 MB).")
    head = upload.read(8)
    upload.seek(0)
    if not head.startswith(SIGNATURES[extension]):
        raise UploadRejected(field, "Nội dung tệp không đúng định dạng PDF/JPG/PNG.")


@transaction.atomic
def attach_public_uploads(
    *,
    submit: Callable[[list[str]], Dossier],
    procedure: Procedure,
    files: dict[str, Any],
) -> Dossier:
    """Check every file first, then create the dossier and its attachments in one transaction."""
    named = []
    for key, upload in sorted(files.items()):
        index = int(key.split("_", 1)[1])
        check_upload(key, upload)
        named.append((procedure.documents[index]["name"], upload))
    dossier = submit([name for name, _ in named])
    for name, upload in named:
        attachment = DossierAttachment(dossier=dossier, document_name=name)
        attachment.file.save(upload.name, upload, save=True)
    return dossier


@transaction.atomic
def dossier_attach_scan(
    *, actor: User, dossier: Dossier, upload: UploadedFile, document_name: str = ""
) -> DossierAttachment:
    """Attach a scan made at the counter (Decree 118 Art. 17: paper dossiers are scanned)."""
    from cchc.core.audit import audit_record
    from cchc.dossiers.workflow import check_action

    check_action(actor, dossier, "attach")
    check_upload("file", upload)  # the field of the dossier page's form (AttachForm)
    attachment = DossierAttachment(
        dossier=dossier,
        document_name=(document_name or "Bản quét hồ sơ").strip()[:300],
        uploaded_by=actor,
    )
    attachment.file.save(upload.name or "ban-quet", upload, save=True)
    audit_record(
        actor=actor,
        verb=AuditVerb.DOSSIER_ATTACH,
        obj=dossier,
        unit=dossier.unit,
        after={"document": attachment.document_name, "file": attachment.file.name},
    )
    return attachment
