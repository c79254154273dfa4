"""The classification rules, one small module per group; ordered in ``registry.RULES``."""
