"""Rebuild the shipped configuration's prebuilt nodes (ngoaivu_cli/config/prebuilt.py) after
editing ngoaivu_cli/defaults/ngoaivu.yaml: python scripts/build_defaults.py"""

from ngoaivu_cli.config.prebuilt import NODES_FILE
from ngoaivu_cli.config.read import shipped_nodes

if __name__ == "__main__":
    NODES_FILE.write_text(shipped_nodes(), "utf-8")
    print(f"đã ghi {NODES_FILE}")
