"""Official papers in the Decree 30/2020/NĐ-CP layout: build a DOCX, convert it to PDF.

doc = OfficialDocument(header=OfficialHeader(...), doc_type="KẾ HOẠCH", summary="…", body=[…],
                       signature=SignatureBlock(...), recipients=["Viên chức;", "Lưu: VT."])
pdf = docx_to_pdf(build_docx(doc))
"""

from cchc.core.official_docs.layout import (
    OfficialDocError,
    OfficialDocument,
    OfficialHeader,
    Paragraph,
    QrCode,
    SignatureBlock,
    Table,
    build_docx,
    date_line,
    reference,
)
from cchc.core.official_docs.pdf import docx_to_pdf, libreoffice_available, xlsx_to_pdf

__all__ = [
    "OfficialDocError",
    "OfficialDocument",
    "OfficialHeader",
    "Paragraph",
    "QrCode",
    "SignatureBlock",
    "Table",
    "build_docx",
    "date_line",
    "docx_to_pdf",
    "libreoffice_available",
    "reference",
    "xlsx_to_pdf",
]
