"""Vietnamese language knowledge: normalization and folding (``textnorm``: NFC, tone-mark
placement hoà/hòa, tỉ/tỷ), day-first dates and the header "today" widget (``dates``), VND
amounts (``amounts``), the provinces before and after the 2025 merger (``provinces``).

Pure functions and tables; imports nothing else of the project (checked by import-linter).
"""
