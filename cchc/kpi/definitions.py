"""What each indicator counts, in the words shown to users beside every figure.

A plan's target binds to an indicator; the principal must be able to read, next to the figure,
exactly what was counted over what, to judge whether it measures what the target says. Kept here
as one table (rather than scattered over the modules) so that the dashboard, the reports and the
API show the same sentence, and a test fails when a new indicator has none.
"""

from __future__ import annotations

DEFINITIONS: dict[str, str] = {
    # dossiers (target 2)
    "dossier_on_time_rate": (
        "Số hồ sơ TTHC đã tiếp nhận trong kỳ được giải quyết xong, dừng, hoặc đang giải quyết "
        "mà chưa quá hạn theo thời hạn luật định ÷ tổng số hồ sơ đã tiếp nhận hoặc giải quyết "
        "trong kỳ. Hồ sơ chưa có hạn giải quyết không được tính là đúng hạn."
    ),
    "dossier_on_time_rate_766": (
        "Như tỷ lệ đúng hạn, theo cách tính chỉ số 2.1 Quyết định 766/QĐ-TTg: trừ thời gian "
        "người dân bổ sung hồ sơ, so với ngày hẹn đầu tiên; hồ sơ phải bổ sung quá một lần "
        "được tính là quá hạn."
    ),
    "late_apology_rate": (
        "Số hồ sơ quá hạn đã gửi văn bản xin lỗi (Mẫu 04) cho người dân ÷ tổng số hồ sơ quá "
        "hạn trong kỳ. Văn bản xin lỗi chỉ được tính khi đã ký số và phát hành (dự thảo, dự "
        "thảo bị trả lại chưa tính)."
    ),
    "apology_on_time_rate": (
        "Số văn bản xin lỗi gửi kịp thời (phát hành chậm nhất 01 ngày làm việc trước hạn trả "
        "kết quả) ÷ số văn bản xin lỗi đã phát hành trong kỳ (gửi muộn vẫn tính ở mẫu số; "
        "dự thảo chưa phát hành chưa tính)."
    ),
    "dossier_online_rate": "Số hồ sơ nộp trực tuyến ÷ tổng số hồ sơ tiếp nhận trong kỳ.",
    # surveys (target 3)
    "satisfaction_rate": (
        "(Số câu trả lời Hài lòng + Rất hài lòng) ÷ số câu trả lời hợp lệ trên thang 5 mức của "
        "các phiếu đánh giá giải quyết hồ sơ nộp trong kỳ (bỏ câu để trống và Không ý kiến); "
        "kèm khoảng tin cậy 95% (Wilson) vì là số liệu mẫu."
    ),
    "education_satisfaction_rate": (
        "(Hài lòng + Rất hài lòng) ÷ câu trả lời hợp lệ của các đợt khảo sát dịch vụ giáo dục "
        "công (cha mẹ học sinh, học sinh) trong kỳ; kèm khoảng tin cậy 95%."
    ),
    "satisfaction_766_rate": (
        "Chỉ số 5.4 Quyết định 766: 100% − (% hồ sơ quá hạn + % hồ sơ bị đánh giá không hài "
        "lòng) trên các hồ sơ giải quyết trong kỳ."
    ),
    # feedback (target 4)
    "feedback_on_time_rate": (
        "Số phản ánh, kiến nghị được xử lý đúng hạn ở mọi bước (từ chối ≤ 2, yêu cầu bổ sung "
        "≤ 5, trả lời ≤ 15 ngày làm việc; phản ánh gửi qua mạng: công khai kết quả trong 2 ngày "
        "làm việc sau khi duyệt) ÷ số phản ánh đến hạn trong kỳ."
    ),
    "feedback_published_rate": (
        "Số kết quả giải quyết phản ánh gửi qua mạng được công khai trên Trang thông tin điện "
        "tử trong 2 ngày làm việc sau khi duyệt ÷ số phản ánh gửi qua mạng đã trả lời và đến "
        "hạn công khai."
    ),
    "feedback_received_count": "Số phản ánh, kiến nghị được ghi vào sổ tiếp nhận trong kỳ.",
    "feedback_answered_rate": (
        "Số phản ánh, kiến nghị đã có câu trả lời hoặc quyết định ÷ số phản ánh đã đến hạn trả "
        "lời trong kỳ."
    ),
    "feedback_satisfaction_rate": (
        "Chỉ số 5.3 Quyết định 766: (tổng số − số không hài lòng với câu trả lời − số bị khiếu "
        "nại lại − số quá hạn) ÷ tổng số phản ánh tiếp nhận trong kỳ."
    ),
    "feedback_open_late_rate": (
        "Số phản ánh đang mở đã quá hạn trả lời ÷ số phản ánh đang mở (theo tuổi)."
    ),
    # payments (target 5)
    "cashless_rate": (
        "Số lần nộp tiền nhận trong kỳ bằng chuyển khoản, QR ÷ tổng số lần nộp (kể cả tiền mặt)."
    ),
    "cashless_value_rate": (
        "Số tiền nhận trong kỳ bằng chuyển khoản, QR ÷ tổng số tiền nhận (kể cả tiền mặt)."
    ),
    "e_payment_staff_rate": (
        "Số viên chức có thu tiền trong kỳ và thu hoàn toàn không dùng tiền mặt ÷ số viên chức "
        "có thu tiền trong kỳ."
    ),
    "bill_overdue_rate": (
        "Số khoản thu đã quá hạn nộp mà chưa nộp đủ ÷ số khoản thu đến hạn trong kỳ."
    ),
    "procedure_fee_online_rate": (
        "Số hồ sơ TTHC có phí, lệ phí được thanh toán trực tuyến ÷ tổng số hồ sơ có phí, lệ phí "
        "trong kỳ (chỉ số 3.6 Quyết định 766)."
    ),
    # work environment (target 6)
    "e_workplace_rate": (
        "Số lượt viên chức-tuần có thao tác xử lý công việc trên hệ thống (hồ sơ, văn bản, "
        "nhiệm vụ, phản ánh… ghi trong nhật ký) ÷ (số viên chức đang làm việc × số tuần có ngày "
        "làm việc trong kỳ, tính đến hôm nay)."
    ),
    # documents (targets 7, 8, 9)
    "e_document_rate": (
        "Số văn bản không mật trao đổi với cơ quan nhà nước trên môi trường điện tử (văn bản "
        "đến nhận qua mạng; văn bản đi ký số và gửi bằng thư điện tử) ÷ tổng số văn bản không "
        "mật gửi, nhận trong kỳ. Văn bản mật không được tính ở cả hai vế."
    ),
    "digital_signature_rate": (
        "Số viên chức đang làm việc đã thực sự ký số ít nhất một lần trong kỳ (văn bản, giấy tờ "
        "hồ sơ) ÷ số viên chức đang làm việc. Có chứng thư số mà không ký thì chưa tính."
    ),
    "outgoing_signed_rate": (
        "Số văn bản đi không mật đã ban hành có chữ ký số ÷ số văn bản đi không mật đã ban hành."
    ),
    "one_stop_paper_signed_rate": (
        "Số giấy tờ một cửa phát hành trong kỳ đã được cán bộ tiếp nhận ký số (bằng chứng thư "
        "số còn hiệu lực lúc ký) ÷ tổng số giấy tờ đó phát hành trong kỳ: giấy tiếp nhận hồ sơ "
        "và hẹn trả kết quả (Mẫu 01) của mỗi hồ sơ tiếp nhận, phiếu yêu cầu bổ sung (Mẫu 02) "
        "của mỗi lần yêu cầu, phiếu từ chối (Mẫu 03) của mỗi hồ sơ bị từ chối. Giấy tờ đưa cho "
        "người dân mà chưa ký số vẫn tính ở mẫu số."
    ),
    "official_email_rate": (
        "Số viên chức phụ trách có địa chỉ thư thuộc tên miền công vụ cấu hình cho đơn vị (hoặc "
        "cấp trên) và đã gửi thư công vụ qua hệ thống trong kỳ ÷ số viên chức phụ trách."
    ),
    # plans
    "task_on_time_rate": (
        "Số nhiệm vụ (và từng kỳ của nhiệm vụ thường xuyên) đến hạn trong kỳ được hoàn thành "
        "đúng hoặc trước hạn ÷ số nhiệm vụ đã đến hạn hoặc đã hoàn thành trong kỳ."
    ),
    # simplification (plan task 3.5)
    "procedures_reviewed_count": (
        "Số thủ tục hành chính (tính theo tên thủ tục) có phiếu rà soát, đơn giản hóa được Hiệu "
        "trưởng duyệt trong kỳ (kể cả đã gửi hoặc đã được cấp trên chấp thuận)."
    ),
    "compliance_cost_saved_vnd": (
        "Tổng chi phí tuân thủ tiết kiệm được mỗi năm của các phương án đơn giản hóa được cấp "
        "trên chấp thuận trong kỳ: (chi phí 01 hồ sơ trước − sau) × số hồ sơ/năm đo từ hệ thống; "
        "chi phí 01 hồ sơ = Σ (giờ × thu nhập bình quân 01 giờ) + phí, lệ phí + chi phí khác "
        "(Thông tư 07/2014/TT-BTP)."
    ),
    "compliance_cost_saved_rate": (
        "Chi phí tuân thủ/năm tiết kiệm được ÷ chi phí tuân thủ/năm trước đơn giản hóa, cộng trên "
        "các phương án được cấp trên chấp thuận trong kỳ."
    ),
}
