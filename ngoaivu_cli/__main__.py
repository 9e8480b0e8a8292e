"""Entry point for ``python -m ngoaivu_cli``."""

from ngoaivu_cli.cli import main

if __name__ == "__main__":
    main()
