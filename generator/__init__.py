"""Generator of the reference site for Chinese quality policy."""

__version__ = "0.1.0"
