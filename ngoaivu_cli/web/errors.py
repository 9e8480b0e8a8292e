"""Every error a user can cause is a Vietnamese page with what to do (``error.html``), never a
traceback: a refused request, a library error with its hint, an HTTP error, and anything
unforeseen (logged, shown as a 500 page that says nothing was written)."""

from __future__ import annotations

from flask import Flask, render_template
from werkzeug.exceptions import HTTPException

from ngoaivu_cli.errors import NgoaivuError
from ngoaivu_cli.web.site import MAX_UPLOAD, Refused

HTTP_WORDS = {
    400: ("Yêu cầu không hợp lệ", "tải lại trang rồi thử lại"),
    403: ("Không được phép", "máy chủ này không cho phép việc đó"),
    404: ("Không tìm thấy", "quay về trang Nhật ký và chọn lại"),
    405: ("Không dùng được cách gửi này", "dùng các nút và liên kết trên trang"),
    413: ("Tệp quá lớn", f"chỉ nhận tệp đến {MAX_UPLOAD // (1024 * 1024)} MB"),
    500: ("Lỗi của chương trình", "thử lại; nếu vẫn lỗi, báo cho người quản trị kèm thao tác vừa "
          "làm"),
}


def page(status: int, title: str, message: str, hint: str = "") -> tuple[str, int]:
    return render_template("error.html", title=title, message=message, hint=hint,
                           status=status), status


def install_errors(app: Flask) -> None:
    @app.errorhandler(Refused)
    def refused(exc: Refused) -> tuple[str, int]:
        return page(exc.status, exc.title, exc.message, exc.hint)

    @app.errorhandler(NgoaivuError)
    def ngoaivu_error(exc: NgoaivuError) -> tuple[str, int]:
        status = 400 if exc.exit_code == 2 else 422
        return page(status, "Không làm được", exc.message, exc.hint or "")

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> tuple[str, int]:
        code = exc.code or 500
        title, hint = HTTP_WORDS.get(code, (exc.name, ""))
        return page(code, title, f"lỗi {code}", hint)

    @app.errorhandler(Exception)
    def crash(exc: Exception) -> tuple[str, int]:
        app.logger.exception("lỗi không lường trước")
        title, hint = HTTP_WORDS[500]
        return page(500, title, "chương trình gặp lỗi khi làm việc này; chưa ghi gì", hint)
