"""iadef: a sourced knowledge graph of French defence AI."""

__version__ = "0.1.0"
