#!/usr/bin/env bash
# Ghi lại các hoạt động của kho ví dụ, chỉ bằng `ngoaivu new` (cách nhân viên ghi hằng ngày).
# Chạy trong một bản sao của kho chưa có data/: tests/test_example_lam_giang.py chạy lại tệp này
# và so từng tệp được ghi với data/ của ví dụ.
set -euo pipefail
cd "$(dirname "$0")"

# Kết quả tháng 11/2024 (trước tuần báo cáo)
ngoaivu new --date 2024-11-04 --category tham_muu --unit VP \
  --summary "kế hoạch tổ chức Hội nghị tổng kết công tác đối ngoại năm 2024"
ngoaivu new --date 2024-11-06 --category doan_ra_doan_vao --unit HTQT --partner "Nhật Bản" \
  --summary "Trình UBND tỉnh cho phép Đoàn công tác của Sở Công Thương khảo sát thị trường nông sản tại Nhật Bản." \
  --metric doan_ra=1 --metric luot_ra=5
ngoaivu new --date 2024-11-13 --category lanh_su --unit LS \
  --summary "Phối hợp với cơ quan đại diện Việt Nam ở nước ngoài bảo hộ 02 ngư dân của tỉnh bị tạm giữ."
ngoaivu new --date 2024-11-22 --category lanh_su --unit LS --tag so-lieu \
  --summary "Số liệu lãnh sự từ ngày 01/11 đến ngày 22/11" --metric ho_so_lanh_su=9

# Tuần 25/11 - 01/12/2024
ngoaivu new --date 2024-11-25 --category tham_muu --unit VP \
  --summary "báo cáo tình hình thực hiện Nghị quyết về hội nhập quốc tế của tỉnh năm 2024"
ngoaivu new --date 2024-11-26 --category doan_ra_doan_vao --unit HTQT --partner "Nhật Bản" \
  --summary "Đón tiếp Đoàn doanh nghiệp Nhật Bản tìm hiểu cơ hội đầu tư vào Khu công nghiệp Bắc Lam Giang." \
  --metric doan_vao=1 --metric luot_khach=12
ngoaivu new --date 2024-11-27 --category hop_tac_dia_phuong --unit HTQT --partner "Lào" \
  --summary "Làm việc với Đoàn đại biểu tỉnh Savannakhet (Lào) về chương trình hợp tác giai đoạn 2025 - 2030."
ngoaivu new --date 2024-11-28 --category thong_tin_doi_ngoai --unit TTDN \
  --summary "Cung cấp thông tin cho phóng viên nước ngoài đưa tin về Lễ hội Văn hóa biển Lam Giang." \
  --metric bai_viet=6
ngoaivu new --date 2024-11-29 --category lanh_su --unit LS --tag so-lieu \
  --summary "Số liệu lãnh sự từ ngày 25/11 đến ngày 29/11" --metric ho_so_lanh_su=5
ngoaivu new --date 2024-11-29 --category tham_muu --unit VP \
  --summary "kế hoạch đón tiếp các đoàn khách quốc tế dịp Tết Nguyên đán Ất Tỵ 2025"

# Kế hoạch tuần 02/12 - 08/12/2024 và tháng 12/2024
ngoaivu new --date 2024-12-03 --category xuc_tien_dau_tu --unit HTQT --status planned \
  --summary "Chuẩn bị nội dung Hội nghị xúc tiến đầu tư của tỉnh tại Xin-ga-po."
ngoaivu new --date 2024-12-05 --category doan_ra_doan_vao --unit HTQT --status planned \
  --partner "Ô-xtrây-li-a" \
  --summary "Đón tiếp Đoàn Đại sứ quán Ô-xtrây-li-a đến chào và làm việc với lãnh đạo tỉnh."
ngoaivu new --date 2024-12-12 --category xuc_tien_dau_tu --unit HTQT --status planned \
  --partner "Xin-ga-po" --summary "Tổ chức Hội nghị xúc tiến đầu tư của tỉnh tại Xin-ga-po."
ngoaivu new --date 2024-12-18 --category tham_muu --unit VP --status planned \
  --summary "tổ chức Hội nghị tổng kết công tác đối ngoại năm 2024, triển khai nhiệm vụ năm 2025"
