"""Render stage: context building (pure) and the DOCX, Markdown, JSON and PDF writers."""
