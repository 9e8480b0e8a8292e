"""The pages of ``ngoaivu serve``, one module for each, each with ``register(app, site)``."""
