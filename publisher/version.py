"""The version of the publisher, declared once."""

__version__ = "0.1.0"
