"""What is wrong with a request's JSON body as a whole, before its fields are looked at.

django-ninja answers a body it cannot parse with its own 400, but an empty body, or JSON that is
not an object (`null`, `123`, `[1, 2]`), reaches the schema, which reports every field as missing:
"thiếu trường bắt buộc" for a body that was never an object (QA walk). `body_problem` names the
real fault so the API answers it in one sentence, the same for every endpoint.
"""

from __future__ import annotations

import json

from django.http import HttpRequest

NOT_JSON = "Nội dung gửi lên không phải JSON hợp lệ."
EMPTY = f'{NOT_JSON} Nội dung trống: cần một đối tượng JSON, ví dụ {{"ten_truong": "giá trị"}}.'
NOT_OBJECT = f"{NOT_JSON} Cần một đối tượng JSON ({{…}}), không phải mảng, số, chuỗi hay null."


def body_problem(request: HttpRequest) -> str | None:
    """The Vietnamese sentence for a JSON body that is empty or not an object; None when the
    body is an object (its fields are then judged one by one) or is not JSON-bodied at all
    (a form or a file upload)."""
    if request.content_type in ("multipart/form-data", "application/x-www-form-urlencoded"):
        return None
    raw = request.body
    if not raw.strip():
        return EMPTY
    try:
        data = json.loads(raw)
    except ValueError:  # not JSON, or not UTF-8
        return f"{NOT_JSON} Gửi một đối tượng JSON mã hóa UTF-8."
    return None if isinstance(data, dict) else NOT_OBJECT
