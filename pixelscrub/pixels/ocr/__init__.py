"""OCR engines behind one small interface (Tesseract, RapidOCR), and the cache of their reads."""
