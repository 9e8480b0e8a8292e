#!/usr/bin/env bash
# Lập hai báo cáo từ nhật ký hai năm (2022, 2023) của ví dụ này, chỉ bằng lệnh `ngoaivu`:
# - out/bao-cao-thang-7-2023.docx: báo cáo tháng 7/2023 in số đoàn ra, đoàn vào của tháng và
#   "tính chung từ đầu năm đến nay" (cộng từ các hoạt động tháng 1 đến tháng 7);
# - out/bao-cao-6-thang-2023.docx: báo cáo 6 tháng đầu năm 2023, phụ lục so sánh với cùng kỳ
#   (6 tháng đầu năm 2022) và mức tăng, giảm.
# Bản Markdown (.md) bên cạnh để xem trước và so sánh trong git.
set -euo pipefail
cd "$(dirname "$0")"
ngoaivu validate
for fmt in docx md; do
  ngoaivu report --period "tháng 7/2023" --type thong_tin_doi_ngoai_thang --date 2023-08-03 \
    --format "$fmt" -o "out/bao-cao-thang-7-2023.$fmt" --force
  ngoaivu report --period "6 tháng đầu năm 2023" --date 2023-06-20 \
    --format "$fmt" -o "out/bao-cao-6-thang-2023.$fmt" --force
done
