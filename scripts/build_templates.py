"""Rebuild the shipped DOCX template from code: python scripts/build_templates.py"""

from pathlib import Path

from ngoaivu_cli.render.template_builder import write_template

if __name__ == "__main__":
    target = Path(__file__).resolve().parent.parent / "templates" / "van-ban.docx"
    write_template(target)
    print(f"đã ghi {target}")
