"""The two questionnaires shipped with the system, as data.

* ``danh-gia-ho-so``: the per-dossier rating. Its criteria follow SIPAS's five factors (access,
  procedure, officials, results, feedback; domain.md section 5) and the per-dossier ratings of the
  provincial one-stop portals (peers.md: Thừa Thiên Huế rates 12 criteria by dossier code):
  publicity, documents as listed, number of visits, staff attitude and guidance, no harassment,
  on time, notified and apologised when late (the SIPAS question), correct result, overall.
* ``dich-vu-giao-duc``: the public-education-service survey for parents and students, in the
  content groups of Decision 3476/QĐ-BGDĐT (access, facilities, environment, activities,
  results, overall, other comments) on its five-point scale.

Each question: code, group, kind, text, options (choice kinds), required.
"""

from __future__ import annotations

from typing import Any

DOSSIER_TEMPLATE_KEY = "danh-gia-ho-so"
EDUCATION_TEMPLATE_KEY = "dich-vu-giao-duc"
OVERALL_CODE = "overall"
ON_TIME_CODE = "on_time"

NO_PERSONAL_DATA = "Không ghi họ tên, số điện thoại, số định danh."


def _q(code: str, group: str, kind: str, text: str, *options: str, required: bool = False):
    return {
        "code": code,
        "group": group,
        "kind": kind,
        "text": text,
        "options": list(options),
        "required": required,
    }


DOSSIER_RATING: dict[str, Any] = {
    "key": DOSSIER_TEMPLATE_KEY,
    "name": "Phiếu đánh giá việc giải quyết hồ sơ thủ tục hành chính",
    "purpose": "dossier",
    "description": "Mỗi hồ sơ được đánh giá một lần, bằng mã QR hoặc đường liên kết trên giấy "
    "tiếp nhận và hẹn trả kết quả. Ý kiến của Ông/Bà giúp nhà trường phục vụ tốt hơn.",
    "questions": [
        _q(
            "publicity",
            "access",
            "scale",
            "Thủ tục, giấy tờ, thời hạn, lệ phí được niêm yết công khai, đầy đủ, dễ hiểu",
        ),
        _q("place", "access", "scale", "Nơi tiếp nhận hồ sơ dễ tìm, có chỗ ngồi chờ, thuận tiện"),
        _q(
            "documents",
            "procedure",
            "scale",
            "Giấy tờ phải nộp đúng như niêm yết, không bị yêu cầu thêm giấy tờ ngoài quy định",
        ),
        _q(
            "visits",
            "procedure",
            "single",
            "Số lần Ông/Bà phải đi lại để hoàn thành hồ sơ",
            "1 lần",
            "2 lần",
            "3 lần trở lên",
            required=True,
        ),
        _q(
            "attitude",
            "officials",
            "scale",
            "Thái độ của người tiếp nhận, giải quyết hồ sơ: lịch sự, tôn trọng",
            required=True,
        ),
        _q(
            "guidance",
            "officials",
            "scale",
            "Người tiếp nhận hướng dẫn kê khai, bổ sung hồ sơ tận tình, đầy đủ, một lần là đủ",
        ),
        _q(
            "harassment",
            "officials",
            "single",
            "Ông/Bà có gặp phiền hà, sách nhiễu hoặc bị gợi ý nộp thêm tiền ngoài quy định không?",
            "Không",
            "Có",
        ),
        _q(
            ON_TIME_CODE,
            "results",
            "single",
            "Hồ sơ được trả kết quả",
            "Sớm hơn hoặc đúng hẹn",
            "Trễ hẹn, có thông báo và thư xin lỗi",
            "Trễ hẹn, không được thông báo",
            required=True,
        ),
        _q("result", "results", "scale", "Kết quả giải quyết đúng quy định, thông tin chính xác"),
        _q(
            "feedback",
            "feedback",
            "scale",
            "Việc tiếp nhận và trả lời góp ý, phản ánh của Ông/Bà (nếu có)",
        ),
        _q(
            OVERALL_CODE,
            "overall",
            "scale",
            "Mức độ hài lòng chung của Ông/Bà về việc giải quyết hồ sơ",
            required=True,
        ),
        _q("comment", "other", "text", "Góp ý để nhà trường phục vụ tốt hơn. " + NO_PERSONAL_DATA),
    ],
}

EDUCATION_SERVICE: dict[str, Any] = {
    "key": EDUCATION_TEMPLATE_KEY,
    "name": "Phiếu khảo sát sự hài lòng về dịch vụ giáo dục công (cha mẹ học sinh, học sinh)",
    "purpose": "education",
    "description": "Khảo sát theo các nhóm nội dung của Quyết định 3476/QĐ-BGDĐT. Phiếu không "
    "ghi tên; mỗi thiết bị hoặc phiếu mời trả lời một lần.",
    "questions": [
        _q("respondent", "respondent", "single", "Người trả lời phiếu", "Cha mẹ học sinh",
           "Học sinh", required=True),
        _q("info", "edu_access", "scale", "Thông tin tuyển sinh, các khoản thu, kế hoạch giáo dục "
           "được công khai, dễ tìm hiểu"),
        _q("admission", "edu_access", "scale", "Thủ tục nhập học, chuyển trường, xin giấy tờ "
           "thuận tiện"),
        _q("contact", "edu_access", "scale", "Dễ liên hệ với giáo viên chủ nhiệm và nhà trường"),
        _q("classrooms", "facilities", "scale", "Phòng học đủ ánh sáng, thoáng mát, bàn ghế phù "
           "hợp"),
        _q("toilets", "facilities", "scale", "Nhà vệ sinh sạch sẽ, đủ nước"),
        _q("equipment", "facilities", "scale", "Thư viện, phòng bộ môn, thiết bị dạy học đáp ứng "
           "nhu cầu học tập"),
        _q("safety", "environment", "scale", "Trường học an toàn, không có bạo lực học đường"),
        _q("respect", "environment", "scale", "Giáo viên tôn trọng, đối xử công bằng với học sinh"),
        _q("campus", "environment", "scale", "Khuôn viên xanh, sạch, đẹp"),
        _q("teaching", "activities", "scale", "Cách giảng dạy giúp học sinh hiểu bài, biết vận "
           "dụng"),
        _q("extracurricular", "activities", "scale", "Hoạt động trải nghiệm, ngoại khóa bổ ích"),
        _q("reporting", "activities", "scale", "Nhà trường thông tin kịp thời về học tập, rèn "
           "luyện của học sinh"),
        _q("knowledge", "edu_results", "scale", "Kiến thức, kỹ năng học sinh đạt được"),
        _q("conduct", "edu_results", "scale", "Sự tiến bộ về đạo đức, lối sống của học sinh"),
        _q(OVERALL_CODE, "overall", "scale", "Mức độ hài lòng chung với nhà trường",
           required=True),
        _q("priorities", "other", "multiple", "Nhà trường nên ưu tiên cải thiện (chọn nhiều)",
           "Cơ sở vật chất", "Chất lượng giảng dạy", "An toàn trường học",
           "Liên lạc với gia đình", "Hoạt động ngoại khóa"),
        _q("comment", "other", "text", "Ý kiến khác. " + NO_PERSONAL_DATA),
    ],
}  # fmt: skip

SHIPPED = (DOSSIER_RATING, EDUCATION_SERVICE)
