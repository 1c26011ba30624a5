"""The registry of audit verbs: every kind of change the audit log records, with its label.

Services pass `AuditVerb.X` to `audit_record`, which refuses a verb that is not registered, so a
typo or a new action without a name fails its tests instead of leaving an event nobody can find;
the audit page offers these verbs (with their Vietnamese labels) as its filter. Values are the
strings stored in the hash-chained log since the start: never rename one (old events keep it).

A new app adds its verbs here, in its own block (or registers its own TextChoices with
`register_verbs` from its AppConfig.ready).
"""

from __future__ import annotations

from django.db import models


class AuditVerb(models.TextChoices):
    # --- installation, admin site, accounts
    INSTALLATION_SETUP = "installation.setup", "Cài đặt hệ thống lần đầu"
    ADMIN_ADD = "admin.add", "Thêm bản ghi trong trang quản trị"
    ADMIN_CHANGE = "admin.change", "Sửa bản ghi trong trang quản trị"
    ADMIN_DELETE = "admin.delete", "Xóa bản ghi trong trang quản trị"
    API_TOKEN_CREATE = "api_token.create", "Cấp mã truy cập API"
    API_TOKEN_REVOKE = "api_token.revoke", "Thu hồi mã truy cập API"
    OTP_ENROLMENT_CODE = "otp.enrolment_code", "Cấp mã đăng ký xác thực hai lớp"
    OTP_ENABLE = "otp.enable", "Bật xác thực hai lớp"
    # --- organisation
    UNIT_CREATE = "unit.create", "Tạo đơn vị"
    UNIT_UPDATE = "unit.update", "Sửa thông tin đơn vị"
    GROUP_CREATE = "group.create", "Tạo tổ"
    GROUP_UPDATE = "group.update", "Sửa thông tin tổ"
    STAFF_CREATE = "staff.create", "Thêm viên chức"
    STAFF_UPDATE = "staff.update", "Sửa thông tin viên chức"
    STAFF_SET_ROLES = "staff.set_roles", "Phân công vai trò"
    STAFF_ISSUE_ACCOUNT = "staff.issue_account", "Cấp tài khoản cho viên chức"
    WORKDAYS_OVERRIDE_SET = "workdays.override_set", "Điều chỉnh ngày làm việc, ngày nghỉ"
    WORKDAYS_OVERRIDE_DELETE = "workdays.override_delete", "Bỏ điều chỉnh ngày làm việc"
    WORKDAYS_RULES_SET = "workdays.rules_set", "Đổi cách tính hạn, giờ chốt tiếp nhận"
    # --- reform plan
    PLAN_IMPORT = "plan.import", "Nhập kế hoạch CCHC"
    PLAN_REPLACE = "plan.replace", "Thay kế hoạch CCHC bằng bản mới"
    TASK_PLAN = "task.plan", "Lập lịch, phân công nhiệm vụ"
    TASK_PROGRESS = "task.progress", "Cập nhật tiến độ nhiệm vụ"
    TASK_OCCURRENCE = "task.occurrence", "Cập nhật kỳ thực hiện nhiệm vụ"
    TASK_EVIDENCE_ADD = "task.evidence_add", "Thêm minh chứng nhiệm vụ"
    TASK_COMMENT = "task.comment", "Trao đổi về nhiệm vụ"
    ACTIVITY_CREATE = "activity.create", "Ghi nhận hoạt động CCHC"
    ACTIVITY_INITIATIVE_STATUS = "activity.initiative_status", "Cập nhật tình trạng sáng kiến"
    # --- one-stop dossiers
    PROCEDURE_CREATE = "procedure.create", "Thêm thủ tục hành chính"
    PROCEDURE_UPDATE = "procedure.update", "Sửa thủ tục hành chính"
    PROCEDURE_WINDOW_ADD = "procedure.window_add", "Thêm thời gian tiếp nhận theo kế hoạch"
    PROCEDURE_WINDOW_DELETE = "procedure.window_delete", "Bỏ thời gian tiếp nhận theo kế hoạch"
    DOSSIER_TRANSITION = "dossier.transition", "Chuyển trạng thái hồ sơ"
    DOSSIER_RECEIVE = "dossier.receive", "Tiếp nhận hồ sơ tại bộ phận một cửa"
    DOSSIER_COUNTER_GUIDANCE = "dossier.counter_guidance", "Hướng dẫn hoàn thiện hồ sơ (Mẫu 02)"
    DOSSIER_COUNTER_REFUSAL = "dossier.counter_refusal", "Từ chối tiếp nhận hồ sơ (Mẫu 03)"
    DOSSIER_SUBMIT_ONLINE = "dossier.submit_online", "Nộp hồ sơ trực tuyến"
    DOSSIER_ACCEPT = "dossier.accept", "Tiếp nhận hồ sơ trực tuyến"
    DOSSIER_HAND_OVER = "dossier.hand_over", "Chuyển bước xử lý hồ sơ"
    DOSSIER_REQUEST_SUPPLEMENT = "dossier.request_supplement", "Yêu cầu bổ sung hồ sơ"
    DOSSIER_SUPPLEMENT_RECEIVED = "dossier.supplement_received", "Nhận hồ sơ bổ sung"
    DOSSIER_APOLOGIZE = "dossier.apologize", "Xin lỗi, hẹn lại ngày trả kết quả (Mẫu 04)"
    DOSSIER_APOLOGY_ISSUE = "dossier.apology_issue", "Trình ký văn bản xin lỗi (văn bản đi)"
    DOSSIER_APOLOGY_REVISE = (
        "dossier.apology_revise",
        "Sửa lý do, ngày hẹn của văn bản xin lỗi bị trả lại và trình ký lại",
    )
    DOSSIER_APOLOGY_NUMBERED = "dossier.apology_numbered", "Lập văn bản xin lỗi có số để ký"
    DOSSIER_APOLOGY_HANDED = "dossier.apology_handed", "Trao, gửi bưu điện văn bản xin lỗi"
    DOSSIER_APPLICANT_ADDRESS = "dossier.applicant_address", "Sửa địa chỉ người nộp hồ sơ"
    DOSSIER_PAPER_SIGN = "dossier.paper_sign", "Ký số giấy tờ hồ sơ (Mẫu 01–03)"
    DOSSIER_SET_DUE = "dossier.set_due", "Ghi hạn giải quyết hồ sơ"
    DOSSIER_DECIDE = "dossier.decide", "Có kết quả giải quyết hồ sơ"
    DOSSIER_RETURN = "dossier.return", "Trả kết quả hồ sơ"
    DOSSIER_REFUSE = "dossier.refuse", "Từ chối giải quyết hồ sơ"
    DOSSIER_STOP = "dossier.stop", "Dừng giải quyết hồ sơ"
    DOSSIER_ATTACH = "dossier.attach", "Đính kèm tệp vào hồ sơ"
    DOSSIER_IMPORT_CREATE = "dossier.import_create", "Nhập hồ sơ từ hệ thống của tỉnh"
    DOSSIER_IMPORT_UPDATE = "dossier.import_update", "Cập nhật hồ sơ từ hệ thống của tỉnh"
    # --- citizen feedback
    FEEDBACK_RECEIVE = "feedback.receive", "Tiếp nhận phản ánh, kiến nghị"
    FEEDBACK_REJECT_INVALID = "feedback.reject_invalid", "Từ chối phản ánh không hợp lệ"
    FEEDBACK_CLASSIFY = "feedback.classify", "Phân loại phản ánh, kiến nghị"
    FEEDBACK_REQUEST_INFO = "feedback.request_info", "Yêu cầu người gửi bổ sung thông tin"
    FEEDBACK_INFO_RECEIVED = "feedback.info_received", "Nhận thông tin bổ sung"
    FEEDBACK_ASSIGN = "feedback.assign", "Giao xử lý phản ánh, kiến nghị"
    FEEDBACK_DRAFT = "feedback.draft", "Soạn dự thảo trả lời"
    FEEDBACK_RETURN_DRAFT = "feedback.return_draft", "Trả lại dự thảo trả lời"
    FEEDBACK_APPROVE = "feedback.approve", "Duyệt trả lời phản ánh, kiến nghị"
    FEEDBACK_PUBLISH = "feedback.publish", "Công khai kết quả trả lời"
    FEEDBACK_CLOSE = "feedback.close", "Kết thúc phản ánh, kiến nghị"
    FEEDBACK_RATE = "feedback.rate", "Người gửi đánh giá câu trả lời"
    FEEDBACK_DISPUTE = "feedback.dispute", "Người gửi không đồng ý với câu trả lời"
    FEEDBACK_FINDING = "feedback.finding", "Ghi kết luận của Ban Thanh tra nhân dân"
    FEEDBACK_SETTINGS = "feedback.settings", "Sửa thời hạn xử lý phản ánh"
    FEEDBACK_TEMPLATE_ADD = "feedback.template_add", "Thêm mẫu câu trả lời"
    FEEDBACK_TEMPLATE_DELETE = "feedback.template_delete", "Xóa mẫu câu trả lời"
    # --- reform index self-assessment
    KPI_ASSESSMENT_START = "kpi.assessment.start", "Bắt đầu tự đánh giá chỉ số CCHC"
    KPI_ASSESSMENT_SCORE = "kpi.assessment.score", "Chấm điểm tự đánh giá"
    KPI_ASSESSMENT_SUBMIT = "kpi.assessment.submit", "Gửi kết quả tự đánh giá"
    KPI_ASSESSMENT_APPRAISE = "kpi.assessment.appraise", "Thẩm định điểm tự đánh giá"
    KPI_ASSESSMENT_FINALIZE = "kpi.assessment.finalize", "Chốt kết quả đánh giá"
    KPI_ASSESSMENT_RETURN = "kpi.assessment.return", "Trả lại bản tự đánh giá"
    # --- satisfaction surveys
    SURVEY_TEMPLATE_INSTALL = "survey.template_install", "Cài mẫu phiếu khảo sát"
    SURVEY_TEMPLATE_VERSION = "survey.template_version", "Tạo phiên bản mẫu phiếu"
    SURVEY_CAMPAIGN_CREATE = "survey.campaign_create", "Tạo đợt khảo sát"
    SURVEY_CAMPAIGN_STATUS = "survey.campaign_status", "Mở, tạm dừng hoặc đóng đợt khảo sát"
    SURVEY_PUBLISH = "survey.publish", "Công khai kết quả khảo sát"
    SURVEY_UNPUBLISH = "survey.unpublish", "Thôi công khai kết quả khảo sát"
    SURVEY_INVITATIONS_ISSUE = "survey.invitations_issue", "Phát hành mã mời khảo sát"
    SURVEY_INVITATIONS_EMAIL = "survey.invitations_email", "Gửi thư mời khảo sát"
    SURVEY_RESPOND = "survey.respond", "Ghi nhận phiếu trả lời khảo sát"
    # --- fees and payments
    PAYMENTS_FEE_CREATE = "payments.fee_create", "Tạo khoản phí"
    PAYMENTS_BILL_CREATE = "payments.bill_create", "Tạo khoản phải thu"
    PAYMENTS_BILLS_FROM_CLASS_LIST = (
        "payments.bills_from_class_list",
        "Tạo khoản phải thu theo danh sách lớp",
    )
    PAYMENTS_BILL_CANCEL = "payments.bill_cancel", "Hủy khoản phải thu"
    PAYMENTS_PAYMENT_RECORD = "payments.payment_record", "Ghi nhận nộp tiền, cấp biên lai"
    PAYMENTS_STATEMENT_IMPORT = "payments.statement_import", "Nhập sao kê ngân hàng"
    PAYMENTS_LINE_IGNORE = "payments.line_ignore", "Bỏ qua dòng sao kê"
    # --- e-office documents
    DOCUMENTS_INCOMING_REGISTER = "documents.incoming.register", "Vào sổ văn bản đến"
    DOCUMENTS_INCOMING_PRESENT = "documents.incoming.present", "Trình văn bản đến"
    DOCUMENTS_INCOMING_ASSIGN = "documents.incoming.assign", "Giao xử lý văn bản đến"
    DOCUMENTS_INCOMING_FINISH = "documents.incoming.finish", "Hoàn thành xử lý văn bản đến"
    DOCUMENTS_INCOMING_CONFIRM = "documents.incoming.confirm", "Xác nhận đã nhận văn bản điện tử"
    DOCUMENTS_OUTGOING_CREATE = "documents.outgoing.create", "Tạo dự thảo văn bản đi"
    DOCUMENTS_OUTGOING_UPDATE = "documents.outgoing.update", "Sửa dự thảo văn bản đi"
    DOCUMENTS_OUTGOING_REVIEW = "documents.outgoing.review", "Trình kiểm tra văn bản đi"
    DOCUMENTS_OUTGOING_APPROVED = "documents.outgoing.approved", "Duyệt văn bản đi"
    DOCUMENTS_OUTGOING_DRAFT = "documents.outgoing.draft", "Trả lại dự thảo văn bản đi"
    DOCUMENTS_OUTGOING_NUMBER = "documents.outgoing.number", "Cấp số văn bản đi"
    DOCUMENTS_OUTGOING_SIGN = "documents.outgoing.sign", "Ký số văn bản đi"
    DOCUMENTS_OUTGOING_PAPER_SIGNED = (
        "documents.outgoing.paper_signed",
        "Ghi nhận văn bản đi đã ký tay",
    )
    DOCUMENTS_OUTGOING_RELEASE = "documents.outgoing.release", "Phát hành văn bản đi"
    DOCUMENTS_UNIT_SIGN = "documents.unit_sign", "Ký số của cơ quan"
    DOCUMENTS_CERTIFICATE_ADD = "documents.certificate.add", "Thêm chứng thư số"
    DOCUMENTS_ROOT_ADD = "documents.root.add", "Thêm chứng thư gốc tin cậy"
    # --- periodic reports (wt-reportcal) and procedure simplification (wt-simplify)
    REPORTS_REQUEST = "reports.request", "Yêu cầu lập báo cáo"
    REPORTS_BUILD = "reports.build", "Lập xong báo cáo"
    REPORTS_BUILD_FAILED = "reports.build_failed", "Lập báo cáo không thành công"
    REPORTS_CALENDAR_SAVE = "reports.calendar_save", "Cập nhật lịch báo cáo định kỳ"
    REPORTS_SUBMIT = "reports.submit", "Trình ban hành báo cáo (văn bản đi)"
    REPORTS_NUMBERED = "reports.numbered", "Lập bản báo cáo có số để ký ban hành"
    REPORTS_SECTIONS_EDIT = "reports.sections_edit", "Soạn phần khó khăn, đề xuất của báo cáo"
    REPORTS_SECTIONS_STALE = (
        "reports.sections_stale",
        "Soạn phần khó khăn, đề xuất từ bản cũ (bị từ chối)",
    )
    REPORTS_SUBMIT_STALE = (
        "reports.submit_stale",
        "Trình ban hành báo cáo từ bản cũ (bị từ chối)",
    )
    SIMPLIFICATION_REVIEW_OPEN = "simplification.review_open", "Mở đợt rà soát thủ tục"
    SIMPLIFICATION_REVIEW_UPDATE = "simplification.review_update", "Sửa phiếu rà soát"
    SIMPLIFICATION_REVIEW_APPROVE = "simplification.review_approve", "Duyệt kết quả rà soát"
    SIMPLIFICATION_REVIEW_SUBMIT = "simplification.review_submit", "Gửi kết quả rà soát lên xã"
    SIMPLIFICATION_REVIEW_ACCEPT = "simplification.review_accept", "Chấp thuận kết quả rà soát"
    SIMPLIFICATION_REVIEW_REJECT = (
        "simplification.review_reject",
        "Không chấp thuận kết quả rà soát",
    )
    SIMPLIFICATION_REVIEW_REOPEN = "simplification.review_reopen", "Trả phiếu rà soát về dự thảo"
    SIMPLIFICATION_FINDING_SAVE = "simplification.finding_save", "Ghi kết quả rà soát"
    SIMPLIFICATION_COST_LINE_ADD = "simplification.cost_line_add", "Thêm dòng chi phí tuân thủ"
    SIMPLIFICATION_COST_LINE_DELETE = (
        "simplification.cost_line_delete",
        "Xóa dòng chi phí tuân thủ",
    )
    SIMPLIFICATION_PROCESS_VERSION_CREATE = (
        "simplification.process_version_create",
        "Tạo phiên bản quy trình",
    )
    # --- demo data (make demo / cchc seed_demo)
    SEED_BULK_CREATE = "seed.bulk_create", "Tạo dữ liệu mẫu"
    SEED_DEMO_DOSSIERS = "seed.demo_dossiers", "Tạo hồ sơ mẫu"
    SEED_DEMO_FEEDBACK = "seed.demo_feedback", "Tạo phản ánh, kiến nghị mẫu"
    SEED_DEMO_PROGRESS = "seed.demo_progress", "Tạo tiến độ kế hoạch mẫu"
    SEED_DEMO_DOCUMENTS = "seed.demo_documents", "Tạo văn bản mẫu"


