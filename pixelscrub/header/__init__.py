"""Header de-identification: the PS3.15 confidentiality profile and the PHI set it hands to the pixels."""
