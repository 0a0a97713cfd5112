"""Detector profiles and tuned thresholds: data, not code (see README.md here)."""
