"""The pixel stage: triage, text detection, OCR, PHI matching, masking and verification."""
