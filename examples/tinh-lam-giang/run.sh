#!/usr/bin/env bash
# Lập báo cáo tuần 25/11 - 01/12/2024 và báo cáo tháng 11/2024 của Sở Ngoại vụ tỉnh Lam Giang
# (tỉnh hư cấu) vào out/, chỉ bằng lệnh ngoaivu.
set -euo pipefail
cd "$(dirname "$0")"
ngoaivu validate
ngoaivu report --period "25/11 - 01/12/2024" --strict -o out/bao-cao-tuan.docx --force
ngoaivu report --period "tháng 11/2024" --strict -o out/bao-cao-thang.docx --force
