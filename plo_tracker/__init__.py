"""PLO Tracker core: domain rules, services, letters and the command line (no Qt)."""

__version__ = "0.1.0"
