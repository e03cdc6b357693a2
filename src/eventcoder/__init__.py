"""eventcoder: news reports in, ACLED-style conflict events with evidence out."""
__version__ = "0.1.0"