_REGISTRY: dict[str, str] = {verb.value: str(verb.label) for verb in AuditVerb}


class UnknownAuditVerb(ValueError):
    """A service tried to record a verb the registry does not know (a programming error)."""


def register_verbs(choices: type[models.TextChoices]) -> None:
    """Add an app's own verbs (its TextChoices) to the registry; call from AppConfig.ready."""
    for value, label in choices.choices:
        _REGISTRY[value] = str(label)


def is_known(verb: str) -> bool:
    return verb in _REGISTRY


def verb_label(verb: str) -> str:
    """The Vietnamese label of a verb; the verb itself for an event older than its label."""
    return _REGISTRY.get(verb, verb)


def require_known(verb: str) -> str:
    if verb not in _REGISTRY:
        raise UnknownAuditVerb(
            f"Audit verb {verb!r} is not registered: add it to AuditVerb "
            "in cchc/core/audit_verbs.py."
        )
    return verb


def verb_groups() -> list[tuple[str, list[tuple[str, str]]]]:
    """The registered verbs grouped by area (the part before the first dot), for a dropdown."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for value, label in _REGISTRY.items():
        groups.setdefault(AREA_LABELS.get(value.split(".")[0], value.split(".")[0]), []).append(
            (value, label)
        )
    return [(area, sorted(items, key=lambda item: item[1])) for area, items in groups.items()]


AREA_LABELS: dict[str, str] = {
    "installation": "Hệ thống",
    "admin": "Trang quản trị",
    "api_token": "Tài khoản và bảo mật",
    "otp": "Tài khoản và bảo mật",
    "unit": "Tổ chức",
    "group": "Tổ chức",
    "staff": "Tổ chức",
    "workdays": "Lịch làm việc",
    "plan": "Kế hoạch CCHC",
    "task": "Kế hoạch CCHC",
    "activity": "Kế hoạch CCHC",
    "procedure": "Hồ sơ thủ tục hành chính",
    "dossier": "Hồ sơ thủ tục hành chính",
    "feedback": "Phản ánh, kiến nghị",
    "kpi": "Chỉ số CCHC",
    "survey": "Khảo sát sự hài lòng",
    "payments": "Thu phí, lệ phí",
    "documents": "Văn bản điện tử",
    "reports": "Báo cáo",
    "simplification": "Rà soát, đơn giản hóa thủ tục",
    "seed": "Dữ liệu mẫu",
}
