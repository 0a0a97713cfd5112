"""Regions and triage: which images to read, where PHI is likely, where masks go, and what an image shows."""
