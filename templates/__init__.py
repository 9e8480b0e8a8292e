"""Shipped templates: van-ban.docx (Word) and van-ban.md.j2 (Markdown).

This folder is installed as package data; copy a template into your log's templates/ folder
(or run `ngoaivu init`) to restyle it.
"""
