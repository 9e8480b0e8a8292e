#!/usr/bin/env bash
# Lập công văn báo cáo kết quả thực hiện các Nghị quyết của HĐND tỉnh "từ đầu nhiệm kỳ đến
# nay" (bản tháng 8/2022) từ nhật ký của ví dụ này: chỉ dùng lệnh `ngoaivu`.
# Kết quả: out/cong-van-nhiem-ky.docx (ghi đè nếu đã có).
set -euo pipefail
cd "$(dirname "$0")"
ngoaivu validate
ngoaivu report --period "từ đầu nhiệm kỳ đến nay" --today 2022-08-15 \
  --type cong_van_nghi_quyet_hdnd -o out/cong-van-nhiem-ky.docx --force
