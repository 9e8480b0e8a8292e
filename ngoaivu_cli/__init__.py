"""ngoaivu: turn a Sở Ngoại vụ activity log (dated YAML files) into official reports."""

__version__ = "0.1.0"
