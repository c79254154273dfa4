"""foibot: runs a person's Freedom of Information correspondence."""

__version__ = "0.1.0"
