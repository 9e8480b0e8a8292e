#!/usr/bin/env bash
# Sở Ngoại vụ tổng hợp báo cáo 6 tháng đầu năm 2024 của tỉnh từ nhật ký của chính Sở và của ba
# cơ quan (nguồn) bên cạnh, chỉ bằng lệnh ngoaivu: kiểm tra mọi nguồn, xem ai đã gửi, lập báo cáo.
set -euo pipefail
cd "$(dirname "$0")/so-ngoai-vu"
ngoaivu validate
ngoaivu status --period "6 tháng đầu năm 2024" --today 2024-06-24
ngoaivu report --period "6 tháng đầu năm 2024" --type bao_cao_tong_hop_6_thang --strict \
  -o ../out/bao-cao-tong-hop-6-thang-2024.docx --force
