#!/usr/bin/env bash
# Lập Kế hoạch công tác đối ngoại năm 2018 vào out/ke-hoach-2018.docx, chỉ bằng lệnh ngoaivu.
# --date: bản gốc không ghi ngày ban hành; nội dung nhắc kỳ họp ngày 05/02/2018 nên kế hoạch
# ban hành từ tháng 02/2018. Loại ke_hoach_nam để trống ngày (blank_day) cho văn thư điền.
set -euo pipefail
cd "$(dirname "$0")"
ngoaivu validate
ngoaivu report --period "năm 2018" --type ke_hoach_nam --date 2018-02-05 \
  -o out/ke-hoach-2018.docx --force
