"""Text: finding lines in the pixels, reading them, and judging each word by the clinical grammar and the PHI rules."""
